"""The roles, as Django groups, and the permissions each holds (object-level limits, such as
owners editing only their own indicators, are checked by the pages)."""

from __future__ import annotations

VIEWER = "viewer"
OWNER = "owner"
PERFORMANCE_OFFICER = "performance officer"
ADMINISTRATOR = "administrator"

VERSIONED = ("indicator", "target", "observation", "commentary", "ratingoverride")
OTHERS = ("organisation", "projectconfig", "reporttable", "reportingperiod", "publishedpack")
ALL_MODELS = (*VERSIONED, *OTHERS, "auditentry")


def _perms(actions: tuple[str, ...], models: tuple[str, ...]) -> list[str]:
    return [f"{action}_{model}" for model in models for action in actions]


#: Group -> codenames of the `boardpack` app's permissions ("*" is every permission).
ROLES: dict[str, list[str]] = {
    VIEWER: _perms(("view",), ("publishedpack", "reportingperiod", "organisation")),
    OWNER: _perms(("view",), ALL_MODELS) + _perms(("add",), ("observation", "commentary")),
    PERFORMANCE_OFFICER: _perms(("view",), ALL_MODELS)
    + _perms(("add",), (*VERSIONED, "reportingperiod", "publishedpack", "projectconfig"))
    + _perms(("change",), ("reportingperiod",)),
    ADMINISTRATOR: ["*"],
}
