"""The roles, as Django groups, and the permissions each holds (object-level limits, such as
owners editing only their own indicators, are in `boardpack.web.access`)."""

from __future__ import annotations

VIEWER = "viewer"
OWNER = "owner"
PERFORMANCE_OFFICER = "performance officer"
ADMINISTRATOR = "administrator"
#: From least to most trusted.
ORDER = (VIEWER, OWNER, PERFORMANCE_OFFICER, ADMINISTRATOR)

VERSIONED = ("indicator", "target", "observation", "commentary", "ratingoverride")
OTHERS = ("organisation", "projectconfig", "reporttable", "reportingperiod", "publishedpack")
CYCLE = ("assignment", "submission", "discussion", "overriderequest", "remindersent")
ALL_MODELS = (*VERSIONED, *OTHERS, *CYCLE, "auditentry")


def _perms(actions: tuple[str, ...], models: tuple[str, ...]) -> list[str]:
    return [f"{action}_{model}" for model in models for action in actions]


#: Group -> codenames of the `boardpack` app's permissions ("*" is every permission).
ROLES: dict[str, list[str]] = {
    VIEWER: _perms(("view",), ("publishedpack", "reportingperiod", "organisation"))
    + ["add_apitoken"],
    OWNER: _perms(("view",), ALL_MODELS)
    + _perms(("add",), ("observation", "commentary", "discussion", "overriderequest"))
    + ["change_submission", "add_apitoken"],
    PERFORMANCE_OFFICER: _perms(("view",), ALL_MODELS)
    + _perms(("add",), (*VERSIONED, "reportingperiod", "publishedpack", "projectconfig"))
    + _perms(("add",), ("assignment", "submission", "discussion", "overriderequest"))
    + _perms(("change",), ("reportingperiod", "submission", "overriderequest"))
    + ["delete_assignment", "change_assignment", "add_apitoken"],
    ADMINISTRATOR: ["*"],
}


def apply_roles(apps) -> None:
    """Make each role's group hold its permissions, for the models the migration state has (a
    later migration calls this again when models arrive). A codename naming a model that
    exists but no permission is an error in `ROLES`."""
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():  # permissions are otherwise made after migrating
        config.models_module = True
        create_permissions(config, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="boardpack")
    models = {m._meta.model_name for m in apps.get_app_config("boardpack").get_models()}
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [c for c in codenames if c == "*" or c.split("_", 1)[1] in models]
        chosen = ours if wanted == ["*"] else ours.filter(codename__in=wanted)
        missing = set(wanted) - {"*"} - set(chosen.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"role {name}: no such permissions {sorted(missing)}")
        group.permissions.set(chosen)
