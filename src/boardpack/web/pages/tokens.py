"""The API tokens page: a user's tokens for the read API (name, prefix, made, last used), a
form to make one (its secret shown once, on the answer to that form, never again) and a
button to revoke each. Every role may hold tokens; a token reads what its holder's role
reads. The API itself (`boardpack.web.api`) is mounted beside the page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache

from .. import access, api, tokens


def page(request, status: int = 200, **extra):
    context = {
        "tokens": tokens.tokens_of(request.user),
        "name": "",
        "error": None,
        "error_field": None,
        **extra,
    }
    return render(request, "boardpack/tokens.html", context, status=status)


def create(request):
    """Make a token and show its secret on this answer only."""
    name = request.POST.get("name", "")
    try:
        secret = tokens.create_token(request.user, name)
    except tokens.TokenError as error:
        return page(request, status=400, name=name, error=str(error), error_field="name")
    return page(request, status=201, secret=secret, created=name.strip())


def revoke(request):
    try:
        token = tokens.revoke(request.user, request.POST.get("token", ""))
    except tokens.TokenError as error:
        messages.error(request, str(error))
        return redirect("tokens")
    messages.success(request, f"Token {token.name} ({token.prefix}…) is revoked.")
    return redirect("tokens")


#: What the page's forms ask for, by the `action` they send.
ACTIONS = {"create": create, "revoke": revoke}


@never_cache
@access.permission("add_apitoken")
def tokens_page(request):
    if request.method != "POST":
        return page(request)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return page(request, status=400, error="Use the Make token or Revoke buttons on this page")
    return action(request)


#: The page, and the API its tokens open (mounted at /api/).
urlpatterns = [path("tokens/", tokens_page, name="tokens"), *api.urlpatterns]
