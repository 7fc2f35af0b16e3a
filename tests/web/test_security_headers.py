"""Content-Security-Policy on every page, published packs included, with no inline script or
style to allow; the API's docs work offline, from assets the package carries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from . import test_cycle, test_packs_pages
from .test_packs_pages import body, signed_in

pytestmark = pytest.mark.django_db
cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the fixtures
published = test_packs_pages.published
#: Inline script, inline style and event-handler attributes: what the policy forbids.
INLINE = (
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I),
    re.compile(r"<style[\s>]", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:", re.I),
)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def inline_parts(page: str) -> list[str]:
    return [m.group(0) for pattern in INLINE for m in pattern.finditer(page)]


def pages(pack, users) -> dict[str, object]:
    officer = signed_in(users["officer"])
    period = pack.period
    addresses = [
        "/",
        "/tasks/",
        "/periods/",
        f"/periods/{period.pk}/publish/",
        f"/periods/{period.pk}/indicators/ADM1/",
        f"/periods/{period.pk}/indicators/ADM1/review/",
        f"/periods/{period.pk}/upload/",
        "/audit/",
        "/catalogue/",
        "/packs/",
        "/tokens/",
        f"/packs/{pack.pk}/",
        f"/packs/{pack.pk}/indicators/adm1.html",
        "/api/docs",
    ]
    found = {address: officer.get(address) for address in addresses}
    found["/sign-in/"] = Client().get("/sign-in/")
    return found


def test_every_page_and_the_published_pack_has_the_policy_and_no_inline_code(published):
    pack, users = published
    for address, response in pages(pack, users).items():
        assert response.status_code == 200, address
        policy = directives(response)
        assert policy["script-src"] == "'self'", address
        assert policy["style-src"] == "'self'", address
        assert policy["frame-ancestors"] == "'none'", address
        if response["Content-Type"].startswith("text/html"):
            found = inline_parts(body(response).decode())
            assert found == [], f"{address}: {found[:3]}"


def test_the_api_docs_use_the_packages_own_swagger_assets(published):
    _, users = published
    client = signed_in(users["officer"])
    page = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/ninja/swagger-ui.css" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(body(asset)) > 0
    assert client.get("/static/ninja/../settings.py").status_code == 404
