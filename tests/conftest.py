"""Every test's charts are kept in one chart store for the run, in a temporary folder, never in
the example projects or the user's cache (tests of the store itself choose their own)."""

from __future__ import annotations

import os
import tempfile

os.environ["BOARDPACK_CACHE"] = tempfile.mkdtemp(prefix="boardpack-test-charts-")
