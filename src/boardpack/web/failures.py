"""When something goes wrong: every request gets an id (shown on error pages, sent as
`X-Request-ID` and written with every logged error), forms and addresses holding NUL
characters are refused (400) before they reach the database, a database that does not answer
gives a 503 page saying to try again in a minute, and any other server error a 500 page naming
the request id, logged with its traceback. The connection is opened afresh on the next request,
so the app recovers by itself once the database is back."""

from __future__ import annotations

import logging
import re
import secrets
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

log = logging.getLogger("boardpack.web.errors")
#: A request id a proxy may pass on (`X-Request-ID`), kept when it is plain and short.
GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{6,64}")
#: The bodies of posted forms (waitress refuses one larger than an upload may be).
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
#: What a database that does not answer raises.
DATABASE_DOWN = (OperationalError, InterfaceError)


def request_id(request) -> str:
    return getattr(request, "id", "") or "unknown"


class RequestIds:
    """Middleware, first of all: give the request an id, refuse NUL characters, and name the
    id on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if GIVEN_ID.fullmatch(given) else secrets.token_hex(6)
        field = _nul_field(request)
        if field is not None:
            response = refused(
                request,
                f"The form sent a NUL character (\\0) in “{field}”, which is not text. "
                "Remove it (it often comes from pasting from another program) and send the "
                "form again.",
            )
        else:
            response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


def _nul_field(request) -> str | None:
    """The first field of the address or form holding a NUL character."""
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return "the address"
    if request.method != "POST" or request.content_type not in FORMS:
        return None
    for name, values in request.POST.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "")
    return None


def page(request, template: str, status: int, **context) -> HttpResponse:
    """An error page rendered without the database (no signed-in user, no navigation)."""
    text = loader.get_template(template).render({"request_id": request_id(request), **context})
    response = HttpResponse(text, status=status)
    response["X-Request-ID"] = request_id(request)
    return response


def refused(request, problem: str) -> HttpResponse:
    log.warning("request %s refused: %s", request_id(request), problem)
    return page(request, "boardpack/failure.html", 400, title="There is a problem", text=problem)


def server_error(request) -> HttpResponse:
    """Django's handler500: the database not answering (503), or any other error (500)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        log.error("request %s: the database is not answering (%s)", request_id(request), error)
        response = page(
            request,
            "boardpack/failure.html",
            503,
            title="The database is not answering",
            text="The database is not answering. Try again in a minute; nothing you sent was "
            "saved unless a page said so.",
        )
        response["Retry-After"] = "60"
        return response
    return page(
        request,
        "boardpack/failure.html",
        500,
        title="Something went wrong",
        text="Something went wrong on the server and the page could not be made. It has been "
        "logged; if it happens again, tell your administrator the request id below.",
    )


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to log records that carry a request (Django's own error log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id(getattr(record, "request", None))
        return True
