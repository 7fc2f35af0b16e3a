"""Documents of a pack: PDF (tagged, PDF/UA-1), Excel workbook and Word document.

`FORMATS` maps a format name to its file name and writer. The PDF and the Word document are
made from one print document of the pack (`printable.py`), built once however many are asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from boardpack.pack import PackInput

from .docx import docx_from_document, write_docx
from .pdf import pdf_from_document, write_pdf
from .printable import PrintDocument, print_document
from .xlsx import write_xlsx


@dataclass(frozen=True)
class Format:
    """A document format: the file it writes and how, from the pack or its print document."""

    filename: str
    write: Callable[[PackInput, Callable[[], PrintDocument], Path], Path]


FORMATS: dict[str, Format] = {
    "pdf": Format("pack.pdf", lambda pack, document, out: pdf_from_document(document(), out)),
    "xlsx": Format("pack.xlsx", lambda pack, document, out: write_xlsx(pack, out)),
    "docx": Format("pack.docx", lambda pack, document, out: docx_from_document(document(), out)),
}


def write_documents(
    pack: PackInput, layout: str, formats: list[str], out_dir: Path, site: Path | None = None
) -> list[Path]:
    """Write each document in `formats` (names in `FORMATS`) into `out_dir`; `site` is the index
    page of the pack's site when it is already built (otherwise one is built in a temporary
    folder, once, if a format needs it)."""
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown document format {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    made: list[PrintDocument] = []

    def document() -> PrintDocument:
        if not made:
            made.append(print_document(pack, layout, site))
        return made[0]

    out_dir = Path(out_dir)
    return [
        FORMATS[name].write(pack, document, out_dir / FORMATS[name].filename) for name in formats
    ]


__all__ = [
    "FORMATS",
    "Format",
    "PrintDocument",
    "print_document",
    "write_docx",
    "write_documents",
    "write_pdf",
    "write_xlsx",
]
