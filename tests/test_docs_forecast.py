"""docs/forecast.md stays true: its table of each method's fewest figures is the code's."""

import re
from pathlib import Path

from boardpack.engine.forecast import METHODS

DOC = (Path(__file__).parent.parent / "docs" / "forecast.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| [^|]+ \| `([a-z_]+)` \| ([^|]+) \| (\d+) [^|]*\|$", re.M)


def documented_minimums() -> dict[str, tuple[set[str], int]]:
    """`forecast_method` code -> (the measurements it serves, its minimum figures), as the
    guard rails' table states them."""
    section = DOC.split("## Guard rails", 1)[1].split("\n## ", 1)[0]
    return {
        code: (set(re.findall(r"`([a-z_0-9]+)`", measurements)), int(minimum))
        for code, measurements, minimum in ROW.findall(section)
    }


def test_the_documented_minimums_are_the_methods():
    coded = {}
    for measurement, method in METHODS.items():
        served, _ = coded.setdefault(method.code, (set(), method.minimum))
        served.add(measurement)
    assert documented_minimums() == coded
