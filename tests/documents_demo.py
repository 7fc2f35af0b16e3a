"""The demo council's pack, built once per test session for the document tests, as
`boardpack build` builds it (through `assemble.pack_input`)."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from boardpack import evaluate, load_project
from boardpack.assemble import latest_period, pack_input
from boardpack.documents.printable import PrintDocument, print_document
from boardpack.pack import PackInput, build_site

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"
LAYOUT = "quarterly-report"


@functools.lru_cache(maxsize=1)
def demo_pack() -> PackInput:
    dataset = load_project(DEMO)
    return pack_input(dataset, evaluate(dataset), latest_period(dataset))


@functools.lru_cache(maxsize=1)
def demo_site() -> Path:
    """The demo pack's site, built once into a folder kept for the session."""
    folder = Path(tempfile.mkdtemp(prefix="boardpack-documents-test-"))
    return build_site(demo_pack(), LAYOUT, folder)


def demo_document() -> PrintDocument:
    """A fresh print document of the demo pack (callers may change it)."""
    return print_document(demo_pack(), LAYOUT, demo_site())


def reported_titles() -> list[str]:
    return demo_pack().rows["title"].unique(maintain_order=True).to_list()
