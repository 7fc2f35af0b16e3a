"""The roles, as Django groups, and the permissions each holds. Pages, the cycle's rules and
the API check permissions (`user.has_perm("boardpack.<codename>")`), never the role itself;
object-level limits (an organisation's records only, owners changing only the indicators
assigned to them) are in `records.restricted`.

Besides Django's own add, change, delete and view permissions, the models declare these
(`Meta.permissions`): `change_unassigned_indicator` (enter figures for every indicator, not
only those assigned), `upload_observation` (upload figures from a file), `import_observation`
(load records files), `revise_observation` (change figures outside an open period),
`view_unpublished_reportingperiod`, `approve_submission` (return or approve),
`panel_discussion` (record the panel's discussion and agreed actions) and
`decide_overriderequest` (decide on a manual rating)."""

from __future__ import annotations

VIEWER = "viewer"
OWNER = "owner"
PERFORMANCE_OFFICER = "performance officer"
ADMINISTRATOR = "administrator"
#: From least to most trusted: only for naming a user's role on the pages.
ORDER = (VIEWER, OWNER, PERFORMANCE_OFFICER, ADMINISTRATOR)

VERSIONED = ("indicator", "target", "observation", "commentary", "ratingoverride")
#: What owners and officers read: the catalogue, figures and the cycle of their organisation.
READ = (
    *VERSIONED,
    "organisation",
    "reporttable",
    "reportingperiod",
    "publishedpack",
    "publishedfile",
    "submission",
    "discussion",
    "overriderequest",
)


def _perms(actions: tuple[str, ...], models: tuple[str, ...]) -> list[str]:
    return [f"{action}_{model}" for model in models for action in actions]


#: Group -> codenames of the `boardpack` app's permissions ("*" is every permission).
ROLES: dict[str, list[str]] = {
    VIEWER: _perms(("view",), ("publishedpack", "publishedfile", "reportingperiod", "organisation"))
    + ["add_apitoken"],
    OWNER: _perms(("view",), READ)
    + _perms(("add", "change"), ("observation", "commentary"))
    + _perms(("add",), ("discussion", "overriderequest"))
    + [
        "change_submission",
        "upload_observation",
        "view_unpublished_reportingperiod",
        "add_apitoken",
    ],
    PERFORMANCE_OFFICER: _perms(("view",), (*READ, "auditentry", "assignment", "projectconfig"))
    + _perms(("add", "change"), VERSIONED)
    + _perms(("add",), ("reportingperiod", "publishedpack", "projectconfig"))
    + _perms(("add",), ("submission", "discussion", "overriderequest"))
    + _perms(("change",), ("reportingperiod", "submission", "overriderequest"))
    + _perms(("add", "change", "delete"), ("assignment",))
    + [
        "change_unassigned_indicator",
        "upload_observation",
        "import_observation",
        "revise_observation",
        "view_unpublished_reportingperiod",
        "approve_submission",
        "panel_discussion",
        "decide_overriderequest",
        "add_apitoken",
    ],
    ADMINISTRATOR: ["*"],
}


def declared(models) -> set[str]:
    """The codenames of the permissions `models` have: Django's four each, and their own."""
    return {
        f"{action}_{m._meta.model_name}"
        for m in models
        for action in ("add", "change", "delete", "view")
    } | {codename for m in models for codename, _ in m._meta.permissions}


def apply_roles(apps) -> None:
    """Make each role's group hold exactly its permissions, as far as the migration state
    declares them (a later migration calls this again when models or permissions arrive;
    `tests/web/test_permissions.py` checks every codename of `ROLES` is declared today)."""
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():  # permissions are otherwise made after migrating
        config.models_module = True
        create_permissions(config, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="boardpack")
    known = declared(list(apps.get_app_config("boardpack").get_models()))
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codenames == ["*"]:
            group.permissions.set(ours)
            continue
        wanted = set(codenames) & known
        chosen = ours.filter(codename__in=wanted)
        missing = wanted - set(chosen.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"role {name}: no such permissions {sorted(missing)}")
        group.permissions.set(chosen)
