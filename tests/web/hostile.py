"""A hostile set of spreadsheets, each made small on disk in a folder given: sparse sheets
reaching XFD1048576, a zip bomb, XML with a DOCTYPE, NUL characters, a 131k-character field,
binary garbage, wrong encodings, formulas with no saved result and a million-row CSV.

`HOSTILE` maps each file name to the function making it and words its refusal must hold.
The benchmark `benchmarks/hostile_uploads.py` uploads the same set to a running server."""

from __future__ import annotations

import os
import random
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from boardpack.sources.safety import TooCostly

HEADER = "indicator,period,value\n"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""  # noqa: E501
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{RELS}">
<sheets><sheet name="Figures" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>period</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>ADM1</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>Q1 2024/25</t></is></c><c r="C2"><v>2501</v></c></row>'
)
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def sheet(rows: str = ROWS, dimension: str = "A1:C2", doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def workbook(path: Path, sheet_xml: str | Callable) -> Path:
    """A minimal XLSX with one sheet, "Figures"; `sheet_xml` may be a function writing the
    sheet's part to an open zip stream (for parts too large to hold in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part, text in (
            ("[Content_Types].xml", TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            archive.writestr(part, text)
        if callable(sheet_xml):
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
                sheet_xml(stream)
        else:
            archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def sparse_dimension(folder: Path) -> Path:
    """1.5 KB whose sheet says it reaches XFD1048576 (a reader then asks for ~100 GiB)."""
    return workbook(folder / "sparse-dimension.xlsx", sheet(dimension="A1:XFD1048576"))


def sparse_cell(folder: Path) -> Path:
    """One cell at XFD1048576 beside the figures."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(folder / "sparse-cell.xlsx", sheet(ROWS + far, dimension="A1:C2"))


def zip_bomb(folder: Path, megabytes: int = 300) -> Path:
    """A sheet that unpacks to `megabytes` of blanks (about a thousandth of that on disk)."""

    def write(stream) -> None:
        stream.write(sheet(ROWS).split("<sheetData>")[0].encode() + b"<sheetData>")
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            stream.write(block)
        stream.write(ROWS.encode() + b"</sheetData></worksheet>")

    return workbook(folder / "zip-bomb.xlsx", write)


def doctype(folder: Path) -> Path:
    """A sheet whose XML declares entities (the start of a billion-laughs attack)."""
    return workbook(folder / "doctype.xlsx", sheet(doctype=BILLION_LAUGHS))


def formulas(folder: Path) -> Path:
    """A formula with no saved result where a figure should be."""
    rows = ROWS.replace('<c r="C2"><v>2501</v></c>', '<c r="C2"><f>SUM(D2:D9)</f></c>')
    return workbook(folder / "formulas.xlsx", sheet(rows))


def nul_csv(folder: Path) -> Path:
    path = folder / "nul.csv"
    path.write_bytes(f"{HEADER}ADM1,Q1 2024/25,2501\nADM1\x00,Q2 2024/25,2650\n".encode())
    return path


def long_field(folder: Path) -> Path:
    """A note of 131,073 characters: longer than Python's CSV reader accepts at all."""
    path = folder / "long-field.csv"
    path.write_text(
        f"indicator,period,value,note\nADM1,Q1 2024/25,2501,{'x' * 131_073}\n", encoding="utf-8"
    )
    return path


def garbage(folder: Path, suffix: str) -> Path:
    """Random bytes named as a spreadsheet."""
    path = folder / f"garbage{suffix}"
    path.write_bytes(random.Random(13).randbytes(64 * 1024))
    return path


def utf16(folder: Path) -> Path:
    path = folder / "utf16.csv"
    path.write_bytes(f"{HEADER}ADM1,Q1 2024/25,2501\n".encode("utf-16"))
    return path


def million_rows(folder: Path) -> Path:
    """A million rows, 4 MB."""
    path = folder / "million-rows.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        out.write("x,,\n" * 1_000_000)
    return path


#: Each hostile file: how it is made, and words its refusal holds.
HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "sparse-dimension.xlsx": (sparse_dimension, "reaches XFD1048576"),
    "sparse-cell.xlsx": (sparse_cell, "reaches XFD1048576"),
    "zip-bomb.xlsx": (zip_bomb, "zip bomb"),
    "doctype.xlsx": (doctype, "DOCTYPE"),
    "formulas.xlsx": (formulas, "formulas with no saved result"),
    "nul.csv": (nul_csv, "NUL"),
    "long-field.csv": (long_field, "the most allowed is 32,767"),
    "garbage.xlsx": (lambda folder: garbage(folder, ".xlsx"), "is not an XLSX workbook"),
    "garbage.csv": (lambda folder: garbage(folder, ".csv"), "not a text file"),
    "garbage.ods": (lambda folder: garbage(folder, ".ods"), "is not an ODS workbook"),
    "utf16.csv": (utf16, "UTF-16"),
    "million-rows.csv": (million_rows, "more than 100,000 rows"),
}


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Figures">
<table:table-row>{header}</table:table-row>
<table:table-row>{cells}</table:table-row>{rest}
</table:table></office:spreadsheet></office:body></office:document-content>"""
ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""  # noqa: E501


def _ods_text(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def ods(path: Path, repeated_empty_rows: int = 0, repeated_value_rows: int = 0) -> Path:
    """A one-sheet ODS with a header and one figure, then (as LibreOffice writes the empty rest
    of a sheet) an empty row repeated, or a row of figures repeated (a bomb)."""
    header = "".join(_ods_text(t) for t in ("indicator", "period", "value"))
    value = '<table:table-cell office:value-type="float" office:value="2501"><text:p>2501</text:p></table:table-cell>'  # noqa: E501
    cells = _ods_text("ADM1") + _ods_text("Q1 2024/25") + value
    rest = ""
    if repeated_empty_rows:
        rest += (
            f'<table:table-row table:number-rows-repeated="{repeated_empty_rows}">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        )
    if repeated_value_rows:
        rest += (
            f'<table:table-row table:number-rows-repeated="{repeated_value_rows}">'
            f"{cells}</table:table-row>"
        )
    content = ODS_CONTENT.format(header=header, cells=cells, rest=rest)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", content)
    return path


# --- for the child process tests: run in a child that has not set Django up ------------------


def add(a, b):
    return a + b


def allocate():
    return bytearray(8 * 1024**3)


def abort():
    os.abort()


def sleep():
    time.sleep(60)


def refuse():
    raise TooCostly("nothing here")
