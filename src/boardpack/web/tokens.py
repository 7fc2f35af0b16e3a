"""Tokens for the read API: a random secret shown to its owner once, of which only the SHA-256
digest is kept (with a short prefix so its owner can tell tokens apart). A database copy or a
leaked backup therefore holds nothing that opens the API. Tokens are revoked, never deleted,
so the audit log and the token list keep naming them."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from boardpack.errors import BoardpackError

from .records import audit
from .records.models import ApiToken

#: Every secret starts with this, so a leaked one is easy to recognise (and to scan for).
SCHEME = "bp_"
#: How many characters of the secret are kept to show which token is which.
PREFIX_LENGTH = 10
#: `last_used_at` is written at most this often, so busy clients do not write on every call.
USE_RESOLUTION = dt.timedelta(minutes=1)
NAME_LENGTH = ApiToken._meta.get_field("name").max_length


class TokenError(BoardpackError):
    """A token cannot be made or revoked as asked (the message says why and what to do)."""


def digest(secret: str) -> str:
    """The SHA-256 digest of a secret, in hex: all the database keeps."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user, name: str) -> str:
    """Make a token for `user` named `name` and return its secret: shown once, never kept."""
    name = (name or "").strip()
    if not name:
        raise TokenError("Give the token a name, such as the report or script that will use it")
    if len(name) > NAME_LENGTH:
        raise TokenError(f"Shorten the name to {NAME_LENGTH} characters or fewer")
    secret = SCHEME + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], digest=digest(secret)
    )
    audit.record("created", "api token", _label(token), user=user)
    return secret


def revoke(user, token_id) -> ApiToken:
    """Revoke one of `user`'s own tokens; it stops working at once."""
    token = None
    if str(token_id).isdigit():
        token = ApiToken.objects.filter(user=user, pk=int(token_id)).first()
    if token is None:
        raise TokenError("That token is not one of yours; choose one from the list")
    if not token.revoked:
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        token.revoked = True
        audit.record("revoked", "api token", _label(token), user=user)
    return token


def authenticate(secret: str):
    """The active user holding the live token `secret`, or None. Notes when it was used."""
    if not secret or not secret.startswith(SCHEME):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(digest=digest(secret), revoked=False).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def _label(token: ApiToken) -> str:
    return f"{token.name} ({token.prefix}…)"
