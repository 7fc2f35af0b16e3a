"""Uploading figures: every problem listed row by row and nothing saved; a clean file
previewed (new, changed, unchanged) and saved all at once on confirmation."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
import xlsxwriter
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boardpack.web.live import forget
from boardpack.web.records.changes import save_version
from boardpack.web.records.models import (
    Assignment,
    AuditEntry,
    Observation,
    ReportingPeriod,
    Submission,
)
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER, VIEWER
from boardpack.web.store import find_organisation, import_project

from .conftest import rewrite

pytestmark = pytest.mark.django_db
TRACKER_SOURCE = (
    "  - {file: data/tracker.xlsx, format: tracker, sheet: Trend, indicator_column: Indicator,"
    " rows: {Result: value, Target: target}}\n"
)
TRACKER_HEADER = ["Indicator", None, "Q3 2023/24", "Q4 2023/24"]
TRACKER = [
    ["ADM1", "Result", 2400, 2450],
    [None, "Target", 2500, 2500],
    ["PB1", "Result", "35%", "36%"],
]
GOOD = """\
indicator,period,value,status
ADM1,Q1 2024/25,2501,final
ADM1,Q2 2024/25,2725,final
ADM1,Q3 2024/25,2700,provisional
"""
#: One row for each kind of bad row the readers and the upload find, with what it is.
BAD_ROWS = {
    2: ("ADM1,Q1 2024/25,2501,,,final,", None),
    3: ("ADM9,Q2 2024/25,2600,,,final,", ("indicator", "ADM9", "did you mean ADM1?")),
    4: ("ADM1,Qtr 9 2024,2600,,,final,", ("period", "Qtr 9 2024", "is not a period")),
    5: ("ADM1,Q3 2024/25,12..5,,,final,", ("value", "12..5", "is not a number")),
    6: ("ADM1,Q4 2024/25,2600,,,draft,", ("status", "draft", "is not a status")),
    7: ("PB1,Q3 2024/25,,12,0,final,", ("denominator", "0", "is zero but a numerator is given")),
    8: (
        "PB1,Q4 2024/25,41%,1200,1000,final,",
        ("numerator", "1200", "larger than the denominator"),
    ),
    9: ("ADM1,Q1 2025/26,45%,,,final,", ("value", "45%", "is a percentage")),
    10: ("ADM1,Q1 2024/25,2600,,,final,", (None, None, "also given at figures.csv, row 2")),
    11: ("ADM1,Q2 2025/26,1,,,final,631", ("G", "631", "is in a column with no header")),
}
BAD = "indicator,period,value,numerator,denominator,status,\n" + "".join(
    line + "\n" for line, _ in BAD_ROWS.values()
)


def person(username: str, role: str) -> User:
    user = User.objects.create_user(username, email=f"{username}@smallshire.gov.uk")
    user.groups.add(Group.objects.get(name=role))
    return user


def write_tracker(path, rows=TRACKER, header=TRACKER_HEADER) -> None:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Trend")
    for number, cells in enumerate([header, *rows]):
        for column, cell in enumerate(cells):
            if cell is not None:
                sheet.write(number, column, cell)
    book.close()


def tracker_bytes(tmp_path, rows) -> bytes:
    path = tmp_path / "upload.xlsx"
    write_tracker(path, rows)
    return path.read_bytes()


@pytest.fixture
def period(small_project):
    """Smallshire (with a tracker file as well as the tidy one) and Q2 2024/25 open."""
    forget()
    rewrite(
        small_project / "boardpack.yaml",
        "  - file: data/figures.csv\n",
        "  - file: data/figures.csv\n" + TRACKER_SOURCE,
    )
    write_tracker(small_project / "data" / "tracker.xlsx")
    import_project(small_project)
    org = find_organisation()
    return ReportingPeriod.objects.create(organisation=org, label="Q2 2024/25")


@pytest.fixture
def officer(client):
    user = person("olive", PERFORMANCE_OFFICER)
    client.force_login(user)
    return user


def address(period) -> str:
    return f"/periods/{period.pk}/upload/"


def upload(client, period, name: str, content, layout: str = "tidy"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        address(period),
        {"action": "check", "layout": layout, "file": SimpleUploadedFile(name, data)},
    )


def confirm(client, period, response):
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(address(period), {"action": "confirm", "token": token})


def problem_rows(response) -> list[tuple[str, str, str, str]]:
    """(row, column, value, problem) of each row of the problems table."""
    page = response.content.decode()
    table = page[page.index('id="problems"') :]
    found = re.findall(
        r"<tr>\s*<td>(.*?)</td>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>",
        table,
        re.S,
    )
    return [tuple(html.unescape(cell) for cell in row[1:]) for row in found]


def figure(ref: str, period_label: str) -> Observation:
    return Observation.objects.current().get(indicator=ref, period=period_label)


def test_the_page_shows_the_form_with_the_projects_layouts(client, period, officer):
    page = client.get(address(period)).content.decode()
    assert '<label for="file">Spreadsheet</label>' in page
    assert 'value="data-1"' in page and "Laid out like data/tracker.xlsx (tracker)" in page


def test_a_clean_file_is_previewed_then_saved_on_confirmation(client, period, officer):
    before = Observation.objects.count()
    preview = upload(client, period, "figures.csv", GOOD)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "1 new, 1 changed and 1 unchanged" in page
    assert "value: 2,650 to 2,725" in page and "status: provisional to final" in page
    assert Observation.objects.count() == before  # nothing saved by the preview
    done = confirm(client, period, preview)
    assert done.status_code == 302
    assert Observation.objects.count() == before + 2
    changed = figure("ADM1", "Q2 2024/25")
    assert (changed.value, changed.version, changed.reason) == (2725.0, 2, "uploaded figures.csv")
    assert changed.saved_by == officer
    assert figure("ADM1", "Q1 2024/25").version == 1
    assert figure("ADM1", "Q3 2024/25").period_start.isoformat() == "2024-10-01"
    audited = AuditEntry.objects.filter(reason="uploaded figures.csv")
    assert sorted(audited.values_list("action", flat=True)) == ["created", "revised", "uploaded"]
    message = client.get(address(period)).content.decode()
    assert "Saved the figures from figures.csv: 1 new, 1 changed, 1 unchanged." in message


def test_every_kind_of_bad_row_is_listed_and_nothing_saved(client, period, officer):
    before = Observation.objects.count()
    audited = AuditEntry.objects.count()
    response = upload(client, period, "figures.csv", BAD)
    assert response.status_code == 400
    assert "figures.csv has 9 problems; nothing was saved" in response.content.decode()
    listed = problem_rows(response)
    expected = {row: want for row, (_, want) in BAD_ROWS.items() if want}
    assert [int(row) for row, *_ in listed] == sorted(expected)
    for (row, column, value, reason), want in zip(listed, expected.values(), strict=True):
        column_wanted, value_wanted, words = want
        assert words in reason, (row, reason)
        assert column == (column_wanted or "") and value == (value_wanted or ""), row
    assert Observation.objects.count() == before
    assert AuditEntry.objects.count() == audited
    again = client.post(address(period), {"action": "confirm", "token": "anything"})
    assert again.status_code == 400 and Observation.objects.count() == before


def test_a_file_read_cleanly_still_has_the_uploads_own_checks(client, period, officer):
    """No reader finds anything wrong here; the numerator above its denominator in row 4 is
    the upload's own check (a part of a whole), found among quoted values as Excel writes them."""
    before = Observation.objects.count()
    content = (
        "indicator,period,value,numerator,denominator,note\n"
        'PB1,Q1 2024/25,41%,"1,200","2,900","Checked, twice"\n'
        'PB1,Q2 2024/25,40%,"1,160","2,900",\n'
        'PB1,Q3 2024/25,41%,"3,100","2,900","Keyed in, not checked"\n'
        'ADM1,Q1 2024/25,"2,501",,,\n'
    )
    response = upload(client, period, "figures.csv", content)
    assert response.status_code == 400
    ((row, column, value, reason),) = problem_rows(response)
    assert (row, column, value) == ("4", "numerator", "3,100")
    assert reason.startswith("is larger than the denominator (2900)")
    assert Observation.objects.count() == before
    fixed = content.replace('"3,100"', '"1,190"')
    assert upload(client, period, "figures.csv", fixed).status_code == 200


def test_a_missing_column_is_a_problem_for_the_whole_file(client, period, officer):
    response = upload(client, period, "figures.csv", "Ref,Quarter,value\nADM1,Q1 2024/25,1\n")
    ((row, column, value, reason),) = problem_rows(response)
    assert row == "Whole file"
    assert 'missing columns "indicator", "period"' in reason
    assert 'the columns found are "Ref", "Quarter", "value"' in reason


def test_problems_speak_of_the_catalogue_not_the_project_file(client, period, officer):
    content = "indicator,period,value\nZZZZZ9,Q1 2024/25,1\n,Q1 2024/25,2\n"
    page = upload(client, period, "figures.csv", content).content.decode()
    assert "is not an indicator in the catalogue" in page
    assert "ask a performance officer to add the indicator to the catalogue" in page
    assert "give its reference from the catalogue" in page
    missing = upload(client, period, "figures.csv", "Ref,value\nADM1,1\n").content.decode()
    assert "How the file is laid out" in missing
    assert "boardpack.yaml" not in page + missing


def test_an_unreadable_file_type_is_reported(client, period, officer):
    response = upload(client, period, "figures.txt", "indicator,period,value\n")
    ((_, _, _, reason),) = problem_rows(response)
    assert reason.startswith("cannot read .txt; save it as one of .csv")


def test_tracker_problems_name_the_sheet_row_and_column(client, period, officer, tmp_path):
    rows = [list(row) for row in TRACKER]
    rows[1][1] = "Targte"
    rows[2][0] = "PB9"
    rows[0][3] = "2,4x0"
    response = upload(client, period, "trend.xlsx", tracker_bytes(tmp_path, rows), "data-1")
    assert response.status_code == 400
    assert [(r, c, v) for r, c, v, _ in problem_rows(response)] == [
        ("2", "Q4 2023/24", "2,4x0"),
        ("3", "B", "Targte"),
        ("4", "Indicator", "PB9"),
    ]
    assert "<td>Trend</td>" in response.content.decode()


def test_a_tracker_upload_revises_only_what_changed(client, period, officer, tmp_path):
    rows = [list(row) for row in TRACKER]
    rows[0][3] = 2460
    preview = upload(client, period, "trend.xlsx", tracker_bytes(tmp_path, rows), "data-1")
    page = preview.content.decode()
    assert "0 new, 1 changed and 3 unchanged" in page, page[page.index("<h1") :]
    confirm(client, period, preview)
    assert figure("ADM1", "Q4 2023/24").value == 2460.0
    assert figure("ADM1", "Q3 2023/24").version == 1


def test_owners_may_upload_only_their_own_indicators(client, period):
    owner = person("ann", OWNER)
    Assignment.objects.create(organisation=period.organisation, user=owner, indicator="ADM1")
    Submission.objects.create(
        period=period, indicator="ADM1", changed_by=owner, changed_at=timezone.now()
    )
    client.force_login(owner)
    before = Observation.objects.count()
    content = "indicator,period,value\nADM1,Q2 2024/25,2700\nPB1,Q2 2024/25,41\n"
    response = upload(client, period, "mine.csv", content)
    ((row, column, value, reason),) = problem_rows(response)
    assert (row, column, value) == ("3", "indicator", "PB1")
    assert reason.startswith("is not one of your indicators (yours: ADM1)")
    assert Observation.objects.count() == before
    preview = upload(client, period, "mine.csv", "indicator,period,value\nADM1,Q2 2024/25,2700\n")
    assert confirm(client, period, preview).status_code == 302
    assert figure("ADM1", "Q2 2024/25").value == 2700.0


def test_a_figure_changed_after_the_preview_stops_the_save(client, period, officer):
    preview = upload(client, period, "figures.csv", GOOD)
    rival = person("rita", PERFORMANCE_OFFICER)
    key = {"indicator": "ADM1", "area": "E10000099", "period": "Q1 2024/25"}
    save_version(
        Observation, period.organisation, key, {"value": 2502.0}, base_version=1, user=rival
    )
    before = Observation.objects.count()
    refused = confirm(client, period, preview)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Figures changed since your preview; nothing was saved" in page
    assert "ADM1 Q1 2024/25 (E10000099): version 2 saved by rita" in page
    assert Observation.objects.count() == before
    assert confirm(client, period, refused).status_code == 302
    assert figure("ADM1", "Q1 2024/25").value == 2501.0


def test_the_confirmation_needs_the_previews_own_token(client, period, officer):
    first = upload(client, period, "figures.csv", GOOD)
    upload(client, period, "other.csv", "indicator,period,value\nADM1,Q3 2024/25,1\n")
    before = Observation.objects.count()
    stale = confirm(client, period, first)
    assert stale.status_code == 400
    assert "The preview has expired or a newer one replaced it" in stale.content.decode()
    assert Observation.objects.count() == before


def test_a_form_without_a_file_says_what_to_do(client, period, officer):
    response = client.post(address(period), {"action": "check", "layout": "tidy"})
    assert response.status_code == 400
    assert (
        '<a href="#file">Choose a spreadsheet to upload (CSV, XLSX, XLSM, XLS or ODS)</a>'
        in response.content.decode()
    )


def test_who_may_upload(client, period):
    assert client.get(address(period)).status_code == 302  # signed out: sign in first
    client.force_login(person("vera", VIEWER))
    assert client.get(address(period)).status_code == 403
    owner = person("ann", OWNER)
    client.force_login(owner)
    assert client.get(address(period)).status_code == 200
    ReportingPeriod.objects.filter(pk=period.pk).update(status="closed")
    assert client.get(address(period)).status_code == 403
    client.force_login(person("olive", PERFORMANCE_OFFICER))
    assert client.get(address(period)).status_code == 200
    assert client.get("/periods/999/upload/").status_code == 404


def test_an_empty_file_is_refused_by_its_field_saying_it_is_empty(client, period, officer):
    response = upload(client, period, "figures.xlsx", b"")
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    said = "figures.xlsx is empty (0 bytes): open the spreadsheet, save it, and upload the saved"
    assert said in page and 'id="file-error"' in response.content.decode()


def test_the_form_names_every_kind_of_file_it_reads(client, period, officer):
    page = client.get(address(period)).content.decode()
    assert "CSV, XLSX, XLSM, XLS or ODS, up to 10 MB." in page


def test_a_word_meaning_no_figure_is_told_to_leave_the_cell_empty(client, period, officer):
    response = upload(
        client, period, "figures.csv", "indicator,period,value\nADM1,Q1 2024/25,TBC\n"
    )
    ((_, column, value, reason),) = problem_rows(response)
    assert (column, value) == ("value", "TBC")
    assert reason.endswith("if there is no figure yet, leave the cell empty")
    assert "`missing:`" not in reason


def test_after_saving_the_page_says_the_figures_still_need_submitting(client, period, officer):
    confirm(client, period, upload(client, period, "figures.csv", GOOD))
    page = html.unescape(client.get(address(period)).content.decode())
    assert "The figures are saved, not submitted: submit each indicator for review from My" in page


WIDE_SOURCE = (
    "  - {file: data/kpi-tracker.xlsx, format: wide, sheet: ASC Tracker,"
    " columns: {Ref: indicator}, ignore: [Indicator, Comments], missing: [TBC]}\n"
)


def write_wide(path: Path, months: list[str], adm1: list, pb1: list) -> None:
    """A council's tracker as kept in Excel: a title above the header, one row per indicator
    (a reference written with a space), the months across the top, percentages formatted as
    such, and TBC for a figure not in yet."""
    book = xlsxwriter.Workbook(path)
    sheet, percent = book.add_worksheet("ASC Tracker"), book.add_format({"num_format": "0.0%"})
    sheet.write(0, 0, "Adult social care tracker 2024/25")
    sheet.write_row(2, 0, ["Ref", "Indicator", *months, "Comments"])
    sheet.write_row(3, 0, ["ADM 1", "Admissions to care homes", *adm1])
    sheet.write_row(4, 0, ["PB1", "Personal budgets"])
    for column, value in enumerate(pb1, start=2):
        sheet.write(4, column, value, percent)
    sheet.write(4, 2 + len(months), "Dec late")
    book.close()


def test_a_wide_tracker_uploads_laid_out_like_the_projects_own(client, small_project, officer):
    """A project reading a wide tracker offers its layout; a file kept the same way (a title
    row, `ADM 1`, cells formatted as percentages, TBC) is previewed as the figures it shows."""
    forget()
    rewrite(small_project / "boardpack.yaml", "  - file: data/figures.csv\n", WIDE_SOURCE)
    write_wide(
        small_project / "data" / "kpi-tracker.xlsx",
        ["Jun-24", "Sep-24"],
        [2501, 2650],
        [0.385, 0.39],
    )
    import_project(small_project)
    period = ReportingPeriod.objects.create(organisation=find_organisation(), label="Q3 2024/25")
    form = client.get(address(period)).content.decode()
    assert "Laid out like data/kpi-tracker.xlsx (wide)" in form
    sent = small_project / "sent.xlsx"
    write_wide(sent, ["Sep-24", "Dec-24"], [2650, "TBC"], [0.39, 0.412])
    preview = upload(client, period, "tracker-dec.xlsx", sent.read_bytes(), layout="data-0")
    page = html.unescape(preview.content.decode())
    assert preview.status_code == 200, page
    assert "2 new, 0 changed and 2 unchanged" in page  # Sep-24 as saved, Dec-24 new
    shown = re.sub(r"\s+", " ", page)
    assert (
        '<th scope="row">PB1</th> <td>E10000099</td> <td>Q3 2024/25</td> <td class="number">41.2%</td>'
        in shown
    )
    assert confirm(client, period, preview).status_code == 302
    assert figure("PB1", "Q3 2024/25").value == pytest.approx(41.2)
    assert figure("ADM1", "Q3 2024/25").value is None  # TBC: no figure yet


def test_a_word_document_renamed_as_a_workbook_is_told_what_it_is(client, period, officer):
    import docx

    document, saved = docx.Document(), io.BytesIO()
    document.add_paragraph("Quarterly figures")
    document.save(saved)
    response = upload(client, period, "figures.xlsx", saved.getvalue())
    assert response.status_code == 400
    said = html.unescape(response.content.decode())
    assert "figures.xlsx is a Word document, not a spreadsheet, whatever its name says" in said
