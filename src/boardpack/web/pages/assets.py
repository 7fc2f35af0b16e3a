"""The stylesheets: the packs' own and the app's, served from the package (no build step)."""

from __future__ import annotations

from importlib.resources import files

from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control

ASSETS = {
    "boardpack.css": files("boardpack.pack") / "static" / "boardpack.css",
    "web.css": files("boardpack.web") / "static" / "web.css",
}


@cache_control(max_age=3600, public=True)
def asset(request, name: str):
    if name not in ASSETS:
        raise Http404(f"no asset {name}")
    return HttpResponse(ASSETS[name].read_bytes(), content_type="text/css; charset=utf-8")


urlpatterns = [path("static/<str:name>", asset, name="asset")]
