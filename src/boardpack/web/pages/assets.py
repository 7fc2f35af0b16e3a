"""The stylesheets (the packs' own and the app's) and the API docs' Swagger assets, served
from the packages (no build step, no CDN: the app works offline)."""

from __future__ import annotations

import mimetypes
from importlib.resources import files

from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control

ASSETS = {
    "boardpack.css": files("boardpack.pack") / "static" / "boardpack.css",
    "web.css": files("boardpack.web") / "static" / "web.css",
    "pack-bar.css": files("boardpack.web") / "static" / "pack-bar.css",
}
#: The Swagger UI files django-ninja carries (its version pinned with django-ninja's).
NINJA = files("ninja") / "static" / "ninja"
NINJA_ASSETS = (
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "swagger-ui-init.js",
    "redoc.standalone.js",
    "favicon.svg",
    "favicon.png",
)


@cache_control(max_age=3600, public=True)
def asset(request, name: str):
    if name not in ASSETS:
        raise Http404(f"no asset {name}")
    return HttpResponse(ASSETS[name].read_bytes(), content_type="text/css; charset=utf-8")


@cache_control(max_age=3600, public=True)
def api_asset(request, name: str):
    if name not in NINJA_ASSETS:
        raise Http404(f"no asset {name}")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return HttpResponse((NINJA / name).read_bytes(), content_type=kind)


urlpatterns = [
    path("static/ninja/<str:name>", api_asset, name="api_asset"),
    path("static/<str:name>", asset, name="asset"),
]
