from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("boardpack", "0004_national_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="observation",
            name="published_direction",
            field=models.CharField(blank=True, max_length=40, null=True),
        ),
    ]
