"""Published packs, for everyone with a role: the list, each frozen file served byte for byte
(the pack's relative links work because its index is served at /packs/<id>/) except that its
web pages get a bar leading back to the list (`way_back`: the stored files, the zip and the
documents never have it, so the pack stays a standalone site), the pack as a PDF, Word or
Excel document (made from the Store as at the pack's time, kept with its files), and the whole
pack as a zip."""

from __future__ import annotations

import io
import mimetypes
import re
import zipfile

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse

from .. import access
from ..cycle import period_layouts
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
    rows = PublishedPack.objects.restrict(request.user).select_related(
        "period__organisation", "published_by"
    )
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
    context = {
        "organisation": organisation,
        "packs": rows,
        "documents": DOCUMENTS,
        "layouts": period_layouts(),
    }
    return render(request, "boardpack/packs/list.html", context)


#: Where the way back goes in a pack's page: after the body's opening tag and the skip link
#: that leads it (so the skip link stays the first thing to reach); its stylesheet at the end
#: of the head.
BODY = re.compile(rb"<body[^>]*>\s*(?:<a class=\"skip-link\"[^>]*>.*?</a>\s*)?", re.S)
HEAD_END = re.compile(rb"</head>", re.I)


def way_back(page: bytes, request, pack: PublishedPack) -> bytes:
    """A pack's web page with the bar leading back to the published packs (the page as it is
    when it has no body or head to put it in)."""
    body, head = BODY.search(page), HEAD_END.search(page)
    if body is None or head is None or head.start() > body.start():
        return page
    context = {
        "organisation": pack.period.organisation.name,
        "period": pack.period.label,
        "published": pack.published_at,
    }
    bar = render_to_string("boardpack/packs/bar.html", context, request=request).encode()
    bar = bar.rstrip(b"\n") + b"\n"
    style = f'<link rel="stylesheet" href="{reverse("asset", args=["pack-bar.css"])}">\n'
    return b"".join(
        [
            page[: head.start()],
            style.encode(),
            page[head.start() : body.end()],
            bar,
            page[body.end() :],
        ]
    )


@access.permission("view_publishedpack")
def pack_file(request, pack_id: int, path: str = "index.html"):
    pack = pack_of(request, pack_id)
    found = PublishedFile.objects.filter(pack=pack, path=path).first()
    if found is None:
        raise Http404(f"the pack has no file {path}")
    data = found.data()
    if content_type(path).startswith("text/html"):
        data = way_back(data, request, pack)
    response = HttpResponse(data, content_type=content_type(path))
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
