"""Roles as groups, the catalogue entry checked by the catalogue's own model, published packs
and audit entries frozen."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError

from boardpack.web.records.models import AuditEntry, Indicator, Organisation
from boardpack.web.records.roles import ROLES
from boardpack.web.records.versioning import ImmutableVersion

pytestmark = pytest.mark.django_db


def member(role: str) -> User:
    user = User.objects.create_user(role.replace(" ", "_"))
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def test_the_four_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("viewer", ["view_publishedpack"], ["view_observation", "add_observation"]),
        (
            "owner",
            ["add_observation", "add_commentary", "view_indicator"],
            ["add_target", "add_indicator", "add_publishedpack"],
        ),
        (
            "performance officer",
            ["add_target", "add_indicator", "add_publishedpack", "view_auditentry"],
            ["delete_observation", "change_auditentry"],
        ),
        ("administrator", ["add_target", "delete_organisation", "change_auditentry"], []),
    ],
)
def test_each_role_holds_its_permissions(role, allowed, refused):
    user = member(role)
    for codename in allowed:
        assert user.has_perm(f"boardpack.{codename}"), f"{role} should have {codename}"
    for codename in refused:
        assert not user.has_perm(f"boardpack.{codename}"), f"{role} should not have {codename}"


def test_a_catalogue_entry_is_checked_by_the_catalogue_model():
    org = Organisation.objects.create(code="E1", name="One")
    entry = Indicator(
        organisation=org,
        ref="X1",
        version=1,
        title="X",
        definition={
            "ref": "X1",
            "title": "X",
            "polarity": "upwards",
            "unit": "number",
            "frequency": "monthly",
        },
    )
    with pytest.raises(ValidationError, match="polarity"):
        entry.clean()
    entry.definition["polarity"] = "higher_better"
    entry.clean()
    assert entry.entry().decimals == 0


def test_audit_entries_are_never_changed():
    entry = AuditEntry.objects.create(
        at="2025-01-01T00:00Z", action="approved", kind="x", record="y"
    )
    entry.action = "rejected"
    with pytest.raises(ImmutableVersion):
        entry.save()
    with pytest.raises(ImmutableVersion):
        entry.delete()


def test_the_committed_migrations_match_the_models():
    from django.core.management import call_command

    call_command("makemigrations", "boardpack", "--check", "--dry-run", verbosity=0)
