"""The Jinja2 environment of the web pages: the pack's own filters (rating and direction
badges, safe Markdown) and templates (`macros.html`), plus `url()`, `static()` and the
signed-in user's role in every page."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from boardpack.engine.formatting import format_value
from boardpack.pack.markdown import render_markdown
from boardpack.pack.trend import count_text
from boardpack.pack.words import RAG_LABELS, direction_badge, rag_badge

from .. import access
from ..records.roles import OWNER, PERFORMANCE_OFFICER, VIEWER

#: The navigation: page name, words, the least role that sees it (pages not installed are left
#: out).
NAVIGATION = (
    ("dashboard", "Dashboard", OWNER),
    ("tasks", "My tasks", OWNER),
    ("periods", "Reporting periods", PERFORMANCE_OFFICER),
    ("catalogue", "Catalogue", PERFORMANCE_OFFICER),
    ("assignments", "Assignments", PERFORMANCE_OFFICER),
    ("records_upload", "Records", PERFORMANCE_OFFICER),
    ("packs", "Published packs", VIEWER),
    ("audit", "Audit log", PERFORMANCE_OFFICER),
    ("tokens", "API tokens", VIEWER),
)


def url(name: str, *args, **kwargs) -> str:
    """The address of a named page: `url("indicator", ref)`."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


@cache
def static(path: str) -> str:
    return reverse("asset", args=[path])


def when_text(at) -> str:
    """A time as people in the council read it: local time (Europe/London), "29 Nov 2026 09:30"."""
    if not at:
        return ""
    return f"{timezone.localtime(at) if timezone.is_aware(at) else at:%d %b %Y %H:%M}"


def figure_text(value: float | None, definition) -> str:
    """A figure as the packs print it ("2,640", "38.5%"), from its catalogue entry."""
    if value is None:
        return "No figure"
    return format_value(value, definition.decimals or 0, definition.unit)


def navigation(request) -> list[dict]:
    """The pages the user may reach, marked current when the request is for one of them."""
    return [
        {"url": address, "words": words, "current": is_current(request.path, address)}
        for address, words in reachable(access.role(request.user))
    ]


@cache
def reachable(role: str | None) -> tuple[tuple[str, str], ...]:
    """The address and words of each page a role reaches (addresses are fixed while the server
    runs, so each role's list is made once)."""
    links = []
    for name, words, minimum in NAVIGATION:
        if not access.reaches(role, minimum):
            continue
        try:
            links.append((reverse(name), words))
        except NoReverseMatch:
            continue
    return tuple(links)


def is_current(path: str, address: str) -> bool:
    return path == address or (address != "/" and path.startswith(address))


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("boardpack.pack")])
    options.setdefault("undefined", StrictUndefined)
    options.update(trim_blocks=True, lstrip_blocks=True)
    env = Environment(**options)
    env.globals.update(url=url, static=static, RAG_LABELS=RAG_LABELS)
    env.filters.update(
        rag=rag_badge,
        direction=direction_badge,
        markdown=render_markdown,
        when=when_text,
        figure=figure_text,
        count=count_text,
    )
    return env


def boardpack_context(request) -> dict:
    """Names every page may use: the user's role and what they may reach. A request refused
    before anyone is signed in (a host not served, a damaged form) has no user yet."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "signed_in": user,
        "role": access.role(user),
        "is_officer": access.is_officer(user),
        "is_owner": access.at_least(user, OWNER),
        "navigation": navigation(request) if user.is_authenticated else [],
    }
