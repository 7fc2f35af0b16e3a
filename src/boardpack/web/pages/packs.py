"""Published packs, for everyone with a role: the list, each frozen file served byte for byte
(the pack's relative links work because its index is served at /packs/<id>/), the pack as a
PDF, Word or Excel document (made from the Store as at the pack's time, kept with its files),
and the whole pack as a zip."""

from __future__ import annotations

import io
import mimetypes
import re
import zipfile

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from .. import access
from ..records.models import PublishedFile, PublishedPack
from ..store import DOCUMENTS, find_organisation, pack_documents

#: Types served with a character set: the packs are written in UTF-8.
TEXT_TYPES = {"application/javascript", "application/json", "image/svg+xml"}


def content_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in TEXT_TYPES:
        return f"{guessed}; charset=utf-8"
    return guessed


def pack_of(request, pack_id: int) -> PublishedPack:
    """A pack of the organisation served, if the user may see it (404 otherwise)."""
    rows = PublishedPack.objects.restrict(request.user).select_related("period", "published_by")
    return get_object_or_404(rows, pk=pack_id, period__organisation=find_organisation())


@access.permission("view_publishedpack")
def packs(request):
    organisation = find_organisation()
    rows = (
        PublishedPack.objects.restrict(request.user)
        .filter(period__organisation=organisation)
        .select_related("period", "published_by")
        .order_by("-published_at", "-id")
    )
    context = {"organisation": organisation, "packs": rows, "documents": DOCUMENTS}
    return render(request, "boardpack/packs/list.html", context)


@access.permission("view_publishedpack")
def pack_file(request, pack_id: int, path: str = "index.html"):
    pack = pack_of(request, pack_id)
    found = PublishedFile.objects.filter(pack=pack, path=path).first()
    if found is None:
        raise Http404(f"the pack has no file {path}")
    response = HttpResponse(found.data(), content_type=content_type(path))
    response["Cache-Control"] = "private, max-age=3600"  # frozen, but only for signed-in users
    return response


def download_name(pack: PublishedPack, extension: str = "zip") -> str:
    words = f"boardpack {pack.period.label} {pack.layout}"
    return re.sub(r"[^A-Za-z0-9]+", "-", words).strip("-").lower() + f".{extension}"


@access.permission("view_publishedpack")
def pack_document(request, pack_id: int, name: str):
    """The pack as a PDF, Word or Excel document, made at first asking if it was not made
    after publishing."""
    pack = pack_of(request, pack_id)
    if name not in DOCUMENTS:
        raise Http404(f"a pack is offered as {', '.join(DOCUMENTS)}, not {name}")
    document = pack_documents(pack, [name])[name]
    response = HttpResponse(document.data(), content_type=content_type(document.path))
    response["Content-Disposition"] = f'attachment; filename="{download_name(pack, name)}"'
    return response


@access.permission("view_publishedpack")
def pack_download(request, pack_id: int):
    pack = pack_of(request, pack_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in pack.files.order_by("path"):
            archive.writestr(row.path, row.data())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{download_name(pack)}"'
    return response


urlpatterns = [
    path("packs/", packs, name="packs"),
    path("packs/<int:pack_id>/download/", pack_download, name="pack_download"),
    path("packs/<int:pack_id>/download/<str:name>/", pack_document, name="pack_document"),
    path("packs/<int:pack_id>/", pack_file, name="pack"),
    path("packs/<int:pack_id>/<path:path>", pack_file, name="pack_file"),
]
