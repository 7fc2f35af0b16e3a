"""The targets `make bench` checks, in one place (speed at the floor, the web app and its
hostile uploads, client-level records): `bench_all.py` checks every one, `bench_packs.py` and
`bench_ingest.py` the ones they measure."""

from __future__ import annotations

#: figure -> the most it may be (under)
LIMITS = {
    "peak_rss_mb": 1200,
    "chart_ms_mean": 30,
    "demo_html_seconds": 5,
    "demo_docx_seconds": 5,
    "demo_pdf_seconds": 20,
    "demo_rebuild_seconds": 3,
    "big_council_html_cold_seconds": 30,
    "big_council_html_warm_seconds": 5,
    "big_council_docx_seconds": 30,
    "demo_reimport_seconds": 1,
    "web_sqlite_p95_ms": 150,
    "web_postgresql_p95_ms": 150,
    "demo_publish_prepared_seconds": 5,
    "hostile_slowest_upload_seconds": 10,
    "hostile_peak_memory_mb": 1024,
    "records_ratio_to_sort": 8,
    "records_peak_memory_gb": 4,
}
#: figure -> the least it may be
AT_LEAST = {"ingest_rows_per_second": 500_000, "ingest_quoted_rows_per_second": 500_000}
#: figure -> the value it must have
EXACTLY = {"hostile_all_clear_errors": True, "hostile_poller_failures": []}
#: evaluate_seconds may be at most this many times minimal_query_seconds, in the same run.
EVALUATE_RATIO = 2.0


def targets_missed(figures: dict, *, all_measured: bool = True) -> list[str]:
    """Each target the figures miss, in words. With `all_measured`, a figure not measured
    counts as missed; without, only the figures given are checked."""
    missed = []
    for name, most in LIMITS.items():
        if name not in figures:
            if all_measured:
                missed.append(f"{name} not measured (target under {most})")
        elif figures[name] >= most:
            missed.append(f"{name} {figures[name]} (target under {most})")
    for name, least in AT_LEAST.items():
        if name not in figures:
            if all_measured:
                missed.append(f"{name} not measured (target at least {least:,})")
        elif figures[name] < least:
            missed.append(f"{name} {figures[name]:,} (target at least {least:,})")
    for name, wanted in EXACTLY.items():
        if name not in figures:
            if all_measured:
                missed.append(f"{name} not measured (target {wanted})")
        elif figures[name] != wanted:
            missed.append(f"{name} {figures[name]} (target {wanted})")
    evaluate, minimal = figures.get("evaluate_seconds"), figures.get("minimal_query_seconds")
    if evaluate is not None and minimal:
        ratio = evaluate / minimal
        figures["evaluate_to_minimal_query"] = round(ratio, 2)
        if ratio > EVALUATE_RATIO:
            missed.append(
                f"evaluate_seconds {evaluate} is {ratio:.2f}x minimal_query_seconds {minimal} "
                f"(target at most {EVALUATE_RATIO:g}x)"
            )
    return missed
