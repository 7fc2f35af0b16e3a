"""The chart store: a chart is drawn once, kept under the hash of its final spec, shared by
every build, and never served for a chart that changed."""

from __future__ import annotations

import io
import json
import os
import threading
import time
import zipfile
from pathlib import Path

import pytest
import vl_convert
from click.testing import CliRunner

from boardpack import api
from boardpack.cli import main
from boardpack.pack import chart_store, render
from boardpack.pack.chart_store import CACHE_VARIABLE, ChartStore, spec_key, store_for
from boardpack.pack.render import POOL_MIN, SvgRenderer, render_svg, stored_svg
from test_dataset import HEADER, write_project

CATALOGUE = (
    HEADER
    + """
indicators:
  - ref: ASCH2
    title: Assessments completed within 28 days
    polarity: higher_better
    unit: percent
    frequency: quarterly
    rating_scheme: threshold
    targets: [{period: 2023/24, target: 90, floor: 80}]
  - ref: ADM
    title: Admissions to care homes
    polarity: lower_better
    unit: number
    frequency: quarterly
    rating_scheme: threshold
    targets: [{period: 2023/24, target: 50}]
"""
)
FIGURES = """indicator,period,value
ASCH2,Q1 2023/24,92
ASCH2,Q2 2023/24,85
ASCH2,Q3 2023/24,75
ADM,Q1 2023/24,40
ADM,Q2 2023/24,58
ADM,Q3 2023/24,52
"""


def spec(n: int, colour: str = "#1d70b8") -> dict:
    return {
        "title": f"Chart number {n}",
        "width": 60,
        "height": 40,
        "data": {"values": [{"x": "a", "y": n + 1}]},
        "mark": {"type": "bar", "color": colour},
        "encoding": {
            "x": {"field": "x", "type": "nominal"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }


@pytest.fixture
def counted(monkeypatch) -> list[dict]:
    """Every chart vl-convert draws in this process (its Vega spec, its title handed over as
    written rather than quiet, `unmeasured.py`, so a test can tell the charts apart; charts
    are drawn here, not in workers)."""
    monkeypatch.setenv("BOARDPACK_CHART_WORKERS", "1")
    monkeypatch.setattr(render, "quiet_title", lambda vega: (vega, None))
    drawn: list[dict] = []
    original = vl_convert.vega_to_svg
    monkeypatch.setattr(
        vl_convert, "vega_to_svg", lambda spec, *a, **k: drawn.append(spec) or original(spec)
    )
    return drawn


def test_a_kept_chart_comes_back_as_it_was_written(tmp_path):
    store = ChartStore(tmp_path / "cache")
    key = spec_key(spec(1))
    assert store.svg(key) is None
    store.put_svg(key, "<svg>£ and é</svg>")
    store.put_png("abc", b"\x89PNG")
    assert store.svg(key) == "<svg>£ and é</svg>"
    assert store.png("abc") == b"\x89PNG"
    assert not list(tmp_path.rglob(".*.tmp"))  # written to a temporary name, then renamed
    assert store.count() == 2
    assert store.clear() == 2 and store.svg(key) is None


def test_a_half_written_svg_is_not_served(tmp_path):
    store = ChartStore(tmp_path)
    key = spec_key(spec(1))
    store.put_svg(key, "<svg><text>cut sho")
    assert store.svg(key) is None


def test_keys_follow_everything_the_spec_says_and_nothing_else():
    assert spec_key(spec(1)) == spec_key(json.loads(json.dumps(spec(1))))
    reordered = dict(reversed(list(spec(1).items())))
    assert spec_key(reordered) == spec_key(spec(1))
    assert spec_key(spec(2)) != spec_key(spec(1))
    assert spec_key(spec(1, colour="#d4351c")) != spec_key(spec(1))


def test_keys_change_with_the_renderer(monkeypatch):
    before = spec_key(spec(1))
    monkeypatch.setattr(chart_store, "RENDERER", "vl-convert 99.0; store 1")
    assert spec_key(spec(1)) != before


def test_the_store_lives_in_the_project_or_where_the_setting_says(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    assert store_for(tmp_path).folder == tmp_path / ".boardpack" / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "elsewhere"))
    assert store_for(tmp_path).folder == tmp_path / "elsewhere"
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    assert store_for(tmp_path) is None


def test_a_renderer_draws_only_what_the_store_lacks_and_each_spec_once(tmp_path, counted):
    store = ChartStore(tmp_path)
    specs = [spec(n) for n in range(3)]
    with SvgRenderer(len(specs), store=store) as renderer:
        first = renderer.render([*specs, specs[0]])
    assert len(counted) == 3 and renderer.drawn == 3  # the repeated spec is drawn once
    assert first[3] == first[0]
    with SvgRenderer(4, store=store) as renderer:
        again = renderer.render([*specs, spec(3)])
    assert renderer.drawn == 1 and "Chart number 3" in json.dumps(counted[-1])
    assert again[:3] == first[:3]
    assert again[3] == render_svg(spec(3))


def test_workers_draw_into_the_store_and_start_only_for_enough_missing_charts(tmp_path):
    store = ChartStore(tmp_path)
    specs = [spec(n) for n in range(POOL_MIN)]
    with SvgRenderer(len(specs), workers=2, store=store) as renderer:
        svgs = renderer.render(specs)
        assert renderer.pool is not None  # a new store: workers start at once
    with SvgRenderer(len(specs), workers=2, store=store) as renderer:
        assert renderer.render(specs) == svgs
        assert renderer.pool is None and renderer.drawn == 0
    assert svgs == [render_svg(s) for s in specs]


def test_pngs_are_made_from_the_svg_once_and_kept(tmp_path, monkeypatch):
    store = ChartStore(tmp_path)
    specs = [spec(n) for n in range(2)]
    with SvgRenderer(2, png_scale=2, store=store) as renderer:
        svgs = renderer.render(specs, ["one", "two"])
        made = renderer.picture("one").data()
        extra = renderer.to_png(["<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>"])
        extra_png = extra[0].data()
    assert made == vl_convert.svg_to_png(svgs[0], scale=2)
    converted = []
    monkeypatch.setattr(vl_convert, "svg_to_png", lambda *a, **k: converted.append(a) or b"")
    with SvgRenderer(2, png_scale=2, store=store) as renderer:
        renderer.render(specs, ["one", "two"])
        assert renderer.picture("one").data() == made
        again = renderer.to_png(["<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>"])
        assert again[0].data() == extra_png
    assert converted == [] and renderer.converted == 0


def test_one_chart_is_drawn_once_through_the_store(tmp_path, counted):
    store = ChartStore(tmp_path)
    assert stored_svg(spec(1), store) == stored_svg(spec(1), store)
    assert len(counted) == 1


def pack_files(out: Path) -> dict[str, bytes]:
    """Every file the build wrote; a Word document as its parts (its zip has dates)."""
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = str(path.relative_to(out))
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as docx:
                for part in docx.namelist():
                    if part != "docProps/core.xml":  # when it was made
                        found[f"{name}:{part}"] = docx.read(part)
        else:
            found[name] = path.read_bytes()
    return found


def build(project: Path, out: Path, cache: str, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setenv(CACHE_VARIABLE, cache)
    api.build_pack(project, out=out, formats=("html", "docx"))
    return pack_files(out)


def charts_of(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name.startswith("indicators/")}


@pytest.fixture
def project(tmp_path) -> Path:
    return write_project(tmp_path / "project", CATALOGUE, FIGURES)


def test_a_pack_is_the_same_byte_for_byte_with_and_without_the_store(
    project, tmp_path, monkeypatch, counted
):
    cache = str(tmp_path / "cache")
    without = build(project, tmp_path / "without", "off", monkeypatch)
    drawn_without = len(counted)
    cold = build(project, tmp_path / "cold", cache, monkeypatch)
    assert len(counted) == 2 * drawn_without  # a new store draws everything
    warm = build(project, tmp_path / "warm", cache, monkeypatch)
    assert len(counted) == 2 * drawn_without  # a full store draws nothing
    assert any(name.endswith(".png") for name in without)
    assert cold == without and warm == without


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("ADM,Q3 2023/24,52", "ADM,Q3 2023/24,47", "data/figures.csv"),  # a figure
        ("title: Admissions to care homes", "title: Admissions to residential care", None),
        (
            "targets: [{period: 2023/24, target: 50}]",
            "targets: [{period: 2023/24, target: 45}]",
            None,
        ),
    ],
)
def test_a_changed_chart_is_drawn_again_and_only_it(
    project, tmp_path, monkeypatch, counted, old, new, where
):
    cache = str(tmp_path / "cache")
    before = build(project, tmp_path / "before", cache, monkeypatch)
    drawn = len(counted)
    file = project / (where or "boardpack.yaml")
    file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    after = build(project, tmp_path / "after", cache, monkeypatch)
    redrawn = counted[drawn:]
    assert redrawn and all("Admissions" in json.dumps(spec) for spec in redrawn)
    changed = [n for n, data in charts_of(after).items() if before.get(n) != data]
    assert any("adm" in name for name in changed)
    assert after == build(project, tmp_path / "fresh", "off", monkeypatch)


def test_a_changed_colour_is_a_new_chart(tmp_path, counted):
    store = ChartStore(tmp_path)
    blue = stored_svg(spec(1), store)
    red = stored_svg(spec(1, colour="#d4351c"), store)
    assert "#d4351c" in red and "#d4351c" not in blue
    assert len(counted) == 2


def test_cache_clear_empties_the_projects_store(project, monkeypatch):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    store = store_for(project)
    store.put_svg(spec_key(spec(1)), "<svg></svg>")
    result = CliRunner().invoke(main, ["cache", "clear", str(project)])
    assert result.exit_code == 0, result.output
    assert f"Removed 1 charts and pictures from {store.folder}" in result.output
    assert store.count() == 0


def test_trim_removes_only_the_charts_no_build_has_used_lately(tmp_path):
    store = ChartStore(tmp_path)
    old, used, fresh = (spec_key(spec(n)) for n in (1, 2, 3))
    for key in (old, used, fresh):
        store.put_svg(key, "<svg></svg>")
    store.put_png("abc", b"\x89PNG")
    long_ago = time.time() - 10 * 86_400
    for path in (store.path(old, ".svg"), store.path(used, ".svg"), store.path("abc", ".png")):
        os.utime(path, (long_ago, long_ago))
    assert store.svg(used) == "<svg></svg>"  # served: used now
    assert store.trim(7 * 86_400) == 2
    assert store.svg(old) is None and store.png("abc") is None
    assert store.svg(used) and store.svg(fresh)
    assert store.trim(7 * 86_400) == 0


def test_cache_clear_older_than_keeps_what_builds_still_use(project, monkeypatch):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    store = store_for(project)
    store.put_svg(spec_key(spec(1)), "<svg></svg>")
    store.put_svg(spec_key(spec(2)), "<svg></svg>")
    long_ago = time.time() - 40 * 86_400
    os.utime(store.path(spec_key(spec(1)), ".svg"), (long_ago, long_ago))
    result = CliRunner().invoke(main, ["cache", "clear", str(project), "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 charts and pictures unused for 30 days" in result.output
    assert "1 kept" in result.output
    assert store.svg(spec_key(spec(1))) is None and store.svg(spec_key(spec(2)))
    refused = CliRunner().invoke(main, ["cache", "clear", str(project), "--older-than", "-1"])
    assert refused.exit_code != 0 and store.count() == 1


def test_web_servers_share_the_charts_in_the_store(tmp_path, counted):
    from boardpack.web.trends import ChartShelf
    from test_pack_charts import indicator, rows

    store = ChartStore(tmp_path)
    trends = {"one": (rows(), indicator()), "two": (rows(values=(70, 71, 72, 73)), indicator())}
    first, second = ChartShelf(store), ChartShelf(store)  # two server processes
    assert first.draw_all(trends) == 2 and len(counted) == 2
    assert second.draw_all(trends) == 2 and len(counted) == 2  # from the store: none drawn
    assert second.get("one", trends["one"]) == first.get("one", trends["one"])
    assert ChartShelf(None).get("one", trends["one"]) == first.get("one", trends["one"])


def test_a_claimed_chart_is_drawn_by_its_claimant_alone(tmp_path):
    store = ChartStore(tmp_path)
    assert store.claim("abc") and not store.claim("abc")
    store.release("abc")
    assert store.claim("abc")
    old = time.time() - chart_store.CLAIM_SECONDS - 1
    os.utime(store.path("abc", ".claim"), (old, old))  # its process died long ago
    assert store.claim("abc")
    assert store.count() == 0  # claims are not charts


def test_a_chart_another_process_is_drawing_is_waited_for_not_drawn(tmp_path, counted):
    store = ChartStore(tmp_path)
    specs = [spec(0), spec(1)]
    theirs = spec_key(spec(1))
    assert store.claim(theirs)  # another builder is drawing chart 1

    def other_builder():
        time.sleep(0.3)
        store.put_svg(theirs, "<svg>drawn by the other builder</svg>")
        store.release(theirs)

    other = threading.Thread(target=other_builder)
    other.start()
    with SvgRenderer(2, store=store) as renderer:
        svgs = renderer.render(specs)
    other.join()
    assert len(counted) == 1 and "Chart number 0" in json.dumps(counted[0])
    assert renderer.drawn == 1
    assert svgs[1] == "<svg>drawn by the other builder</svg>"


def test_a_chart_whose_claimant_gave_up_is_drawn_here(tmp_path, counted):
    store = ChartStore(tmp_path)
    key = spec_key(spec(1))
    assert store.claim(key)
    threading.Timer(0.2, store.release, [key]).start()  # the other builder failed
    svg = stored_svg(spec(1), store)
    assert len(counted) == 1 and not store.path(key, ".claim").exists()
    assert svg == store.svg(key) == render_svg(spec(1))


def test_a_web_worker_draws_first_what_no_other_process_is_drawing(tmp_path, counted):
    from boardpack.pack.charts import indicator_chart
    from boardpack.web.trends import draw, draw_chunk
    from test_pack_charts import indicator, rows

    store = ChartStore(tmp_path)
    trends = [(rows(), indicator()), (rows(values=(70, 71, 72, 73)), indicator())]
    theirs = indicator_chart(*trends[0]).spec
    svg = render_svg(theirs)
    assert store.claim(spec_key(theirs))  # another server process is drawing the first
    counted.clear()

    def other_server():
        time.sleep(0.3)
        store.put_svg(spec_key(theirs), svg)
        store.release(spec_key(theirs))

    other = threading.Thread(target=other_server)
    other.start()
    drawn = draw_chunk(trends, store)
    other.join()
    assert len(counted) == 1  # only the second chart was drawn here
    assert drawn == [draw(trend) for trend in trends]


def test_batches_draw_while_the_caller_goes_on_and_come_back_in_any_order(tmp_path):
    store = ChartStore(tmp_path)
    first_specs = [spec(n) for n in range(POOL_MIN)]
    second_specs = [spec(0), *(spec(n) for n in range(POOL_MIN, 2 * POOL_MIN))]
    with SvgRenderer(2 * POOL_MIN, workers=2, store=store) as renderer:
        first = renderer.start(first_specs)
        second = renderer.start(second_specs)  # spec 0 again: claimed by the first batch
        assert renderer.pool is not None or renderer._starting is not None
        later = second.svgs()  # asked first: the first batch is waited for, not deadlocked
        earlier = first.svgs()
    assert renderer.drawn == 2 * POOL_MIN  # spec 0 drawn once
    assert earlier == [render_svg(s) for s in first_specs]
    assert later == [earlier[0], *(render_svg(s) for s in second_specs[1:])]
    assert not list(Path(tmp_path).rglob("*.claim"))


def test_a_batch_left_unfinished_gives_up_its_claims(tmp_path):
    store = ChartStore(tmp_path)
    with pytest.raises(RuntimeError), SvgRenderer(POOL_MIN, workers=1, store=store) as renderer:
        renderer.start([spec(n) for n in range(POOL_MIN)])
        assert list(Path(tmp_path).rglob("*.claim"))  # claimed while it draws
        raise RuntimeError("the build failed before it asked for the charts")
    assert not list(Path(tmp_path).rglob("*.claim"))
    assert store.claim(spec_key(spec(0)))  # another build may draw them at once
