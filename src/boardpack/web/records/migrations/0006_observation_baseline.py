from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("boardpack", "0005_published_direction"),
    ]

    operations = [
        migrations.AddField(
            model_name="observation",
            name="baseline",
            field=models.FloatField(blank=True, null=True),
        ),
    ]
