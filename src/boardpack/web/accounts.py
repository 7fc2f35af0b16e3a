"""Users added from the command line (`boardpack db user`): a council's first administrator
and its officers, before anyone can sign in to add them in the browser."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from .records.roles import ADMINISTRATOR


def save_user(username: str, role: str, password: str, name: str = "", email: str = "") -> str:
    """Add `username` in `role` (a group of `records.roles`) with `password`, or give an
    existing user that role and password; what was done, in words. An administrator is staff
    and superuser too (Django's admin). Raises ValueError, saying why, for a blank user name
    or a password the settings' validators refuse."""
    if not username.strip():
        raise ValueError("Give a user name")
    if not password:
        raise ValueError("Give a password")
    try:
        validate_password(password, User(username=username))
    except ValidationError as refused:
        raise ValueError(" ".join(refused.messages)) from None
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        found = User.objects.filter(username=username).first()
        user = found or User(username=username)
        user.first_name, user.last_name = (
            (first, last) if name.strip() else (user.first_name, user.last_name)
        )
        user.email = email or user.email
        user.is_staff = user.is_superuser = role == ADMINISTRATOR
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
    done = "Changed" if found else "Added"
    return f"{done} {username}: {role}. They sign in with this password at the app's address."
