"""Accessibility of the demo pack in every layout: axe-core (WCAG 2.0, 2.1 and 2.2, levels A and
AA) in headless Chromium, and the W3C Nu HTML Checker. See docs/accessibility.md.

The tools are Debian's chromium, Java, and axe-core and vnu-jar from package.json; `make test`
installs them. Where one is missing the checks are skipped, unless CI is set: then they fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardpack.cli import main
from boardpack.pack.layouts import LAYOUTS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DEMO_PROJECTS = {  # a layout's source -> the demo project its pack is built from
    "period": EXAMPLES / "example-county",
    "national": EXAMPLES / "ascof-england",
}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("BOARDPACK_CHROMIUM", "/usr/bin/chromium"))
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)
BROKEN_PAGE = (  # an image with no alternative text, a duplicate id, a stray end tag
    '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>'
    '<h1 id="x">Broken</h1><p id="x"><img src="chart.png"></p></div></main></body></html>'
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def require(present: bool, what: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail when it is missing in CI."""
    if present:
        return
    reason = f"{what} is missing: run `make test` (or `.ci/install-system` and `npm ci`) first"
    if in_ci():
        pytest.fail(f"CI is set, so accessibility checks may not be skipped: {reason}")
    pytest.skip(reason)


def build(layout: str, out: Path) -> Path:
    """`boardpack build <demo project> --layout <layout> --out <out>`."""
    source = LAYOUTS[layout].source
    assert source in DEMO_PROJECTS, (
        f'layout "{layout}" is built from a "{source}" source, which has no demo project: '
        f"add one to DEMO_PROJECTS in {Path(__file__).name}"
    )
    args = ["build", str(DEMO_PROJECTS[source]), "--layout", layout, "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, f"boardpack {' '.join(args)} failed:\n{result.output}"
    return out


@pytest.fixture(scope="module")
def packs_root(tmp_path_factory) -> Path:
    """Every layout's demo pack, built once, each in a folder named after its layout."""
    root = tmp_path_factory.mktemp("packs")
    for name in LAYOUTS:
        assert list(build(name, root / name).rglob("*.html")), f"the {name} pack has no pages"
    return root


@pytest.fixture(scope="module")
def browser_page():
    """One headless Chromium page, reused for every pack page."""
    require(importlib.util.find_spec("playwright") is not None, "Playwright (pip: .[dev])")
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM}; apt-get install chromium)")
    require(AXE.exists(), f"axe-core ({AXE.relative_to(ROOT)}; npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser.new_page()
        browser.close()


def axe_violations(page, path: Path) -> list[dict]:
    """axe-core's WCAG A and AA violations on one HTML file."""
    page.goto(path.as_uri())
    page.add_script_tag(url=AXE.as_uri())  # by URL, so Chromium caches the compiled script
    return page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]


def describe_violations(path: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    at {' '.join(node['target'])}" for node in violation["nodes"][:5]]
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
        lines.append(f"    see {violation['helpUrl']}")
    return lines


def vnu_errors(paths: list[Path]) -> list[dict]:
    """The Nu HTML Checker's errors on the pages given, in one Java call. (Not with
    --also-check-css: with it, vnu 26.9 gives HTML line numbers one short.)"""
    require(shutil.which("java") is not None, "Java (apt-get install openjdk-17-jre-headless)")
    require(VNU.exists(), f"vnu-jar ({VNU.relative_to(ROOT)}; npm ci)")
    command = ["java", "-jar", str(VNU), "--errors-only", "--format", "json"]
    result = subprocess.run([*command, *map(str, paths)], capture_output=True, text=True)
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu.jar did not report (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def describe_errors(errors: list[dict], root: Path) -> list[str]:
    lines = []
    for error in errors:
        where = error.get("url", "").removeprefix("file:")
        where = os.path.relpath(where, root) if where.startswith("/") else where
        line = error.get("lastLine", "?")
        lines.append(f"{where}:{line}: {error['message']}")
        if error.get("extract"):
            lines.append(f"    {error['extract'].strip()[:160]}")
    return lines


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_page_passes_axe(packs_root, browser_page, layout):
    problems = []
    for path in sorted((packs_root / layout).rglob("*.html")):
        violations = axe_violations(browser_page, path)
        problems += describe_violations(path.relative_to(packs_root).as_posix(), violations)
    message = "\n".join([f"axe-core found WCAG A/AA violations in the {layout} pack:", *problems])
    assert not problems, message


@pytest.fixture(scope="module")
def vnu_report(packs_root, tmp_path_factory) -> dict[str, list[dict]]:
    """One Java call over every page and the broken page: "pack" and "broken" -> their errors."""
    broken = tmp_path_factory.mktemp("broken") / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    errors = vnu_errors([*sorted(packs_root.rglob("*.html")), broken])
    is_broken = [error.get("url", "").endswith(broken.as_posix()) for error in errors]
    return {
        "pack": [error for error, b in zip(errors, is_broken, strict=True) if not b],
        "broken": [error for error, b in zip(errors, is_broken, strict=True) if b],
    }


def test_every_page_is_valid_html(vnu_report, packs_root):
    errors = vnu_report["pack"]
    message = "\n".join(["The Nu HTML Checker found errors:", *describe_errors(errors, packs_root)])
    assert not errors, message


def test_axe_reports_a_broken_page(browser_page, tmp_path):
    """The check can fail: axe finds the missing alternative text on a deliberately broken page."""
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    found = {violation["id"] for violation in axe_violations(browser_page, page)}
    assert "image-alt" in found


def test_vnu_reports_a_broken_page(vnu_report):
    """The check can fail: vnu finds the duplicate id and the stray end tag."""
    text = " ".join(error["message"] for error in vnu_report["broken"])
    assert "Duplicate ID" in text and "Stray end tag" in text
