"""docs/spc.md stays true: its tables name every variation and assurance icon the engine
gives, the pack's words cover each, and the icon mapping table is the engine's."""

import re
from pathlib import Path

from boardpack.engine.spc_options import ASSURANCE_ICONS, ICON_OF_POINT, VARIATION_ICONS
from boardpack.pack.words import ASSURANCE_WORDS, VARIATION_WORDS

DOC = (Path(__file__).parent.parent / "docs" / "spc.md").read_text(encoding="utf-8")
IMPROVEMENT = {"`increase`": [1], "`decrease`": [-1], "`neutral`": [0], "any": [1, -1, 0]}


def first_table(after: str) -> str:
    """The first table after the text `after`."""
    found = re.search(r"(?:^\|.*\n)+", DOC.split(after, 1)[1], flags=re.M)
    assert found, f"docs/spc.md has no table after {after!r}"
    return found.group(0)


def first_cells(after: str) -> list[str]:
    """The code in the first cell of each row of the first table after `after`."""
    return re.findall(r"^\| `([a-z_]+)` \|", first_table(after), flags=re.M)


def test_the_icon_table_names_every_icon():
    documented = first_cells("## Icons")
    assert documented == VARIATION_ICONS + ASSURANCE_ICONS
    assert set(VARIATION_WORDS) - {"too_few"} == set(VARIATION_ICONS)
    assert set(ASSURANCE_WORDS) == set(ASSURANCE_ICONS)


def test_the_mapping_table_is_the_engines():
    table = first_table("`variation_icon` comes from")
    rows = re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| ([a-z_ ]+) \| ([^|]+) \|$", table, flags=re.M)
    documented = {
        (point.strip().replace(" ", "_"), imp): icon
        for icon, point, improvement in rows[1:]
        for imp in IMPROVEMENT[improvement.strip()]
    }
    assert documented == ICON_OF_POINT
