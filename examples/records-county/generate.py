"""Write Records County's synthetic Client Level Data submissions into records/ and load them.

    python examples/records-county/generate.py

The records are made by `boardpack records synth` with a fixed seed and size, so every run
writes the same files, and `expected.csv`, the measures worked out from the simulated truth
(about 35 MB, which is why they are made here rather than kept in the
repository); `boardpack records load` then reads them into the project's records database.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from boardpack.catalogue import load_project_file
from boardpack.records import load_records
from boardpack.records.synth import synthesise

HERE = Path(__file__).resolve().parent
#: One council (the seed picks Norfolk, E10000020), 1,000 people in long-term support, eight
#: quarterly submissions to March 2025.
SYNTH = {"councils": 1, "people": 1000, "quarters": 8, "seed": 10}


def generate(folder: Path = HERE) -> str:
    """Write the submissions into `folder`/records and load them; what was loaded."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "synth"
        synthesise(out, **SYNTH)
        records = folder / "records"
        shutil.rmtree(records, ignore_errors=True)
        shutil.copytree(out / "submissions", records)
        shutil.copyfile(out / "expected.csv", folder / "expected.csv")
    return str(load_records(load_project_file(folder)))


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
