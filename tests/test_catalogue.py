"""The project file: loading, defaults, and errors that name file, line and field."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from boardpack.catalogue import (
    CatalogueError,
    InBandScheme,
    Project,
    VarianceBandsScheme,
    closest,
    load_project_file,
    load_project_text,
    project_json_schema,
)
from boardpack.catalogue.schema import SCHEMA_FILE, schema_text
from boardpack.errors import Problem

VALID = """\
organisation:
  code: E10000016
  name: Kent County Council
  directorate: Adult Social Care

settings:
  default_rating_scheme: threshold
  no_change_within_pct: 1
  call_in_amber_periods: 3

rating_schemes:
  barnet-4:
    kind: variance_bands
    bands:
      - {rag: green, min_pct: 0}
      - {rag: green_amber, min_pct: -10}
      - {rag: red_amber, min_pct: -20}
      - {rag: red}
  six-weeks-band:
    kind: in_band
    band: 5
    tolerance: 10

indicators:
  - ref: ASCH2
    title: Proportion of new Care Needs Assessments delivered within 28 days
    tier: KPI
    polarity: higher_better
    unit: percent
    frequency: quarterly
    measurement: during_period
    lag_periods: 1
    owners:
      director: Richard Smith
      lead_officer: Jane Doe
    tags:
      ascof: 2B(1)
      better_care_fund: true
    targets:
      - {period: 2023/24, target: 90, floor: 80}
      - {period: Q4 2023/24, target: 92}
      - {from: 2024-04-01, target: 91, floor: 82}
    chart:
      y_from_zero: false
  - ref: ASCH5
    title: Admissions of older people to care homes
    polarity: lower_better
    unit: rate_per_100k
    frequency: quarterly
    measurement: rolling_12_months
    rating_scheme: barnet-4
    targets:
      - {period: 2023/24, target: 588, floor: 617}
  - ref: AC/S3
    title: Contacts
    polarity: none
    unit: number
    frequency: monthly
  - ref: DELAY.1
    title: Days to discharge
    polarity: in_band
    unit: days
    frequency: monthly
    targets:
      - {period: 2019/20, target: 42, band: 2, tolerance: 5}

data:
  - file: data/figures.csv
    columns: {Ref: indicator, Quarter: period, Result: value}
  - file: data/tracker.xlsx
    format: tracker
    sheet: Trend
    indicator_column: Indicator
    rows:
      KCC Result: value
      Target: target

commentary:
  - period: Q2 2023/24
    file: commentary/2023-24-q2.md

overrides:
  - {indicator: AC/S3, period: Sep 2023, rag: green, reason: "Data late", approved_by: Director}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "boardpack.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def replaced(old: str, new: str, text: str = VALID) -> str:
    assert old in text, f"fixture does not contain {old!r}"
    return text.replace(old, new, 1)


def line_with(text: str, fragment: str) -> int:
    """The line number (from 1) of the first line containing `fragment`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(CatalogueError) as caught:
        load_project_text(text)
    return caught.value.problems


# -- loading a valid project -----------------------------------------------------------------


def test_valid_project_loads_from_folder_or_file(tmp_path):
    path = write(tmp_path, VALID)
    for given in (tmp_path, path, str(path)):
        project = load_project_file(given)
        assert project.organisation.code == "E10000016"
        assert project.refs() == ["ASCH2", "ASCH5", "AC/S3", "DELAY.1"]
        assert project.folder == tmp_path
        assert project.resolve("data/figures.csv") == tmp_path / "data/figures.csv"


def test_valid_project_keeps_what_the_file_says():
    project = load_project_text(VALID)
    asch2 = project.indicator("ASCH2")
    assert [t.period for t in asch2.targets] == ["2023/24", "Q4 2023/24", None]
    assert str(asch2.targets[2].from_) == "2024-04-01"
    assert asch2.tags == {"ascof": "2B(1)", "better_care_fund": True}
    assert asch2.owners.director == "Richard Smith"
    assert asch2.chart.y_from_zero is False
    assert project.data[1].rows == {"KCC Result": "value", "Target": "target"}
    assert project.data[0].format == "tidy"
    assert project.overrides[0].rag == "green"
    assert isinstance(project.rating_schemes["barnet-4"], VarianceBandsScheme)
    assert project.rating_schemes["six-weeks-band"] == InBandScheme(
        kind="in_band", band=5, tolerance=10
    )


# -- defaults -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "decimals"),
    [
        ("percent", 1),
        ("rate_per_100k", 1),
        ("days", 1),
        ("ratio", 2),
        ("number", 0),
        ("currency", 0),
        ("fte", 0),
    ],
)
def test_decimals_default_by_unit(unit, decimals):
    text = replaced("    unit: number\n", f"    unit: {unit}\n")
    assert load_project_text(text).indicator("AC/S3").decimals == decimals


def test_percent_decimals_setting_is_the_default_for_percentages_only():
    text = replaced(
        "  call_in_amber_periods: 3\n", "  call_in_amber_periods: 3\n  percent_decimals: 0\n"
    )
    text = replaced("    unit: rate_per_100k\n", "    unit: percent\n    decimals: 2\n", text)
    project = load_project_text(text)
    assert project.indicator("ASCH2").decimals == 0
    assert project.indicator("ASCH5").decimals == 2
    assert project.indicator("DELAY.1").decimals == 1


def test_other_defaults():
    project = load_project_text(VALID)
    contacts = project.indicator("AC/S3")
    assert contacts.lag_periods == 0
    assert contacts.chart.y_from_zero is True
    assert contacts.directorate == "Adult Social Care"
    assert project.settings.percent_decimals == 1


def test_rating_scheme_resolution():
    text = replaced("  default_rating_scheme: threshold\n", "  default_rating_scheme: barnet-4\n")
    text = replaced("    rating_scheme: barnet-4\n", "    rating_scheme: threshold\n", text)
    project = load_project_text(text)
    settings = project.settings
    assert project.indicator("ASCH2").scheme_name(settings) == "barnet-4"  # the default
    assert project.indicator("ASCH5").scheme_name(settings) == "threshold"  # named
    assert project.indicator("AC/S3").scheme_name(settings) == "none"  # polarity none
    assert project.indicator("DELAY.1").scheme_name(settings) == "in_band"  # polarity in_band
    assert project.indicator_scheme(project.indicator("ASCH2")).kind == "variance_bands"
    assert project.scheme("none").kind == "none"


def test_indicator_lookup_ignores_case_and_suggests_near_misses():
    project = load_project_text(VALID)
    assert project.indicator("asch2").ref == "ASCH2"
    with pytest.raises(KeyError, match='did you mean "ASCH2"'):
        project.indicator("ASCH22")


# -- errors: one per kind of bad input, with line and field ------------------------------------

BAD = [
    pytest.param(
        "    polarity: higher_better\n",
        "    polarity: higher\n",
        "polarity: higher",
        "indicators[0].polarity",
        '"higher" is not allowed; use one of higher_better, lower_better, in_band, none',
        id="bad-literal",
    ),
    pytest.param(
        "    tier: KPI\n",
        "    teir: KPI\n",
        "teir:",
        "indicators[0].teir",
        'unknown key "teir" (did you mean "tier"?)',
        id="unknown-key",
    ),
    pytest.param(
        "    unit: days\n",
        "",
        "- ref: DELAY.1",
        "indicators[3].unit",
        "required but missing; use one of percent",
        id="missing-field",
    ),
    pytest.param(
        "    lag_periods: 1\n",
        "    lag_periods: one\n",
        "lag_periods: one",
        "indicators[0].lag_periods",
        '"one" is not a whole number',
        id="not-a-number",
    ),
    pytest.param(
        "    rating_scheme: barnet-4\n",
        "    rating_scheme: barnet-5\n",
        "rating_scheme: barnet-5",
        "indicators[1].rating_scheme",
        'no rating scheme "barnet-5" (did you mean "barnet-4"?)',
        id="unknown-scheme",
    ),
    pytest.param(
        "  - ref: ASCH5\n",
        "  - ref: asch2\n",
        "ref: asch2",
        "indicators[1].ref",
        "used twice",
        id="duplicate-ref",
    ),
    pytest.param(
        "{period: Q4 2023/24, target: 92}",
        "{period: Q5 2023/24, target: 92}",
        "Q5 2023/24",
        "indicators[0].targets[1].period",
        'Cannot read the period "Q5 2023/24"',
        id="bad-target-period",
    ),
    pytest.param(
        "{period: 2023/24, target: 90, floor: 80}",
        "{period: 2023/24, target: 90, floor: 95}",
        "floor: 95",
        "indicators[0].targets[0].floor",
        "floor 95 is on the wrong side of target 90",
        id="floor-higher-better",
    ),
    pytest.param(
        "{period: 2023/24, target: 588, floor: 617}",
        "{period: 2023/24, target: 588, floor: 500}",
        "floor: 500",
        "indicators[1].targets[0].floor",
        "must be at or above the target",
        id="floor-lower-better",
    ),
    pytest.param(
        "    polarity: none\n",
        "    polarity: none\n    rating_scheme: threshold\n",
        "    rating_scheme: threshold",
        "indicators[2].rating_scheme",
        "cannot rate an indicator with polarity none",
        id="threshold-on-none",
    ),
    pytest.param(
        "      - {rag: red_amber, min_pct: -20}",
        "      - {rag: red_amber, min_pct: -5}",
        "min_pct: -5",
        "rating_schemes.barnet-4.bands[2].min_pct",
        "best to worst",
        id="bands-out-of-order",
    ),
    pytest.param(
        "    kind: in_band\n",
        "    kind: inband\n",
        "kind: inband",
        "rating_schemes.six-weeks-band.kind",
        '"inband" is not a kind of rating scheme',
        id="bad-kind",
    ),
    pytest.param(
        "indicator: AC/S3, period: Sep 2023",
        "indicator: AC/S4, period: Sep 2023",
        "AC/S4",
        "overrides[0].indicator",
        'no indicator "AC/S4"',
        id="override-unknown-indicator",
    ),
    pytest.param(
        "rag: green, reason:",
        "rag: blue, reason:",
        "rag: blue",
        "overrides[0].rag",
        '"blue" is not allowed; use one of green, green_amber, amber, red_amber, red, no_status',
        id="override-bad-rag",
    ),
    pytest.param(
        'reason: "Data late"',
        'reason: "  "',
        'reason: "  "',
        "overrides[0].reason",
        "needs a reason",
        id="override-no-reason",
    ),
    pytest.param(
        "  - period: Q2 2023/24\n",
        "  - period: Quarter 9\n",
        "Quarter 9",
        "commentary[0].period",
        'Cannot read the period "Quarter 9"',
        id="bad-commentary-period",
    ),
    pytest.param(
        "      - {from: 2024-04-01, target: 91, floor: 82}",
        "      - {from: 01/04/2024, target: 91}",
        "from: 01/04/2024",
        "indicators[0].targets[2].from",
        "write dates as YYYY-MM-DD",
        id="bad-date",
    ),
    pytest.param(
        "      - {from: 2024-04-01, target: 91, floor: 82}",
        "      - {target: 91}",
        "- {target: 91}",
        "indicators[0].targets[2]",
        "give either period",
        id="target-without-period",
    ),
    pytest.param(
        "target: 42, band: 2, tolerance: 5}",
        "target: 42, band: 2}",
        "target: 42, band: 2}",
        "indicators[3].targets[0].band",
        "band and tolerance together",
        id="band-without-tolerance",
    ),
    pytest.param(
        "    targets:\n      - {period: 2023/24, target: 588",
        "    no_change_within: -1\n    targets:\n      - {period: 2023/24, target: 588",
        "no_change_within: -1",
        "indicators[1].no_change_within",
        "-1 is too small; use 0 or more",
        id="negative",
    ),
    pytest.param(
        "  - ref: AC/S3\n",
        "  - ref: AC S3\n",
        "ref: AC S3",
        "indicators[2].ref",
        "letters, digits and / . - _",
        id="bad-ref",
    ),
    pytest.param(
        "    format: tracker\n",
        "    format: trakcer\n",
        "format: trakcer",
        "data[1].format",
        'did you mean "tracker"?',
        id="bad-format",
    ),
    pytest.param(
        "  call_in_amber_periods: 3\n",
        "  call_in_amber_periods: 3\n  call_in_amber_periods: 4\n",
        "call_in_amber_periods: 4",
        "settings.call_in_amber_periods",
        "appears twice",
        id="duplicate-key",
    ),
]


@pytest.mark.parametrize(("old", "new", "at", "where", "message"), BAD)
def test_bad_input_names_line_field_and_fix(old, new, at, where, message):
    text = replaced(old, new)
    problems = problems_of(text)
    assert [(i.field, i.line) for i in problems] == [(where, line_with(text, at))]
    assert message in problems[0].what


def test_error_text_names_file_line_and_field(tmp_path):
    text = replaced("    polarity: higher_better\n", "    polarity: higher\n")
    with pytest.raises(CatalogueError) as caught:
        load_project_text(text)
    line = line_with(text, "polarity: higher")
    assert str(caught.value) == (
        f'boardpack.yaml, line {line} (indicators[0].polarity): "higher" is not allowed; '
        'use one of higher_better, lower_better, in_band, none (did you mean "higher_better"?)'
    )
    path = write(tmp_path, text)
    with pytest.raises(
        CatalogueError, match=rf"^{path}, line {line} \(indicators\[0\]\.polarity\)"
    ):
        load_project_file(tmp_path)


def test_all_problems_are_reported_together():
    text = replaced("    polarity: higher_better\n", "    polarity: up\n")
    text = replaced("    tier: KPI\n", "    teir: KPI\n", text)
    text = replaced("  name: Kent County Council\n", "", text)
    problems = problems_of(text)
    assert {i.field for i in problems} == {
        "organisation.name",
        "indicators[0].polarity",
        "indicators[0].teir",
    }
    assert [i.line for i in problems] == sorted(i.line for i in problems)


def test_all_rule_problems_are_reported_together():
    text = replaced("rating_scheme: barnet-4", "rating_scheme: barnet-9")
    text = replaced('reason: "Data late"', 'reason: ""', text)
    text = replaced("target: 90, floor: 80", "target: 90, floor: 99", text)
    problems = problems_of(text)
    assert len(problems) == 3
    assert len(str(CatalogueError(problems)).splitlines()) == 3


def test_yaml_syntax_error_gives_its_line():
    text = replaced("    title: Contacts\n", "    title: [Contacts\n")
    problems = problems_of(text)
    assert len(problems) == 1
    assert "not valid YAML" in problems[0].what
    assert problems[0].line is not None and problems[0].line >= line_with(text, "[Contacts")


@pytest.mark.parametrize("text", ["", "- just\n- a list\n"])
def test_file_that_is_not_a_mapping(text):
    assert "must be a mapping" in problems_of(text)[0].what


def test_missing_project_file_is_reported(tmp_path):
    with pytest.raises(CatalogueError, match="no such file"):
        load_project_file(tmp_path)


def test_threshold_scheme_on_none_polarity_via_default():
    text = replaced("  default_rating_scheme: threshold\n", "  default_rating_scheme: barnet-4\n")
    text = replaced(
        "    polarity: none\n", "    polarity: none\n    rating_scheme: variance_bands\n", text
    )
    assert [i.field for i in problems_of(text)] == ["indicators[2].rating_scheme"]


def test_builtin_schemes_have_default_parameters():
    project = load_project_text(VALID)
    assert project.scheme("in_band") == InBandScheme(kind="in_band", band=5, tolerance=10)
    assert [b.min_pct for b in project.scheme("variance_bands").bands] == [0, -10, -20, None]
    with pytest.raises(KeyError, match='did you mean "barnet-4"'):
        project.scheme("barnet4")


def test_band_on_a_threshold_indicator_is_an_error():
    text = replaced(
        "{period: Q4 2023/24, target: 92}",
        "{period: Q4 2023/24, target: 92, band: 1, tolerance: 2}",
    )
    assert [i.field for i in problems_of(text)] == ["indicators[0].targets[1].band"]


# -- schema and small checks -------------------------------------------------------------------------


def test_the_documented_example_loads():
    doc = Path(__file__).parents[1] / "docs" / "catalogue.md"
    example = doc.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    project = load_project_text(example, "docs/catalogue.md")
    assert project.refs() == ["ASCH2"]
    assert project.indicator("ASCH2").scheme_name(project.settings) == "threshold"


def test_closest():
    assert closest("polarty", ["polarity", "unit"]) == "polarity"
    assert closest("asch2", ["ASCH2", "ASCH5"]) == "ASCH2"
    assert closest("zzz", ["polarity", "unit"]) is None


def test_schema_file_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "boardpack.schema.json is out of date: run python -m boardpack.catalogue"
    )


def test_schema_describes_the_file():
    schema = project_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["required"] == ["organisation"]
    target = schema["$defs"]["TargetEntry"]
    assert "from" in target["properties"] and "from_" not in target["properties"]
    assert schema["$defs"]["Indicator"]["additionalProperties"] is False
    polarity = schema["$defs"]["Indicator"]["properties"]["polarity"]
    assert polarity["enum"] == ["higher_better", "lower_better", "in_band", "none"]
    json.dumps(schema)  # serialisable as it stands


def test_project_model_accepts_python_data():
    project = Project.model_validate({"organisation": {"code": "E1", "name": "Somewhere"}})
    assert project.indicators == [] and project.settings.default_rating_scheme == "threshold"


def test_two_manual_ratings_for_the_same_period_are_refused():
    text = """
organisation: {code: E1, name: Example}
indicators:
  - {ref: A1, title: A, polarity: higher_better, unit: percent, frequency: quarterly}
overrides:
  - {indicator: A1, period: Q1 2023/24, rag: green, reason: Agreed by the panel}
  - {indicator: a1, period: 30/06/2023, rag: red, reason: Agreed by the director}
"""
    with pytest.raises(
        CatalogueError, match=r"line 7 \(overrides\[1\]\.period\): overrides\[0\] already rates"
    ):
        load_project_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [1.5, true, null, ~, 2024-04-01, '2024-04-01', 0x1F, 1_000, .inf]\nc: {d: e}\n",
        "base: &b {target: 60, floor: 50}\nuse: *b\nboth: [*b, *b]\n",
        "base: &b {target: 60}\nmerged: {<<: *b, floor: 50}\n",
        "a: 1\na: 2\n",
        "loop: &l [1, *l]\n",
        "set: !!set {a, b}\n",
        "- 1\n- two\n",
        "just text\n",
    ],
)
def test_the_catalogue_is_built_as_pyyamls_safe_loader_builds_it(text):
    from boardpack.catalogue.loader import build

    expected = yaml.load(text, Loader=yaml.SafeLoader)
    built = build(yaml.compose(text, Loader=yaml.SafeLoader))
    if text.startswith("loop"):  # a cycle: PyYAML's own constructor makes it
        assert built["loop"][1] is built["loop"]
        return
    assert built == expected and repr(built) == repr(expected)


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: 'yes'\nc: yes\nd: \"1\"\ne: 1\nf: [1, '1', 1, 2024-04-01, '2024-04-01']\n",
        "- {x: null, y: 'null', z: ~}\n- {x: null, y: 'null', z: ''}\n- {x: true, y: True}\n",
    ],
)
def test_each_scalars_tag_is_resolved_once_as_the_safe_loader_resolves_it(text):
    """The loader remembers each distinct scalar's tag; plain and quoted forms of the same
    text keep their own tags, so the values are PyYAML's."""
    from boardpack.catalogue.loader import _compose, build

    def tags(node):
        if isinstance(node, yaml.ScalarNode):
            return [node.tag]
        items = node.value if isinstance(node, yaml.SequenceNode) else sum(node.value, ())
        return [node.tag, *(t for item in items for t in tags(item))]

    root = _compose(text, "boardpack.yaml")
    assert tags(root) == tags(yaml.compose(text, Loader=yaml.SafeLoader))
    assert build(root) == yaml.safe_load(text)


def test_the_catalogue_alone_knows_every_kind_of_rating_scheme():
    """A fresh process that imports only the catalogue (as a benchmark or a plugin may) reads
    a project whose schemes are of kinds the engine registers."""
    import subprocess
    import sys

    code = (
        "import sys; from boardpack.catalogue import load_project_file; "
        "project = load_project_file(sys.argv[1]); "
        "print(len(project.indicators))"
    )
    example = Path(__file__).parents[1] / "examples" / "example-county"
    done = subprocess.run(
        [sys.executable, "-c", code, str(example)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "43"
