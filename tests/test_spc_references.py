"""Published examples from the reference implementations, reproduced with Boardpack's engine.

Every expected figure below is copied from a published source, cited beside it; none is
computed here. The reference is the NHS-R community's NHSRplotthedots (R), repository
nhs-r-community/NHSRplotthedots, at the commit given with each example. Where the reference
uses options other than Boardpack's defaults, the test sets Boardpack's options to match and
says so. Differences from the reference are asserted as such (so a change in either direction
fails) and explained in docs/spc.md, "Agreement with the reference implementations".

Where the published test draws its data from R's random number generator (`set.seed(123)`,
`rnorm`), the values are R's and are listed here; the first four of them and the mean of the
twenty are printed in the reference's own snapshot, which the test checks first.

The A&E series come from the reference's integration snapshots
(tests/testthat/_snaps/integration_tests.md), which store each `ptd_spc()` result serialised
(R's XDR format, base64): the input values, mean, limits and point types below were decoded
from them. The inputs are NHSRdatasets' `ae_attendances` summed by month (April 2016 to March
2019) as tests/testthat/test-integration_tests.R builds them."""

import polars as pl
import pytest

from boardpack.engine.spc import SpcOptions, spc

REPO = "nhs-r-community/NHSRplotthedots"
TYPES = {"c": "common_cause", "i": "improvement", "x": "concern"}


def frame(values, series="a", target=None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "series": [series] * len(values),
            "period": list(range(1, len(values) + 1)),
            "value": pl.Series(values, dtype=pl.Float64),
            **({"target": [target] * len(values)} if target is not None else {}),
        }
    )


def run(values, **options) -> pl.DataFrame:
    return spc(frame(values), SpcOptions(**options)).points


def icons(values, target=None, **options) -> tuple:
    series = spc(frame(values, target=target), SpcOptions(**options)).series
    return series.select("variation_icon", "assurance_icon").row(0)


def limits(points: pl.DataFrame, row: int = 0) -> tuple[float, float, float]:
    return tuple(points.row(row, named=True)[c] for c in ("mean", "lower_limit", "upper_limit"))


def types(codes: str) -> list[str]:
    return [TYPES[c] for c in codes]


# --- tests/testthat/test-ptd_spc_standard.R ------------------------------------------------
# Source: nhs-r-community/NHSRplotthedots, tests/testthat/test-ptd_spc_standard.R at
# 8aac3239e90ce9ebeb9c3e61f56c207dfc37b225 ("it returns expected values") and its snapshot
# tests/testthat/_snaps/ptd_spc_standard.md at ea2177d4ccfed7dc14d8f57d20f1114d9b235295.
# set.seed(123); y <- rnorm(20): R's values (Mersenne-Twister, inversion), to 8 decimals.
RNORM_20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_the_rnorm_values_are_the_snapshots():
    # The snapshot prints y as "-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.1~" and
    # mean_col 0.1416238.
    assert RNORM_20[:4] == [-0.56047565, -0.23017749, 1.55870831, 0.07050839]
    assert sum(RNORM_20) / 20 == pytest.approx(0.1416238, abs=5e-8)


# relative_to_mean as far as the snapshot prints it, for r1 and for r2 (the same for r3).
SIDES = [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
SIDES_SPIKE = [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]


@pytest.mark.parametrize(
    ("spike", "screen", "expected", "sides"),
    [
        # r1: mean_col 0.1416238, lpl -3.01138, upl 3.294627 (screen_outliers = TRUE).
        (False, True, (0.1416238, -3.01138, 3.294627), SIDES),
        # r2: y[15] <- 10; mean_col 0.6694159, lpl -2.383666, upl 3.722497.
        (True, True, (0.6694159, -2.383666, 3.722497), SIDES_SPIKE),
        # r3: the same with screen_outliers = FALSE: lpl -4.596625, upl 5.935457.
        (True, False, (0.6694159, -4.596625, 5.935457), SIDES_SPIKE),
    ],
)
def test_ptd_spc_standard_snapshot(spike, screen, expected, sides):
    values = [10.0 if spike and i == 14 else v for i, v in enumerate(RNORM_20)]
    points = run(values, screen_outliers=screen)
    assert limits(points) == pytest.approx(expected, abs=1e-6)
    assert (points["value"] - points["mean"]).sign().to_list()[: len(sides)] == sides
    # outside_limits is printed FALSE for the first points; the spike (10) is far beyond.
    beyond = (points["rule"] == "beyond_limit").fill_null(False)
    assert beyond.to_list() == [spike and i == 14 for i in range(20)]


def test_summary_snapshot_with_facets():
    # Source: tests/testthat/test-ptd_spc.R at 8aac3239e90ce9ebeb9c3e61f56c207dfc37b225,
    # "it outputs expected content", snapshot tests/testthat/_snaps/ptd_spc.md at
    # 174380d653d7a169a76f99deebb9fc21ed5fbbd6: the same 20 values in two facets of 10 have
    # mean_col 0.0746 / 0.209, lpl -2.60 / -3.28, upl 2.75 / 3.70 (printed to 3 figures), all
    # 10 points common cause in each.
    both = pl.concat([frame(RNORM_20[:10], "0"), frame(RNORM_20[10:], "1")])
    result = spc(both).points
    first = result.group_by("series", maintain_order=True).first()
    assert first["mean"].round_sig_figs(3).to_list() == [0.0746, 0.209]
    assert first["lower_limit"].round_sig_figs(3).to_list() == [-2.60, -3.28]
    assert first["upper_limit"].round_sig_figs(3).to_list() == [2.75, 3.70]
    assert set(result["point_type"]) == {"common_cause"}


def test_two_of_three_on_opposite_sides_of_the_mean():
    # Source: tests/testthat/test-ptd_spc_standard.R at 8aac3239e90ce9ebeb9c3e61f56c207dfc37b225,
    # "it only reports special cause for 2of3 points close to limits when they are on the same
    # side of the mean": rep(c(1, -1), 8), then points 15 and 16 set to 5.5 and -5.5; the last
    # two are common_cause.
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    assert run(values)["point_type"].to_list()[-2:] == ["common_cause", "common_cause"]


# --- vignettes/deviations.Rmd: screening outliers ------------------------------------------
# Source: vignettes/deviations.Rmd at 938abcd81199980da6667f846e747c43b39303cd ("1. Treatment of
# outlying points"). The figure captions give UPL 4.6, mean 1.94, LPL -0.72 by default and
# UPL 6.95, mean 1.94, LPL -3.06 with screen_outliers = FALSE ("produces the same output as
# Excel"), and in both charts the fifth point alone is special cause improvement.
DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


@pytest.mark.parametrize(
    ("screen", "expected"), [(True, (1.94, -0.72, 4.6)), (False, (1.94, -3.06, 6.95))]
)
def test_deviations_vignette_screening(screen, expected):
    points = run(DEVIATIONS, screen_outliers=screen)
    assert tuple(round(x, 2) for x in limits(points)) == expected
    assert (
        points["point_type"].to_list()
        == ["common_cause"] * 4 + ["improvement"] + ["common_cause"] * 13
    )


# --- tests/testthat/_snaps/integration_tests.md --------------------------------------------
# Source: tests/testthat/test-integration_tests.R and tests/testthat/_snaps/integration_tests.md
# at 0c096d813e16e4fe606c37eb70020e74a5dcbbe8 (values decoded from the serialised snapshots).
INTEGRATION = f"{REPO} tests/testthat/_snaps/integration_tests.md @ 0c096d81"

# ae_all(): attendances, all of England, April 2016 to March 2019.
ATTENDANCES = [
    1867781, 2070340, 1958802, 2079034, 1932901, 1952464, 2001816, 1907871, 1944567, 1895272,
    1735619, 2015834, 1949762, 2066789, 1994056, 2073944, 1924663, 1925961, 2044137, 1976971,
    2003954, 2000086, 1820012, 2049785, 1984369, 2164458, 2093942, 2179896, 1997854, 2005695,
    2079492, 2037847, 2047518, 2113413, 1954947, 2167550,
]  # fmt: skip
# ae_all(): performance = 1 - breaches / attendances, same months.
PERFORMANCE = [
    0.9003512724457525,
    0.9027555860390081,
    0.9055994429248081,
    0.9028524786030435,
    0.909763097023593,
    0.9064786853944554,
    0.8905308979446662,
    0.8837903610883545,
    0.8617594559611471,
    0.851413411900772,
    0.8753090395991286,
    0.9000949482943537,
    0.9051525263083392,
    0.8970035160821932,
    0.9072518525056468,
    0.9034785895858326,
    0.9029928875860346,
    0.8966609396555797,
    0.8994186788850258,
    0.8876655246839736,
    0.8498503458662225,
    0.8529918213516818,
    0.8504476893558943,
    0.8462121637147311,
    0.8857248828216929,
    0.9039011151983545,
    0.9076297242234981,
    0.8931949047110505,
    0.8972702710007838,
    0.8894368286304747,
    0.8900933497219513,
    0.8760446687116353,
    0.8644632183941728,
    0.843525141560121,
    0.8422525009629417,
    0.8660427671795345,
]
# ae_rl4_by_type(): org RL4 by type ("1", then "other"), attendances and performance.
RL4_ATTENDANCES = [
    10811, 11800, 11028, 11561, 10700, 10999, 11108, 10573, 10541, 10711, 9797, 11505, 11072,
    11858, 11531, 11752, 11009, 10884, 11436, 10892, 10705, 11186, 10018, 10985, 10709, 11639,
    11548, 11844, 10965, 11336, 11771, 11609, 11494, 12311, 11199, 12471,
    4414, 4664, 4229, 4663, 4279, 7409, 8228, 8614, 9089, 7657, 8131, 8651, 9148, 9165, 8401,
    8489, 7637, 7856, 8782, 8386, 9138, 9830, 8527, 8862, 8466, 8906, 8278, 8344, 7876, 7506,
    8226, 8479, 9090, 9270, 8494, 8863,
]  # fmt: skip
RL4_PERFORMANCE = [
    0.8508001109980575,
    0.8371186440677966,
    0.8839318099383388,
    0.8404117290891792,
    0.8347663551401869,
    0.8978998090735522,
    0.8678429960388909,
    0.8619124184242883,
    0.8490655535527938,
    0.7744374941648773,
    0.827600285801776,
    0.8564971751412429,
    0.8735549132947977,
    0.9031877213695395,
    0.8948920301795161,
    0.90571817562968,
    0.8818239622127351,
    0.8643880926130099,
    0.8688352570828961,
    0.8053617333822989,
    0.7838393274170948,
    0.737976041480422,
    0.7608305050908365,
    0.7457441966317706,
    0.8408815015407601,
    0.9026548672566371,
    0.8554728091444406,
    0.8606045254981425,
    0.893296853625171,
    0.8682956951305575,
    0.8690850395038654,
    0.8272891721939875,
    0.8747172437793631,
    0.806920640077979,
    0.8131083132422537,
    0.8541416085317938,
    1.0,
    1.0,
    1.0,
    1.0,
    1.0,
    0.9990552031313268,
    0.9981769567331065,
    0.9967494775946134,
    0.9908680822972824,
    0.9912498367506857,
    0.9808141679990161,
    0.9879782684082765,
    0.9877568867512024,
    0.9903982542280415,
    0.988691822402095,
    0.9817410766874779,
    0.9773471258347519,
    0.9831975560081466,
    0.9763151901616943,
    0.9632721202003339,
    0.9735171810024075,
    0.9717192268565615,
    0.9822915445056878,
    0.981042654028436,
    0.993149066855658,
    0.9924769818100158,
    0.9929934766851897,
    0.9941275167785235,
    0.9933976637887253,
    0.9934718891553423,
    0.9879649890590809,
    0.9792428352400047,
    0.9822882288228822,
    0.9823085221143474,
    0.9781021897810219,
    0.982850050772876,
]


def test_ae_all_attendances():
    # "ae_all attendances spc returns expected values": mean 2000538.9444444445, lpl
    # 1731844.3644444444, upl 2269233.5244444446; every point_type common_cause.
    points = run(ATTENDANCES)
    assert limits(points) == pytest.approx(
        (2000538.9444444445, 1731844.3644444444, 2269233.5244444446), rel=1e-12
    )
    assert set(points["point_type"]) == {"common_cause"}


def test_ae_all_attendances_rebased():
    # "... with rebase returns expected values": rebase = 2017-04-01, the 13th month.
    # Boardpack's recalculate_at plays the part of R's rebase.
    points = run(ATTENDANCES, recalculate_at=[13])
    assert limits(points, 0) == pytest.approx(
        (1946858.4166666667, 1639947.374848485, 2253769.4584848485), rel=1e-12
    )
    assert limits(points, 12) == pytest.approx(
        (2027379.2083333333, 1772921.0639855072, 2281837.3526811595), rel=1e-12
    )
    assert set(points["point_type"]) == {"common_cause"}
    assert points["segment"].to_list() == [0] * 12 + [1] * 24


def test_ae_all_attendances_three_baselines_of_twelve():
    # vignettes/deviations.Rmd at 938abcd81199980da6667f846e747c43b39303cd, "2. Breaking of
    # lines": rebase at 2017-04-01 and 2018-04-01 gives "three sections, each with twelve grey
    # common cause points". Its caption also reports trial limits (see docs/spc.md: R's default
    # short-group threshold counts a group of 12 as short; Boardpack does not).
    points = run(ATTENDANCES, recalculate_at=[13, 25])
    assert points["segment"].to_list() == [0] * 12 + [1] * 12 + [2] * 12
    assert set(points["point_type"]) == {"common_cause"}
    assert set(points["trial"]) == {False}


# Point types decoded from the snapshots (c common cause, i improvement, x concern).
PERFORMANCE_FIXED_TYPES = "cccccccccxciiiiiiiicxxxxcccccxxxxxxx"
PERFORMANCE_TYPES = "iiiiiiiccxciiiiiiiiixxxxiiiiiiiccxxc"


@pytest.mark.parametrize(
    ("options", "expected", "codes", "differ"),
    [
        # "ae_all performance spc returns expected values": fix_after_n_points = 12; mean
        # 0.8908915564349236, lpl 0.8614049789074258, upl 0.9203781339624213.
        (
            {"fix_after": 12},
            (0.8908915564349236, 0.8614049789074258, 0.9203781339624213),
            PERFORMANCE_FIXED_TYPES,
            [9],
        ),
        # "plot arguments behave as expected": the same data without fixing; mean
        # 0.8847056829421236, lpl 0.8604472128746817, upl 0.9089641530095655.
        (
            {},
            (0.8847056829421236, 0.8604472128746817, 0.9089641530095655),
            PERFORMANCE_TYPES,
            [9, 33, 36],
        ),
    ],
)
def test_ae_all_performance(options, expected, codes, differ):
    points = run(PERFORMANCE, **options)
    assert limits(points) == pytest.approx(expected, rel=1e-12)
    ours, theirs = points["point_type"].to_list(), types(codes)
    assert [i + 1 for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b] == differ
    # The points that differ: R leaves them common cause; Boardpack flags them as two of three
    # beyond the near limit, the other of the two being beyond the process limit (which R's
    # close_to_limits leaves out).
    for number in differ:
        row = points.row(number - 1, named=True)
        assert (row["rule"], row["point_type"]) == ("two_in_three", "concern")
        window = points.slice(max(0, number - 3), 5)
        assert (window["value"] < window["lower_limit"]).any()


RL4_ATTENDANCE_TYPES = "ccccxxxxxxxccccccccccccccccccccccicixxxxxccccccciicccciiiiiiiiiicccciicc"
RL4_PERFORMANCE_TYPES = "ccccccccccciiiiiiiicxxxxcccccccccccciiiiiiiiiicccccxxxxxxxxxiiiiiiicccxc"


@pytest.mark.parametrize(
    ("values", "expected", "codes"),
    [
        # "ae_rl4_by_type attendances spc returns expected values" (facet_field = type).
        (
            RL4_ATTENDANCES,
            [
                (11204.388888888889, 9668.27688888889, 12740.500888888888),
                (7945.75, 6558.872941176471, 9332.62705882353),
            ],
            RL4_ATTENDANCE_TYPES,
        ),
        # "ae_rl4_by_type performance spc returns expected values".
        (
            RL4_PERFORMANCE,
            [
                (0.8465251279816813, 0.7605954283455616, 0.9324548276178011),
                (0.9876265567345781, 0.9781517632214081, 0.9971013502477482),
            ],
            RL4_PERFORMANCE_TYPES,
        ),
    ],
)
def test_ae_rl4_by_type(values, expected, codes):
    # R's facets are Boardpack's series; the "other" facet's screening of the jump from 4279 to
    # 7409 is what puts its limits where they are.
    both = pl.concat([frame(values[:36], "1"), frame(values[36:], "other")])
    points = spc(both).points
    assert limits(points, 0) == pytest.approx(expected[0], rel=1e-12)
    assert limits(points, 36) == pytest.approx(expected[1], rel=1e-12)
    assert points["point_type"].to_list() == types(codes)


# --- tests/testthat/test-geom_ptd_icon.R: icons --------------------------------------------
# Source: tests/testthat/test-geom_ptd_icon.R at 24745e755877791489fd8783710bb84f8937d8c4,
# "ptd_get_icons transforms the data correctly". set.seed(123); y <- rnorm(24) (the first 20
# are RNORM_20), then the last 12 replaced by rnorm(12, 5) and later by rnorm(12, -5), drawn
# on from the same stream: R's values, to 10 significant figures. The expected icons are the
# file names R's test expects (variation/improvement_high.svg, assurance/pass.svg, ...): the
# variation icons by the same names; R's assurance pass, fail and inconsistent are
# consistent_pass, consistent_fail and hit_and_miss; R's neutral_low is Making Data Count's
# "neither" icon, neither_low.
RNORM_24_TAIL = [-1.067823706, -0.2179749147, -1.026004448, -0.7288912293]
RNORM_12_PLUS_5 = [
    4.374960732, 3.313306689, 5.837787044, 5.153373118, 3.861863063, 6.253814921,
    5.426464221, 4.704928517, 5.895125661, 5.878133488, 5.821581082, 5.688640254,
]  # fmt: skip
RNORM_12_MINUS_5 = [
    -4.446082346, -5.061911711, -5.305962664, -5.380471001, -5.694706979, -5.207917278,
    -6.265396352, -2.831044035, -3.792038002, -6.123108583, -5.402884835, -5.466655354,
]  # fmt: skip
RNORM_24 = RNORM_20 + RNORM_24_TAIL


@pytest.mark.parametrize(
    ("tail", "target", "improvement", "expected"),
    [
        (None, None, "increase", ("common_cause", None)),  # s1
        (None, 0.5, "increase", ("common_cause", "hit_and_miss")),  # s2: inconsistent
        (RNORM_12_MINUS_5, 3, "neutral", ("neither_low", None)),  # s9: neutral_low
    ],
)
def test_ptd_get_icons(tail, target, improvement, expected):
    values = RNORM_24[:12] + (tail or RNORM_24[12:])
    assert icons(values, target, improvement=improvement) == expected


@pytest.mark.parametrize(
    ("tail", "target", "improvement", "expected"),
    [
        (RNORM_12_PLUS_5, -3, "increase", ("improvement_high", "consistent_pass")),  # s5
        (RNORM_12_PLUS_5, -3, "decrease", ("concern_high", "consistent_fail")),  # s6
        (RNORM_12_MINUS_5, 3, "increase", ("concern_low", "consistent_fail")),  # s7
        (RNORM_12_MINUS_5, 3, "decrease", ("improvement_low", "consistent_pass")),  # s8
    ],
    ids=["improvement_high", "concern_high", "concern_low", "improvement_low"],
)
def test_ptd_get_icons_special_causes(tail, target, improvement, expected):
    # The four special-cause cases: improvement and concern, each high and low. The last 12
    # points sit about 5 above (s5, s6) or below (s7, s8) the first 12, so the latest point is
    # a special cause whose side, with the direction of improvement, names the icon.
    values = RNORM_24[:12] + (tail or RNORM_24[12:])
    assert icons(values, target, improvement=improvement) == expected


def test_ptd_get_icons_by_facet():
    # s3 and s4: facets of 12 points each; common_cause in both, inconsistent with target 0.5.
    halves = [RNORM_24[:12], RNORM_24[12:]]
    assert [icons(h) for h in halves] == [("common_cause", None)] * 2
    assert [icons(h, 0.5) for h in halves] == [("common_cause", "hit_and_miss")] * 2


# --- tests/testthat/test-ptd_calculate_assurance_type.R ------------------------------------
# Source: tests/testthat/test-ptd_calculate_assurance_type.R at
# 7ed6ae9006d4a5bc8f9839c9eb0afeb34fba4d81: target 4 against limits (lpl, upl) (1, 3), (5, 7)
# and (1, 5) gives consistent_fail, consistent_pass, inconsistent when improvement is
# increase, and consistent_pass, consistent_fail, inconsistent when decrease; no assurance
# when neutral. Boardpack computes its limits from data, so each fixture is a series whose
# limits are those: alternating mean -/+ half a moving range, so the average moving range is
# (upl - lpl) / (2 x 2.66). (The R fixture's third row has mean 4 with limits 1 and 5, which
# no XmR chart gives; the rule reads only the limits, so the series is centred on 3.)
def between(lower: float, upper: float) -> list[float]:
    mean, moving_range = (lower + upper) / 2, (upper - lower) / (2 * 2.66)
    return [mean - moving_range / 2, mean + moving_range / 2] * 6


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("increase", ["consistent_fail", "consistent_pass", "hit_and_miss"]),
        ("decrease", ["consistent_pass", "consistent_fail", "hit_and_miss"]),
        ("neutral", [None, None, None]),
    ],
)
def test_assurance_against_the_limits(improvement, expected):
    found = []
    for lower, upper in ((1, 3), (5, 7), (1, 5)):
        points = run(between(lower, upper))
        assert limits(points)[1:] == pytest.approx((lower, upper))
        found.append(icons(between(lower, upper), 4.0, improvement=improvement)[1])
    assert found == expected


def test_assurance_reads_the_latest_limits():
    # "it returns correct values for assurance when rebase": improvement decrease, target 4;
    # the rows in the orders r1 (1, 3), (5, 7), (1, 5) -> inconsistent; r2 (5, 7), (1, 5),
    # (1, 3) -> consistent_pass; r3 (1, 5), (1, 3), (5, 7) -> consistent_fail. The last
    # group's limits decide; here each row is a baseline of 12 points.
    groups = {(1, 5): "hit_and_miss", (1, 3): "consistent_pass", (5, 7): "consistent_fail"}
    for order in (((1, 3), (5, 7), (1, 5)), ((5, 7), (1, 5), (1, 3)), ((1, 5), (1, 3), (5, 7))):
        values = [v for bounds in order for v in between(*bounds)]
        points = icons(values, 4.0, improvement="decrease", recalculate_at=[13, 25])
        assert points[1] == groups[order[-1]]


# --- tests/testthat/test-ptd_add_short_group_warnings.R ------------------------------------
# Source: tests/testthat/test-ptd_add_short_group_warnings.R at
# 8aac3239e90ce9ebeb9c3e61f56c207dfc37b225, with warning_threshold 12: 11 points warn, 12 do
# not; in facets of 40 with rebase groups of 35, 5, 20 and 20 points only the 5 warn.
def test_short_groups_have_trial_limits():
    assert set(run([1.0, 2.0] * 5 + [1.0])["trial"]) == {True}
    assert set(run([1.0, 2.0] * 6)["trial"]) == {False}
    values = [float(i % 3) for i in range(40)]
    points = run(values, recalculate_at=[36])
    assert points["trial"].to_list() == [False] * 35 + [True] * 5
