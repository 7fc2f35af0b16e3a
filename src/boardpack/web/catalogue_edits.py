"""Changes to the catalogue from the web pages: catalogue entries, their targets and the owners
assigned to indicators and teams.

Each change is made by a performance officer (anyone else is refused), is a new version saved
through `records.changes.save_version` from the version the form was opened at (a stale save
raises `records.changes.Conflict`, nothing written), and is audited. Before a change is kept,
the Store's Dataset is built with it and the catalogue's own checks are run on it; any problem
is raised as `Invalid` with a message by form field, and nothing is saved.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import get_args

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from pydantic import ValidationError as PydanticError

from boardpack.catalogue import Project, check
from boardpack.catalogue.messages import explain, where_text
from boardpack.catalogue.models import Frequency, Measurement, Owners, Polarity, TargetEntry, Unit
from boardpack.errors import BoardpackError, NotFound
from boardpack.periods import PeriodError, parse_period

from . import access
from .cycle import Invalid
from .records import audit
from .records.changes import save_version
from .records.models import Assignment, Indicator, ProjectConfig, Target
from .records.roles import OWNER
from .store import StoreError, dataset_from_store

#: The entry form's fields, in form order, with their labels.
ENTRY_FIELDS = {
    "title": "Title",
    "definition": "Definition",
    "polarity": "Polarity",
    "unit": "Unit",
    "decimals": "Decimal places",
    "frequency": "Frequency",
    "measurement": "Measurement",
    "tier": "Tier",
    "directorate": "Directorate",
    "perspective": "Perspective",
    "cabinet_member": "Cabinet member",
    "director": "Director",
    "portfolio": "Portfolio",
    "division": "Division",
    "lead_officer": "Lead officer",
    "notes": "Notes",
}
#: The fields of the form adding an indicator, with their labels.
NEW_FIELDS = {
    "ref": "Reference",
    **{name: ENTRY_FIELDS[name] for name in ("title", "polarity", "unit", "frequency", "tier")},
    "directorate": ENTRY_FIELDS["directorate"],
}
#: Entry fields kept under `owners:` in the catalogue entry.
OWNER_FIELDS = tuple(Owners.model_fields)
#: Fields chosen from a list, with the catalogue model's allowed words.
CHOICES = {
    "polarity": get_args(Polarity),
    "unit": get_args(Unit),
    "frequency": get_args(Frequency),
    "measurement": get_args(Measurement),
}
#: The target form's fields, with their labels; numbers map to the target's own names.
TARGET_FIELDS = {
    "target_period": "Period",
    "target_from": "From date",
    "target_value": "Target",
    "target_floor": "Floor",
    "target_band": "Band",
    "target_tolerance": "Tolerance",
}
TARGET_NUMBERS = {
    "target_value": "target",
    "target_floor": "floor",
    "target_band": "band",
    "target_tolerance": "tolerance",
}
#: A target entry's key in the catalogue -> its form field.
TARGET_KEYS = {"period": "target_period", "from": "target_from"} | {
    name: field for field, name in TARGET_NUMBERS.items()
}


def _permitted(user, codename: str, what: str) -> None:
    """Refuse (403) unless the user holds permission `boardpack.<codename>`."""
    if not user.has_perm(f"boardpack.{codename}"):
        raise access.Refused(what, codename)


# --- reading the stored catalogue ---------------------------------------------------------


def catalogue(organisation) -> list[Indicator]:
    """The current catalogue entries, in catalogue order."""
    rows = Indicator.objects.current().filter(organisation=organisation)
    return list(rows.order_by("position", "ref"))


def entry_of(organisation, ref: str) -> Indicator:
    found = Indicator.objects.current().filter(organisation=organisation, ref=ref).first()
    if found is None:
        raise NotFound(f"there is no indicator {ref} in the catalogue")
    return found


def targets_of(organisation, ref: str) -> list[Target]:
    """The indicator's current targets, in catalogue order."""
    rows = Target.objects.current().filter(organisation=organisation, indicator=ref)
    return list(rows.order_by("position", "when"))


def entry_form(row: Indicator) -> dict:
    """The entry form's values as stored, with the version it is opened at."""
    definition = row.definition
    owners = definition.get("owners") or {}
    form = {
        name: owners.get(name) if name in OWNER_FIELDS else definition.get(name)
        for name in ENTRY_FIELDS
    }
    form = {name: "" if value is None else str(value) for name, value in form.items()}
    return {**form, "base_version": row.version}


# --- checking an entry ---------------------------------------------------------------------


def merged_definition(current: Mapping, data: Mapping[str, str], fields) -> dict:
    """The stored definition with the form's `fields` written over it: text trimmed, a blank
    field left out (so the catalogue's default applies). Keys the form does not show (tags,
    data source, rating scheme...) are kept."""
    definition = {k: v for k, v in current.items() if k not in fields and k != "owners"}
    owners = {k: v for k, v in (current.get("owners") or {}).items() if k not in fields}
    for name in fields:
        text = (data.get(name) or "").strip()
        if text:
            (owners if name in OWNER_FIELDS else definition)[name] = text
    definition["owners"] = owners
    return definition


def checked(organisation, definition: dict, labels: Mapping[str, str]):
    """The entry as the catalogue reads it within the organisation's project (its defaults,
    such as the directorate and percentage decimals, applied); `Invalid` lists every problem
    the catalogue's pydantic models find, by form field."""
    config = ProjectConfig.objects.current().filter(organisation=organisation).first()
    if config is None:
        raise StoreError(f"nothing was imported for {organisation.code}; import a project first")
    try:
        project = Project.model_validate({**config.config, "indicators": [definition]})
    except PydanticError as error:
        problems = [explain(e) for e in error.errors()]
        raise Invalid(_by_field(problems, labels, _entry_field, None)) from None
    return project.indicators[0]


#: Places a problem (its path in the project) on a form field, or None: (project, path).
Place = Callable[[Project | None, tuple], str | None]


def _entry_field(project, path: tuple) -> str | None:
    """The entry form field of a path inside an indicator: ("indicators", 0, "polarity"),
    ("indicators", 0, "owners", "director")."""
    rest = path[2:] if path[:1] == ("indicators",) else ()
    if rest[:1] == ("owners",) and len(rest) > 1:
        return str(rest[1])
    return str(rest[0]) if rest else None


def _by_field(problems, labels: Mapping[str, str], place: Place, project) -> dict[str, str]:
    """Problems (path in the project, message) keyed by the form field they belong to, each
    message led by the field's label; problems no field shows go under "problem", led by
    where they are."""
    errors: dict[str, list[str]] = {}
    for path, message in problems:
        path = tuple(path)
        field = place(project, path)
        if field in labels:
            errors.setdefault(field, []).append(f"{labels[field]}: {message}")
        else:
            errors.setdefault("problem", []).append(f"{_describe(project, path)}: {message}")
    return {name: "; ".join(messages) for name, messages in errors.items()}


def _describe(project, path: tuple) -> str:
    """Where a problem is, in words: "ADM1, target for 2024/25, floor"."""
    if project is None or path[:1] != ("indicators",) or len(path) < 2:
        return where_text(path)
    indicator = project.indicators[path[1]]
    words, rest = [indicator.ref], path[2:]
    if rest[:1] == ("targets",) and len(rest) > 1:
        words.append(f"target {target_words(entry_when(indicator.targets[rest[1]]))}")
        rest = rest[2:]
    return ", ".join([*words, *(str(part) for part in rest)])


def _still_builds(organisation, labels: Mapping[str, str], place: Place) -> None:
    """Build the Store's Dataset as it stands inside the change's transaction and run the
    catalogue's checks on it; `Invalid` if it no longer loads or a check fails."""
    try:
        project = dataset_from_store(organisation).project
    except BoardpackError as error:
        raise Invalid({"problem": f"The catalogue would no longer load: {error}"}) from None
    findings = [(f.loc, f.message) for f in check(project)]
    if findings:
        raise Invalid(_by_field(findings, labels, place, project))


def _in_entry(ref: str) -> Place:
    """Places the problems of indicator `ref` on the entry form."""

    def place(project, path: tuple) -> str | None:
        return _entry_field(project, path) if _concerns(project, path, ref) else None

    return place


def _in_target(ref: str, when: str) -> Place:
    """Places the problems of `ref`'s target for `when` on the target form."""

    def place(project, path: tuple) -> str | None:
        rest = path[2:]
        if not _concerns(project, path, ref) or rest[:1] != ("targets",) or len(rest) < 3:
            return None
        if entry_when(project.indicators[path[1]].targets[rest[1]]) != when:
            return None
        return TARGET_KEYS.get(str(rest[2]))

    return place


def _concerns(project, path: tuple, ref: str) -> bool:
    return path[:1] == ("indicators",) and len(path) > 2 and project.indicators[path[1]].ref == ref


def base_version(data: Mapping[str, str], name: str) -> int:
    """The version a form was opened at (0 for something new)."""
    try:
        return int(data.get(name, "0") or 0)
    except ValueError:
        raise Invalid({"problem": "The form is damaged; open the page again"}) from None


# --- catalogue entries ---------------------------------------------------------------------


def add_indicator(organisation, user, data: Mapping[str, str]) -> Indicator:
    """Add a catalogue entry from the new-indicator form: reference (unique, ignoring case),
    title, polarity, unit, frequency, tier and directorate."""
    _permitted(user, "add_indicator", "add indicators to the catalogue")
    ref = (data.get("ref") or "").strip()
    clash = Indicator.objects.current().filter(organisation=organisation, ref__iexact=ref).first()
    if ref and clash is not None:
        raise Invalid({"ref": f"Reference: {clash.ref} is already in the catalogue"})
    entry = checked(organisation, merged_definition({}, data, NEW_FIELDS), NEW_FIELDS)
    with transaction.atomic():
        earlier = Indicator.objects.as_at().filter(organisation=organisation, ref=entry.ref)
        last = Indicator.objects.filter(organisation=organisation).aggregate(p=Max("position"))
        row = save_version(
            Indicator,
            organisation,
            {"ref": entry.ref},
            _indicator_values(entry, position=(last["p"] or 0) + 1),
            base_version=earlier.first().version if earlier.exists() else 0,
            user=user,
            reason="added to the catalogue",
        )
        _still_builds(organisation, NEW_FIELDS, _in_entry(entry.ref))
    return row


def save_entry(organisation, ref: str, user, data: Mapping[str, str]) -> Indicator | None:
    """Save the entry form: a new version of the catalogue entry (None when nothing changed).
    `Invalid` lists the problems by field; `Conflict` when someone saved since the form's
    `base_version`."""
    _permitted(user, "change_indicator", "change the catalogue")
    row = entry_of(organisation, ref)
    base = base_version(data, "base_version")
    definition = merged_definition(row.definition, data, ENTRY_FIELDS)
    entry = checked(organisation, {**definition, "ref": ref}, ENTRY_FIELDS)
    with transaction.atomic():
        saved = save_version(
            Indicator,
            organisation,
            {"ref": ref},
            _indicator_values(entry),
            base_version=base,
            user=user,
            reason="catalogue entry edited",
        )
        if saved is not None:
            _still_builds(organisation, ENTRY_FIELDS, _in_entry(ref))
    return saved


def _indicator_values(entry, **more) -> dict:
    """A checked entry as the Store keeps it: the definition (targets apart) and the columns to
    search by."""
    definition = entry.model_dump(mode="json", by_alias=True, exclude={"targets"})
    return {"definition": definition, **Indicator.columns(entry), **more}


# --- targets -------------------------------------------------------------------------------


def entry_when(entry: TargetEntry) -> str:
    """A target entry's key in the Store: its period label, or "from YYYY-MM-DD"."""
    return entry.period or f"from {entry.from_.isoformat()}"


def target_words(when: str) -> str:
    """A target's key in words: "for 2024/25", "from 2025-04-01"."""
    return when if when.startswith("from ") else f"for {when}"


def read_target(data: Mapping[str, str], frequency: str, when: dict | None = None) -> TargetEntry:
    """The target form checked by the catalogue's `TargetEntry`: the numbers, and for a new
    target (`when` None) the period (a label, kept in its usual form) or the start date.
    `Invalid` lists every problem by field."""
    errors: dict[str, str] = {}
    numbers = {name: _number(data, field, errors) for field, name in TARGET_NUMBERS.items()}
    if numbers["target"] is None and "target_value" not in errors:
        errors["target_value"] = "Target: enter the target, a number like 42 or 38.5"
    if when is None:
        when = _when(data, frequency, errors)
    try:
        entry = TargetEntry.model_validate({**numbers, **when})
    except PydanticError as error:
        for problem in error.errors():
            path, message = explain(
                {**problem, "loc": ("indicators", 0, "targets", 0, *problem["loc"])}
            )
            field = TARGET_KEYS.get(str(path[4]) if len(path) > 4 else "", "target_period")
            errors.setdefault(field, f"{TARGET_FIELDS[field]}: {message}")
    if errors:
        raise Invalid(errors)
    return entry


def _number(data: Mapping[str, str], field: str, errors: dict) -> float | None:
    text = (data.get(field) or "").strip().replace(",", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        errors[field] = f"{TARGET_FIELDS[field]}: must be a number, like 42 or 38.5, not “{text}”"
        return None
    return number


def _when(data: Mapping[str, str], frequency: str, errors: dict) -> dict:
    """{"period": label} or {"from": date text} from the form; a problem goes into `errors`.
    A period label is read as the catalogue reads it (a bare date with the indicator's
    frequency) and kept in its usual form, so one period has one key."""
    label = (data.get("target_period") or "").strip()
    start = (data.get("target_from") or "").strip()
    if bool(label) == bool(start):
        errors["target_period"] = (
            "Period: give the period the target is for, or the date it applies from"
            + (", not both" if label else "")
        )
        return {}
    if start:
        return {"from": start}
    try:
        return {"period": parse_period(label, frequency).label}
    except PeriodError as error:
        errors["target_period"] = f"Period: {error}"
        return {}


def stored_when(target: Target) -> dict:
    return {"period": target.period} if target.period else {"from": target.from_date}


def _target_values(entry: TargetEntry) -> dict:
    return {
        "period": entry.period or "",
        "from_date": entry.from_,
        **{name: getattr(entry, name) for name in TARGET_NUMBERS.values()},
    }


def add_target(organisation, ref: str, user, data: Mapping[str, str]) -> Target:
    """Add a target for a period or from a date to indicator `ref`."""
    _permitted(user, "add_target", "set targets")
    frequency = entry_of(organisation, ref).definition.get("frequency")
    entry = read_target(data, frequency)
    when = entry_when(entry)
    with transaction.atomic():
        found = (
            Target.objects.as_at()
            .filter(organisation=organisation, indicator=ref, when=when)
            .first()
        )
        if found is not None and not found.withdrawn:
            raise Invalid(
                {
                    "target_period": f"Period: {ref} already has a target {target_words(when)}; "
                    "change that one in the list of targets"
                }
            )
        last = Target.objects.filter(organisation=organisation, indicator=ref).aggregate(
            p=Max("position")
        )
        row = save_version(
            Target,
            organisation,
            {"indicator": ref, "when": when},
            {**_target_values(entry), "position": (last["p"] or 0) + 1},
            base_version=found.version if found else 0,
            user=user,
            reason="target added",
        )
        _still_builds(organisation, TARGET_FIELDS, _in_target(ref, when))
    return row


def change_target(organisation, ref: str, user, data: Mapping[str, str]) -> Target | None:
    """Change the numbers of one of `ref`'s targets (`target_when` names it) from the version
    the form was opened at (`target_base`); None when nothing changed. Its period or date
    stays: to move a target, withdraw it and add another."""
    _permitted(user, "change_target", "set targets")
    found = current_target(organisation, ref, data.get("target_when", ""))
    base = base_version(data, "target_base")
    frequency = entry_of(organisation, ref).definition.get("frequency")
    entry = read_target(data, frequency, stored_when(found))
    with transaction.atomic():
        row = save_version(
            Target,
            organisation,
            {"indicator": ref, "when": found.when},
            {name: getattr(entry, name) for name in TARGET_NUMBERS.values()},
            base_version=base,
            user=user,
            reason="target changed",
        )
        if row is not None:
            _still_builds(organisation, TARGET_FIELDS, _in_target(ref, found.when))
    return row


def withdraw_target(organisation, ref: str, user, data: Mapping[str, str]) -> Target:
    """Withdraw one of `ref`'s targets: a withdrawn version, so its history stays."""
    _permitted(user, "change_target", "set targets")
    found = current_target(organisation, ref, data.get("target_when", ""))
    with transaction.atomic():
        row = save_version(
            Target,
            organisation,
            {"indicator": ref, "when": found.when},
            {},
            base_version=base_version(data, "target_base"),
            user=user,
            reason="target withdrawn",
            withdrawn=True,
        )
        _still_builds(organisation, TARGET_FIELDS, _in_target(ref, found.when))
    return row


def current_target(organisation, ref: str, when: str) -> Target:
    """The latest version of `ref`'s target for `when` (withdrawn or not, so a stale form
    meets the version that replaced it)."""
    found = (
        Target.objects.as_at()
        .filter(organisation=organisation, indicator=ref, when=when.strip())
        .first()
    )
    if found is None:
        raise NotFound(f"{ref} has no target {target_words(when.strip() or 'that period')}")
    return found


def target_form(target: Target) -> dict:
    """The target form opened on a stored target, with the version it is opened at."""
    shown = {
        field: "" if getattr(target, name) is None else f"{getattr(target, name):g}"
        for field, name in TARGET_NUMBERS.items()
    }
    return {**shown, "target_when": target.when, "target_base": target.version}


# --- owners' assignments -------------------------------------------------------------------


def owners() -> list:
    """The people in the owner group, by name."""
    people = get_user_model().objects.filter(groups__name=OWNER, is_active=True)
    return list(people.order_by("last_name", "first_name", "username").distinct())


def teams(organisation) -> dict[str, str]:
    """The teams the catalogue names: division or directorate -> which it is."""
    rows = Indicator.objects.current().filter(organisation=organisation)
    found = {name: "directorate" for name in rows.values_list("directorate", flat=True) if name}
    found |= {name: "division" for name in rows.values_list("division", flat=True) if name}
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def assignments(organisation) -> list[Assignment]:
    rows = Assignment.objects.filter(organisation=organisation).select_related("user")
    return list(rows.order_by("user__username", "indicator", "team"))


def assign(organisation, officer, data: Mapping[str, str]) -> Assignment:
    """Assign an owner (`user`, their id) an indicator ("indicator:REF") or a team
    ("team:NAME") named in `what`. `Invalid` says what to choose."""
    _permitted(officer, "add_assignment", "assign owners")
    errors: dict[str, str] = {}
    person = _owner(data.get("user", ""), errors)
    given = _assignable(organisation, data.get("what", ""), errors)
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        same = Assignment.objects.filter(organisation=organisation, user=person, **given)
        if same.exists():
            raise Invalid(
                {"what": f"What: {person_name(person)} already has {assigned_text(**given)}"}
            )
        made = Assignment.objects.create(organisation=organisation, user=person, **given)
        audit.record(
            "assigned",
            "assignment",
            f"{person.get_username()} {assigned_text(**given)}",
            user=officer,
            organisation=organisation,
            after={"user": person.get_username(), **given},
        )
    return made


def unassign(organisation, officer, assignment_id) -> Assignment:
    """Remove an assignment: the owner may no longer edit what it named."""
    _permitted(officer, "delete_assignment", "assign owners")
    with transaction.atomic():
        found = (
            Assignment.objects.select_related("user")
            .filter(organisation=organisation, pk=_id(assignment_id))
            .first()
        )
        if found is None:
            raise NotFound("that assignment was already removed")
        given = {"indicator": found.indicator, "team": found.team}
        Assignment.objects.filter(pk=found.pk).delete()
        audit.record(
            "removed",
            "assignment",
            f"{found.user.get_username()} {assigned_text(**given)}",
            user=officer,
            organisation=organisation,
            before={"user": found.user.get_username(), **given},
        )
    return found


def _id(text) -> int:
    try:
        return int(text or 0)
    except (TypeError, ValueError):
        return 0


def _owner(user_id: str, errors: dict):
    found = next((p for p in owners() if p.pk == _id(user_id)), None)
    if found is None:
        errors["user"] = "Owner: choose one of the owners listed"
    return found


def _assignable(organisation, what: str, errors: dict) -> dict:
    """{"indicator": ref} or {"team": name} from "indicator:REF" or "team:NAME"."""
    kind, _, name = what.partition(":")
    known = {
        "indicator": lambda: {row.ref for row in catalogue(organisation)},
        "team": lambda: set(teams(organisation)),
    }
    if kind not in known or name not in known[kind]():
        errors["what"] = "What: choose an indicator or a team from the list"
        return {}
    return {kind: name}


def assigned_text(indicator: str = "", team: str = "") -> str:
    """What an assignment names, in words: "ADM1" or "team Adults"."""
    return indicator or f"team {team}"


def person_name(person) -> str:
    return person.get_full_name() or person.get_username()
