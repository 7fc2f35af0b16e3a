"""The app's addresses: each page module brings its own `urlpatterns`."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from .pages import (
    assets,
    audit,
    catalogue,
    cycle,
    dashboard,
    indicator,
    packs,
    records_upload,
    signin,
    tokens,
    upload,
)

PAGE_MODULES = (
    signin,
    assets,
    dashboard,
    indicator,
    tokens,
    cycle,
    packs,
    upload,
    records_upload,
    audit,
    catalogue,
)

urlpatterns = [
    path("admin/", admin.site.urls),
    *(pattern for module in PAGE_MODULES for pattern in module.urlpatterns),
]

handler403 = "boardpack.web.pages.refusals.permission_denied"
handler500 = "boardpack.web.failures.server_error"
