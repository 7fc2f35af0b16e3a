"""The values of a catalogue's top-level sections, each remembered by its text.

A catalogue is read again whole on every import, though usually only a section changed (the
`data:` list gains a file; the 500 indicators stay as they were). `values` splits the text at
its top-level keys, reads each section not seen before on its own, and takes the others' values
from memory: kept as `marshal` bytes, so each read makes fresh objects and nothing a caller
changes reaches the next. Only for a plain document: a line at the left edge that is not a
simple `key:` (a directive, a document marker, a quoted or complex key), a key given twice, a
section that does not read on its own (an alias of another section's anchor) or holds a
repeated key, and the whole text is left to the loader as before, which also reports every
problem with its line."""

from __future__ import annotations

import hashlib
import marshal
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

#: A line at the left edge that starts a section: a plain key and its colon.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]|\r?$)")
#: Lines at the left edge that belong to the section above (blank, comment, list item).
_WITHIN = re.compile(r"(?:\r?$|#|-(?:[ \t]|\r?$))")
_KEPT: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
_LOCK = threading.Lock()  # the web app's threads share it
KEEP = 32


def split(text: str) -> list[tuple[str, str]] | None:
    """(key, text) of each top-level section in order, or None when the document is not plain
    enough to split safely."""
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines(keepends=True):
        if line[:1] in (" ", "\t") or _WITHIN.match(line):
            if not sections:
                if line.strip() and not line.lstrip().startswith("#"):
                    return None
                continue
            sections[-1][1].append(line)
            continue
        key = _KEY.match(line)
        if key is None:
            return None
        sections.append((key.group(1), [line]))
    names = [name for name, _ in sections]
    if not sections or len(set(names)) != len(names):
        return None
    return [(name, "".join(lines)) for name, lines in sections]


def values(text: str, read: Callable[[str], dict | None]) -> dict[str, Any] | None:
    """The document's values by section (as one read of the whole text gives them), or None
    when it must be read whole. `read(section_text)` reads one section alone: its mapping, or
    None when it has a problem."""
    sections = split(text)
    if sections is None:
        return None
    found: dict[str, Any] = {}
    for name, part in sections:
        key = (name, hashlib.blake2b(part.encode("utf-8"), digest_size=20).digest())
        kept = _kept(key)
        if kept is not None:
            found[name] = marshal.loads(kept)
            continue
        read_alone = read(part)
        if not isinstance(read_alone, dict) or list(read_alone) != [name]:
            return None
        found[name] = read_alone[name]
        _keep(key, read_alone[name])
    return found


def _kept(key: tuple[str, bytes]) -> bytes | None:
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is not None:
            _KEPT.move_to_end(key)
        return kept


def _keep(key: tuple[str, bytes], value: Any) -> None:
    try:
        kept = marshal.dumps(value)
    except ValueError:  # dates and other values marshal does not keep: read each time
        return
    with _LOCK:
        _KEPT[key] = kept
        while len(_KEPT) > KEEP:
            _KEPT.popitem(last=False)
