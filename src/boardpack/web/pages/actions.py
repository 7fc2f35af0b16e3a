"""Posted actions. Each button of a page names an action (`name="action" value="..."`);
`respond` runs the one posted and shows the page again with the problem when it is refused:
400 for values to correct, 409 for a step the record's state refuses or a stale save (with
both versions, for pages that show them)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect

from boardpack.errors import NotFound

from .. import cycle
from ..records.changes import Conflict


def posted_id(request, name: str) -> int:
    """The record number a form posted as `name`; a form sent with anything else is damaged
    (404: no such record)."""
    text = request.POST.get(name, "")
    if not text.isdigit() or len(text) > 18:
        raise Http404(f"the form named no {name} (“{text[:40]}”); open the page again")
    return int(text)


def respond(request, actions: dict, show, *args, done_at: str | None = None):
    """Run the posted action with `args`; on success say what was done and go to `done_at`
    (this page again when None)."""
    handler = actions.get(request.POST.get("action", ""))
    if handler is None:
        return HttpResponseBadRequest("unknown action; use the buttons on the page")
    try:
        done = handler(request, *args)
    except cycle.Invalid as invalid:
        return show(errors=invalid.errors, status=400)
    except Conflict as clash:
        return show(errors={"problem": str(clash)}, status=409, clash=clash)
    except (cycle.CycleError, NotFound) as refused:
        return show(errors={"problem": str(refused)}, status=409)
    messages.success(request, done)
    return redirect(done_at or request.get_full_path())
