"""Signing in and out. Failed sign-ins are counted in the database (django-axes), so every
server process sees the same counts: after `LOGIN_ATTEMPTS` failures for one user name, or
from one address, further tries are refused for `LOGIN_COOLOFF_MINUTES` (whatever the
password); a success clears the count. An administrator unlocks at once with `boardpack db
unlock NAME` or on the admin site's "Access attempts" page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse


def too_many() -> str:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return (
        "Too many failed sign-ins for this user name or from your address. Wait "
        f"{minutes} minute{'s' if minutes != 1 else ''} and try again, or ask an administrator "
        "to unlock your account."
    )


def client_address(request) -> str:
    """The address a request came from: behind a trusted proxy (`BOARDPACK_PROXY_COUNT`), the
    address the proxy saw, from X-Forwarded-For; else the connection's own."""
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, credentials, *args, **kwargs):
    """The sign-in page again, saying why and for how long (429)."""
    form = AuthenticationForm(request, data=request.POST or None)
    form.errors.clear()
    form.add_error(None, too_many())
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "boardpack/signin.html", context, status=429)


class SignInView(auth_views.LoginView):
    template_name = "boardpack/signin.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Viewers land on the published packs; everyone else on the dashboard."""
        if not self.request.user.has_perm("boardpack.view_indicator"):
            try:
                return reverse("packs")
            except NoReverseMatch:
                pass
        return super().get_default_redirect_url()

    def get_redirect_url(self):
        """The page asked for (`next`), unless it is the dashboard and the user may not see it:
        a viewer who opened the site's own address lands on the published packs, not a
        refusal."""
        asked = super().get_redirect_url()
        if asked == reverse("dashboard") and not self.request.user.has_perm(
            "boardpack.view_indicator"
        ):
            return ""
        return asked


urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
]
