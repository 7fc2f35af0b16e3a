"""Permissions for the cycle's own steps, memberships of organisations, and the roles granted
the permissions the pages now check."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from boardpack.web.records.roles import apply_roles


def grant(apps, schema_editor):
    apply_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("boardpack", "0006_observation_baseline"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="discussion",
            options={
                "ordering": ["at", "id"],
                "permissions": [
                    ("panel_discussion", "Can record the panel's discussion and agreed actions")
                ],
            },
        ),
        migrations.AlterModelOptions(
            name="indicator",
            options={
                "permissions": [
                    (
                        "change_unassigned_indicator",
                        "Can enter figures and commentary for indicators not assigned to them",
                    )
                ]
            },
        ),
        migrations.AlterModelOptions(
            name="observation",
            options={
                "permissions": [
                    ("upload_observation", "Can upload figures from a file"),
                    ("import_observation", "Can load records files into the Store"),
                    (
                        "revise_observation",
                        "Can change figures outside an open period (closed, published or not due)",
                    ),
                ]
            },
        ),
        migrations.AlterModelOptions(
            name="overriderequest",
            options={
                "permissions": [("decide_overriderequest", "Can approve or refuse a manual rating")]
            },
        ),
        migrations.AlterModelOptions(
            name="reportingperiod",
            options={
                "permissions": [
                    (
                        "view_unpublished_reportingperiod",
                        "Can see reporting periods before publishing",
                    )
                ]
            },
        ),
        migrations.AlterModelOptions(
            name="submission",
            options={
                "permissions": [("approve_submission", "Can return or approve submitted figures")]
            },
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="boardpack.organisation",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "organisation"), name="one_membership_each"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
