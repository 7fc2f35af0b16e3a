"""Documents of a pack: PDF (tagged, PDF/UA-1), Excel workbook and Word document.

`FORMATS` is the registry of output formats (`OutputFormat`): each writes one file of a
period's pack. The PDF and the Word document are made from one print document of the pack
(`printable.py`), built once however many are asked. `register_format` adds a format in code;
a plugin's `output_formats` hook adds them from a package (`docs/hooks.md`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from boardpack.errors import BoardpackError, Problem
from boardpack.pack import PackInput, get_layout
from boardpack.pack.render import SvgRenderer
from boardpack.pack.writer import pack_renderer
from boardpack.plugins import Registry

from .docx import docx_from_document, write_docx
from .pdf import pdf_from_document, write_pdf
from .pictures import PNG_SCALE
from .printable import PrintDocument, print_document
from .xlsx import write_xlsx


@runtime_checkable
class OutputFormat(Protocol):
    """A document of a period's pack: its `name` (what `--format` says), the `filename` it is
    written to in the output folder, and `write(pack, document, out, *, layout)`, which writes
    it to `out` and returns the path. `layout` is the name of the layout the pack is built in:
    `pack.project.paper_for(layout)` is that layout's paper (the project's `paper:` with the
    layout's own fields in their place), `boardpack.pack.paper.paper_view` the paper as the
    layout prints it. `document()` gives the pack's print document (all its pages as one HTML
    document, `PrintDocument`, whose title, subject and author are the layout's paper's),
    made once for every format that asks."""

    name: str
    filename: str

    def write(
        self, pack: PackInput, document: Callable[[], PrintDocument], out: Path, *, layout: str
    ) -> Path: ...


Writer = Callable[[PackInput, Callable[[], PrintDocument], Path, str], Path]


@dataclass(frozen=True)
class Format:
    """An output format from a name, a file name and a function that writes it, given the
    pack, the print document, the path and the layout's name."""

    name: str
    filename: str
    writer: Writer

    def write(
        self, pack: PackInput, document: Callable[[], PrintDocument], out: Path, *, layout: str
    ) -> Path:
        return self.writer(pack, document, out, layout)


#: Every output format by name (`output_formats()` adds the installed plugins' first).
FORMATS = Registry("output_formats", OutputFormat)
for _format in (
    Format(
        "pdf", "pack.pdf", lambda pack, document, out, layout: pdf_from_document(document(), out)
    ),
    Format("xlsx", "pack.xlsx", lambda pack, document, out, layout: write_xlsx(pack, layout, out)),
    Format(
        "docx", "pack.docx", lambda pack, document, out, layout: docx_from_document(document(), out)
    ),
):
    FORMATS.register(_format)


def takes_layout(output: OutputFormat) -> bool:
    """Whether a format's `write` takes the `layout` keyword (or any keyword)."""
    try:
        parameters = inspect.signature(output.write).parameters.values()
    except (TypeError, ValueError):  # a write() whose signature cannot be read: call it
        return True
    return any(
        p.kind is p.VAR_KEYWORD
        or (p.name == "layout" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))
        for p in parameters
    )


def check_formats(known: Registry, formats: list[str]) -> None:
    """An error naming each format asked for whose `write` does not take `layout`."""
    old = [name for name in formats if not takes_layout(known[name])]
    if old:
        raise BoardpackError(
            [
                Problem(
                    field=f"output format {name}",
                    value=type(known[name]).__qualname__,
                    what="its write() takes no layout keyword, so it cannot print the "
                    "layout's paper",
                    fix="define write(self, pack, document, out, *, layout) (see docs/hooks.md, "
                    "output_formats)",
                )
                for name in old
            ]
        )


def register_format(output: OutputFormat) -> None:
    """Add an output format (or replace one of the same name)."""
    FORMATS.register(output)


def output_formats() -> Registry:
    """Every output format: Boardpack's, those registered in code and the installed plugins'."""
    return FORMATS.loaded()


def write_documents(
    pack: PackInput, layout: str, formats: list[str], out_dir: Path, site: Path | None = None
) -> list[Path]:
    """Write each document in `formats` (names in `FORMATS`) into `out_dir`; `site` is the index
    page of the pack's site when it is already built (otherwise one is built in a temporary
    folder, once, if a format needs it)."""
    known = output_formats()
    unknown = [name for name in formats if name not in known]
    if unknown:
        raise ValueError(
            f"unknown document format {', '.join(unknown)}; choose from {', '.join(known)}"
        )
    check_formats(known, formats)
    made: list[PrintDocument] = []
    out_dir = Path(out_dir)
    with chart_workers(pack, layout, formats, site) as renderer:

        def document() -> PrintDocument:
            if not made:
                made.append(print_document(pack, layout, site, renderer))
            return made[0]

        return [
            known[name].write(pack, document, out_dir / known[name].filename, layout=layout)
            for name in formats
        ]


def chart_workers(
    pack: PackInput, layout: str, formats: list[str], site: Path | None
) -> AbstractContextManager[SvgRenderer | None]:
    """When the site is built here for a Word document or a PDF (both print charts as PNG
    pictures), one set of workers draws its charts and turns them into the PNGs straight
    after, while the pages are written (no second pool to start, nothing converted twice);
    otherwise none."""
    pictured = {"docx", "pdf"} & set(formats)
    if not pictured or site is not None or get_layout(layout).source != "period":
        return nullcontext()
    return pack_renderer(pack, layout, png_scale=PNG_SCALE)


__all__ = [
    "FORMATS",
    "Format",
    "OutputFormat",
    "PrintDocument",
    "output_formats",
    "print_document",
    "register_format",
    "write_docx",
    "write_documents",
    "write_pdf",
    "write_xlsx",
]
