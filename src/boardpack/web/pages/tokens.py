"""The API tokens page: a user's tokens for the read API (name, prefix, made, last used), a
form to make one (its secret shown once, on the answer to that form, never again) and a
button to revoke each. Every role may hold tokens; a token reads what its holder's role
reads. The API itself (`boardpack.web.api`) is mounted beside the page."""

from __future__ import annotations

from django import forms
from django.urls import path
from django.views.decorators.cache import never_cache

from .. import access, api, cycle, tokens
from .form_page import FormPageView, PageForm, RecordField


class CreateTokenForm(PageForm):
    name = forms.CharField(
        max_length=tokens.NAME_LENGTH,
        error_messages={
            "required": "Give the token a name, such as the report or script that will use it",
            "max_length": f"Shorten the name to {tokens.NAME_LENGTH} characters or fewer",
        },
    )

    def save(self, user):
        """Make the token and show its secret on this answer only (201)."""
        name = self.cleaned_data["name"]
        try:
            secret = tokens.create_token(user, name)
        except tokens.TokenError as error:
            raise cycle.Invalid({"name": str(error)}) from None
        self.page.made = {"secret": secret, "created": name}
        return self.page.render(status=201)


class RevokeTokenForm(PageForm):
    keeps_values = False
    token = RecordField(what="token")

    def save(self, user) -> str:
        try:
            token = tokens.revoke(user, self.cleaned_data["token"])
        except tokens.TokenError as error:
            raise cycle.Invalid({"token": str(error)}) from None
        return f"Token {token.name} ({token.prefix}…) is revoked."


class TokensPage(FormPageView):
    template = "boardpack/tokens.html"
    forms = {"create": CreateTokenForm, "revoke": RevokeTokenForm}
    unknown_words = "Use the Make token or Revoke buttons on this page"
    made: dict = {}

    def context(self, clash=None) -> dict:
        return {"tokens": tokens.tokens_of(self.request.user), **self.made}


TOKENS = TokensPage.as_view()


@never_cache
@access.permission("add_apitoken")
def tokens_page(request):
    return TOKENS(request)


#: The page, and the API its tokens open (mounted at /api/).
urlpatterns = [path("tokens/", tokens_page, name="tokens"), *api.urlpatterns]
