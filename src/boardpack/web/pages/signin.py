"""Signing in and out. Failed sign-ins are counted per account name and address; after
`LOGIN_ATTEMPTS` failures within `LOGIN_WINDOW_SECONDS` further tries are refused until the
window passes, whatever the password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, path, reverse

from .. import access
from ..records.roles import OWNER

TOO_MANY = (
    "Too many failed sign-ins for this account from your address. Wait 15 minutes and try "
    "again, or ask an administrator to reset your password."
)


def _key(request, username: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return f"boardpack-sign-in:{username.strip().lower()}:{address}"


class LimitedAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = self.data.get("username", "")
        key = _key(self.request, username)
        if cache.get(key, 0) >= settings.LOGIN_ATTEMPTS:
            raise ValidationError(TOO_MANY, code="rate_limited")
        try:
            return super().clean()
        except ValidationError:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_WINDOW_SECONDS)
            raise


class SignInView(auth_views.LoginView):
    template_name = "boardpack/signin.html"
    authentication_form = LimitedAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Viewers land on the published packs; everyone else on the dashboard."""
        if not access.at_least(self.request.user, OWNER):
            try:
                return reverse("packs")
            except NoReverseMatch:
                pass
        return super().get_default_redirect_url()


urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
]
