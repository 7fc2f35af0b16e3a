"""Published packs on the web: listed for every role, each file served byte for byte with its
type (the web pages with a bar leading back to the list added, never stored), the index at the
pack's own address, and the whole pack as a zip."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from boardpack.web import cycle
from boardpack.web.records.changes import save_version
from boardpack.web.records.models import Observation

from . import test_cycle
from .test_cycle import entry

pytestmark = pytest.mark.django_db
cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the same fixtures


@pytest.fixture
def published(opened):
    """Q3 2024/25 approved and published in the quarterly report layout."""
    period, users = opened
    for ref, value in (("ADM1", "2600"), ("PB1", "40")):
        cycle.save_entry(period, ref, users["officer"], entry(value))
        cycle.submit(period, ref, users["officer"])
        cycle.approve(period, ref, users["second_officer"])
    pack = cycle.publish(period, "quarterly-report", users["officer"])
    return pack, users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_role_sees_the_published_packs(published):
    pack, users = published
    for who in ("viewer", "owner", "officer"):
        page = signed_in(users[who]).get(reverse("packs"))
        assert page.status_code == 200
        text = page.content.decode()
        assert reverse("pack", args=[pack.pk]) in text
        assert reverse("pack_download", args=[pack.pk]) in text
    assert Client().get(reverse("packs")).status_code == 302  # sign in first


#: What serving a pack's web page adds: the bar's stylesheet and the bar.
ADDED = re.compile(
    rb'<link rel="stylesheet" href="/static/pack-bar.css">\n|'
    rb'<nav class="boardpack-bar" aria-label="Boardpack">.*?</nav>\n',
    re.S,
)


def as_stored(page: bytes) -> bytes:
    """A served web page of a pack without the bar leading back to the app."""
    return ADDED.sub(b"", page)


def test_each_file_is_served_byte_for_byte_with_its_type(published):
    pack, users = published
    client = signed_in(users["viewer"])
    index = pack.files.get(path="index.html").data()
    at_root = client.get(reverse("pack", args=[pack.pk]))
    assert body(at_root) != index and as_stored(body(at_root)) == index
    assert at_root["Content-Type"] == "text/html; charset=utf-8"
    named = client.get(reverse("pack_file", args=[pack.pk, "index.html"]))
    assert as_stored(body(named)) == index
    page = pack.files.get(path="indicators/adm1.html")
    served = client.get(reverse("pack_file", args=[pack.pk, "indicators/adm1.html"]))
    assert as_stored(body(served)) == page.data()
    styles = [f for f in pack.files.all() if f.path.endswith(".css")]
    assert styles, "the pack has a stylesheet"
    css = client.get(reverse("pack_file", args=[pack.pk, styles[0].path]))
    assert css["Content-Type"] == "text/css; charset=utf-8" and body(css) == styles[0].data()
    missing = client.get(reverse("pack_file", args=[pack.pk, "nothing.html"]))
    assert missing.status_code == 404
    assert client.get(reverse("pack", args=[pack.pk + 1])).status_code == 404


def test_a_packs_web_pages_lead_back_to_the_published_packs_but_its_files_do_not(published):
    pack, users = published
    client = signed_in(users["viewer"])
    for path in ("index.html", "indicators/adm1.html"):
        page = body(client.get(reverse("pack_file", args=[pack.pk, path]))).decode()
        bar = page[page.index('<nav class="boardpack-bar"') :]
        bar = bar[: bar.index("</nav>")]
        back = f'<a href="{reverse("packs")}">Back to Smallshire County Council\'s published packs'
        assert back in bar
        assert "Q3 2024/25, published " in bar and "the pack's downloads do not have it" in bar
        assert page.index('class="skip-link"') < page.index("boardpack-bar")  # still first
        assert page.index("boardpack-bar") < page.index('<header class="site-header">')
        head = page[: page.index("</head>")]
        assert '<link rel="stylesheet" href="/static/pack-bar.css">' in head
        assert b"boardpack-bar" not in pack.files.get(path=path).data()
    style = client.get("/static/pack-bar.css")
    assert style.status_code == 200 and b".boardpack-bar" in body(style)
    download = client.get(reverse("pack_download", args=[pack.pk]))
    archive = zipfile.ZipFile(io.BytesIO(body(download)))
    assert not any(b"boardpack-bar" in archive.read(name) for name in archive.namelist())


def test_relative_links_in_the_index_resolve_to_pack_files(published):
    pack, users = published
    index = pack.files.get(path="index.html").data().decode()
    assert 'href="indicators/adm1.html"' in index
    base = reverse("pack", args=[pack.pk])
    served = signed_in(users["viewer"]).get(base + "indicators/adm1.html")
    assert served.status_code == 200


def test_the_download_is_a_zip_of_every_file(published):
    pack, users = published
    answer = signed_in(users["viewer"]).get(reverse("pack_download", args=[pack.pk]))
    assert answer["Content-Type"] == "application/zip"
    assert "boardpack-q3-2024-25-quarterly-report.zip" in answer["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(body(answer)))
    stored = {f.path: f.data() for f in pack.files.all()}
    assert {name: archive.read(name) for name in archive.namelist()} == stored


def test_a_served_pack_stays_as_published_after_a_revision(published):
    pack, users = published
    client = signed_in(users["viewer"])
    url = reverse("pack_file", args=[pack.pk, "indicators/adm1.html"])
    before = body(client.get(url))
    assert b"2,600" in before
    key = cycle.figure_key(pack.period, "ADM1")
    latest = Observation.objects.current().get(**key)
    save_version(
        Observation,
        pack.period.organisation,
        key,
        {"value": 2725.0},
        base_version=latest.version,
        user=users["officer"],
        reason="late returns",
    )
    assert body(client.get(url)) == before


def test_a_pack_is_offered_as_pdf_word_and_excel_frozen_with_its_pages(published):
    pack, users = published
    client = signed_in(users["viewer"])
    listed = client.get(reverse("packs")).content.decode()
    key = cycle.figure_key(pack.period, "ADM1")
    latest = Observation.objects.current().get(**key)
    save_version(  # revised after publishing: the documents still hold the pack's figures
        Observation,
        pack.period.organisation,
        key,
        {"value": 2725.0},
        base_version=latest.version,
        user=users["officer"],
        reason="late returns",
    )
    kinds = {
        "pdf": ("application/pdf", b"%PDF"),
        "docx": ("wordprocessingml", b"PK"),
        "xlsx": ("spreadsheetml", b"PK"),
    }
    for name, (kind, start) in kinds.items():
        url = reverse("pack_document", args=[pack.pk, name])
        assert url in listed
        answer = client.get(url)
        assert answer.status_code == 200 and kind in answer["Content-Type"]
        assert f"boardpack-q3-2024-25-quarterly-report.{name}" in answer["Content-Disposition"]
        assert body(answer).startswith(start)
        assert body(client.get(url)) == body(answer)  # kept with the pack, not made again
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(pack.files.get(path="documents/pack.xlsx").data())
    )
    figures = [
        cell
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for cell in row
    ]
    assert 2600 in figures and 2725 not in figures
    assert client.get(reverse("pack_document", args=[pack.pk, "odt"])).status_code == 404
