"""The Jinja2 environment of the web pages: the pack's own filters (rating and direction
badges, safe Markdown) and templates (`macros.html`), plus `url()`, `static()` and the
signed-in user's role and permissions in every page."""

from __future__ import annotations

from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from boardpack.engine.formatting import format_value
from boardpack.pack.markdown import render_markdown
from boardpack.pack.trend import count_text
from boardpack.pack.words import RAG_LABELS, direction_badge, rag_badge

from .. import access

#: The navigation: page name, words, the permission that shows it (pages not installed are
#: left out).
NAVIGATION = (
    ("dashboard", "Dashboard", "view_indicator"),
    ("tasks", "My tasks", "view_submission"),
    ("periods", "Reporting periods", "change_reportingperiod"),
    ("catalogue", "Catalogue", "change_indicator"),
    ("assignments", "Assignments", "change_assignment"),
    ("records_upload", "Records", "import_observation"),
    ("packs", "Published packs", "view_publishedpack"),
    ("audit", "Audit log", "view_auditentry"),
    ("tokens", "API tokens", "add_apitoken"),
)


def url(name: str, *args, **kwargs) -> str:
    """The address of a named page: `url("indicator", ref)`."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


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
        for address, words in reachable(request.user)
    ]


def reachable(user) -> list[tuple[str, str]]:
    """The address and words of each page the user's permissions reach."""
    links = []
    for name, words, codename in NAVIGATION:
        if not user.has_perm(f"boardpack.{codename}"):
            continue
        try:
            links.append((reverse(name), words))
        except NoReverseMatch:
            continue
    return links


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
    """Names every page may use: the user's role (its name only), their permissions
    (`perms.boardpack.<codename>`, as Django's templates have them) and what they may reach. A request refused
    before anyone is signed in (a host not served, a damaged form) has no user yet."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "signed_in": user,
        "role": access.role(user),
        "perms": PermWrapper(user),
        "navigation": navigation(request) if user.is_authenticated else [],
    }
