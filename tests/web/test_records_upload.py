"""Uploading a quarter's Client Level Data submission: an officer stages it, sees its
data-quality report, accepts it and the figures computed from records are recomputed, the
earlier values kept as versions; a structurally bad file changes nothing; owners are refused."""

from __future__ import annotations

import csv
import datetime as dt
import html
import os
import shutil
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from boardpack.records.synth.generate import synthesise
from boardpack.web.live import forget
from boardpack.web.records.models import AuditEntry, Observation
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER
from boardpack.web.store import dataset_from_store, find_organisation, import_project

pytestmark = pytest.mark.django_db
FIRST = "622_2024-12-31_2025-02-10.csv"
SECOND = "622_2025-03-31_2025-05-11.csv"
PROJECT = """\
organisation:
  code: E06000034
  name: Thurrock (synthetic records)
records:
  files: [records/*.csv]
  suppress: false
indicators:
  - ref: WAIT1
    title: Median days from request to first service
    polarity: lower_better
    unit: days
    frequency: quarterly
    source: {records: wait_first_service_median_days}
  - ref: LTS1
    title: People on long-term support
    polarity: higher_better
    unit: number
    frequency: quarterly
    source: {records: lts_people}
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """Two quarterly submissions of one small synthetic council."""
    out = tmp_path_factory.mktemp("synth")
    synthesise(out, councils=1, people=60, quarters=2, seed=3)
    return out / "submissions"


@pytest.fixture
def project(tmp_path, synthetic) -> Path:
    """The project with the first quarter's submission loaded and imported."""
    from boardpack.catalogue import load_project_file
    from boardpack.records import load_records

    folder = tmp_path / "thurrock"
    (folder / "records").mkdir(parents=True)
    shutil.copyfile(synthetic / FIRST, folder / "records" / FIRST)
    (folder / "boardpack.yaml").write_text(PROJECT, encoding="utf-8")
    load_records(load_project_file(folder))
    import_project(folder)
    forget()
    yield folder
    forget()


def client_for(role: str, name: str):
    from django.test import Client

    return signed_in(Client(), role, name)


def signed_in(client, role: str, name: str = ""):
    username = name or role.replace(" ", "")
    user = User.objects.create_user(username, email="someone@thurrock.gov.uk")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def upload(client, path: Path, name: str | None = None, **fields):
    sent = SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")
    data = {"action": "check", "submitted": "2025-05-11", "file": sent, **fields}
    return client.post("/records/upload/", data)


def versions(ref: str, period: str) -> list[float]:
    rows = Observation.objects.filter(indicator=ref, period=period).order_by("version")
    return [o.value for o in rows]


def token_in(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_an_officer_stages_sees_the_quality_report_and_accepts(client, project, synthetic):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    form = officer.get("/records/upload/").content.decode()
    assert 'href="/records/upload/" aria-current="page"' in form and 'name="submitted"' in form
    before = versions("WAIT1", "Q3 2024/25")
    assert len(before) == 1
    staged = upload(officer, synthetic / SECOND)
    page = html.unescape(staged.content.decode())
    assert staged.status_code == 200, page
    assert f"Data-quality report for {SECOND}" in page
    assert "Services with no end date" in page
    # Staging changes nothing: the figures and the records stay as they were.
    assert versions("WAIT1", "Q3 2024/25") == before
    assert not Observation.objects.filter(indicator="LTS1", period="Q4 2024/25").exists()
    assert not (project / ".boardpack" / "submissions").exists()

    accepted = officer.post("/records/upload/", {"action": "accept", "token": token_in(page)})
    assert accepted.status_code == 302
    after = versions("WAIT1", "Q3 2024/25")
    assert after[0] == before[0] and len(after) == 2 and after[1] != before[0]
    assert versions("LTS1", "Q4 2024/25")  # the new quarter's figure
    assert (project / ".boardpack" / "submissions" / SECOND).exists()
    assert not any((project / ".boardpack" / "staging").iterdir())
    entry = AuditEntry.objects.get(action="accepted")
    assert entry.record == SECOND and entry.after["changed"] >= 1
    # The records database holds both submissions, and so does the next load from the files.
    from boardpack.catalogue import load_project_file
    from boardpack.records import load_records, quality_summary

    both = {f".boardpack/submissions/{SECOND}", f"records/{FIRST}"}
    assert set(quality_summary(load_project_file(project))["file"]) == both
    load_records(load_project_file(project))
    assert set(quality_summary(load_project_file(project))["file"]) == both
    # The Store's data-quality table (the pack's data-quality section) names both too.
    stored = dataset_from_store(find_organisation()).records_quality
    assert set(stored["file"]) == both


def test_a_staging_older_than_the_records_is_refused(client, project, synthetic, tmp_path):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    page = html.unescape(upload(officer, synthetic / SECOND).content.decode())
    other = client_for(PERFORMANCE_OFFICER, "other")
    later = tmp_path / SECOND.replace("2025-05-11", "2025-05-20")
    shutil.copyfile(synthetic / SECOND, later)
    accepted_first = html.unescape(upload(other, later).content.decode())
    other.post("/records/upload/", {"action": "accept", "token": token_in(accepted_first)})
    refused = officer.post("/records/upload/", {"action": "accept", "token": token_in(page)})
    assert refused.status_code == 400
    assert "another submission was accepted" in html.unescape(refused.content.decode())
    assert AuditEntry.objects.filter(action="accepted").count() == 1
    assert not any((project / ".boardpack" / "staging").iterdir())


def test_cancelling_discards_the_staging(client, project, synthetic):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    abandoned = project / ".boardpack" / "staging" / "abandoned"
    abandoned.mkdir(parents=True)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(abandoned, (two_days_ago, two_days_ago))
    page = html.unescape(upload(officer, synthetic / SECOND).content.decode())
    assert not abandoned.exists()  # left two days ago: deleted by the next staging
    officer.post("/records/upload/", {"action": "cancel"})
    assert not any((project / ".boardpack" / "staging").iterdir())
    refused = officer.post("/records/upload/", {"action": "accept", "token": token_in(page)})
    assert refused.status_code == 400
    assert len(versions("WAIT1", "Q3 2024/25")) == 1


def test_a_structurally_bad_file_shows_its_problems_and_changes_nothing(
    client, project, synthetic, tmp_path
):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    with (synthetic / SECOND).open(newline="", encoding="utf-8") as good:
        rows = list(csv.reader(good))
    rows[3][rows[0].index("Event_Start_Date")] = "31/02/2025x"  # line 4 of the file
    bad = tmp_path / SECOND
    with bad.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    database = (project / ".boardpack" / "records.duckdb").read_bytes()
    answer = upload(officer, bad)
    page = html.unescape(answer.content.decode())
    assert answer.status_code == 400
    assert f"{SECOND} has" in page and "nothing was changed" in page
    assert "Event_Start_Date" in page and "31/02/2025x" in page
    assert ">4<" in page  # the row in the file
    assert (project / ".boardpack" / "records.duckdb").read_bytes() == database
    assert not any((project / ".boardpack" / "staging").iterdir())
    assert len(versions("WAIT1", "Q3 2024/25")) == 1


def test_an_owner_is_refused(client, project, synthetic):
    owner = signed_in(client, OWNER)
    assert 'href="/records/upload/"' not in owner.get("/").content.decode()
    assert owner.get("/records/upload/").status_code == 403
    assert upload(owner, synthetic / SECOND).status_code == 403
    assert not (project / ".boardpack" / "staging").exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(client, project, tmp_path):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n", encoding="utf-8")
    answer = upload(officer, odd)
    assert answer.status_code == 400
    assert "is not a CSV or XLSX file" in html.unescape(answer.content.decode())


def test_a_hostile_file_is_refused_before_it_is_read(client, project, synthetic, tmp_path):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    hostile = tmp_path / SECOND
    hostile.write_bytes((synthetic / SECOND).read_bytes() + b"111,\x00\x00\n")
    answer = upload(officer, hostile)
    assert answer.status_code == 400
    assert "NUL" in html.unescape(answer.content.decode())
    assert not (project / ".boardpack" / "staging").exists()  # refused before staging


def test_a_workbook_submission_is_staged_like_a_csv(client, project, synthetic, tmp_path):
    import xlsxwriter

    officer = signed_in(client, PERFORMANCE_OFFICER)
    with (synthetic / SECOND).open(newline="", encoding="utf-8") as good:
        rows = list(csv.reader(good))
    workbook = tmp_path / SECOND.replace(".csv", ".xlsx")
    book = xlsxwriter.Workbook(workbook)
    sheet = book.add_worksheet()
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    book.close()
    answer = upload(officer, workbook)
    page = html.unescape(answer.content.decode())
    assert answer.status_code == 200, page
    assert f"Data-quality report for {workbook.name}" in page


def test_every_error_of_the_check_form_is_shown_at_once_beside_its_field(client, project):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    answer = officer.post("/records/upload/", {"action": "check", "submitted": "last tuesday"})
    page = html.unescape(answer.content.decode())
    assert answer.status_code == 400
    assert 'id="file-error"' in page and "Choose a submission file to upload" in page
    assert 'id="submitted-error"' in page and "as YYYY-MM-DD" in page
    assert 'name="submitted" value=""' in page  # a date field holds only a date
    assert not (project / ".boardpack" / "staging").exists()


def test_an_unknown_action_or_a_forged_token_is_a_400_page(client, project, synthetic):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    unknown = officer.post("/records/upload/", {"action": "delete-everything"})
    assert unknown.status_code == 400
    assert "use its buttons to check, accept or cancel" in html.unescape(unknown.content.decode())
    for token in ("../../etc", "x" * 500, ""):
        forged = officer.post("/records/upload/", {"action": "accept", "token": token})
        assert forged.status_code == 400
        assert "has expired or was replaced" in html.unescape(forged.content.decode())
    assert len(versions("WAIT1", "Q3 2024/25")) == 1


def test_a_submission_of_the_same_name_is_refused_beside_the_file(client, project, synthetic):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    page = html.unescape(upload(officer, synthetic / SECOND).content.decode())
    officer.post("/records/upload/", {"action": "accept", "token": token_in(page)})
    again = upload(officer, synthetic / SECOND)
    assert again.status_code == 400
    assert 'id="file-error"' in again.content.decode()
    assert "was accepted already" in html.unescape(again.content.decode())


def test_a_file_the_project_already_holds_is_refused_too(client, project):
    """The submissions named under `records: files:` count as accepted, as the web's own do:
    uploading one again would load the same quarter twice."""
    officer = signed_in(client, PERFORMANCE_OFFICER)
    again = upload(officer, project / "records" / FIRST)
    assert again.status_code == 400
    assert f"{FIRST}: a submission of this name was accepted already" in html.unescape(
        again.content.decode()
    )
    assert not list((project / ".boardpack").glob("staging/*"))


def test_the_day_in_the_files_name_wins_over_the_forms(client, project, synthetic):
    """The form offers today; a file whose name says when it was sent is staged and kept with
    that day, as every later load reads it, so a project's `as_of` treats both alike."""
    import duckdb

    officer = signed_in(client, PERFORMANCE_OFFICER)
    page = html.unescape(
        upload(officer, synthetic / SECOND, submitted="2030-01-01").content.decode()
    )
    officer.post("/records/upload/", {"action": "accept", "token": token_in(page)})
    database = duckdb.connect(str(project / ".boardpack" / "records.duckdb"), read_only=True)
    rows = database.execute("select * from submissions").fetchall()
    (kept,) = [row for row in rows if SECOND in row[1]]
    assert dt.date(2025, 5, 11) in kept and dt.date(2030, 1, 1) not in kept


def test_an_empty_file_is_refused_saying_so(client, project, tmp_path):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    (tmp_path / SECOND).write_bytes(b"")
    refused = html.unescape(upload(officer, tmp_path / SECOND).content.decode())
    assert "The file is empty (0 bytes): save the submission again and upload the saved" in refused


def decided_q3(officer, second):
    """Q3 2024/25 opened, its figures (imported from the first submission) approved."""
    from boardpack.web import cycle
    from boardpack.web.records.models import ReportingPeriod

    period = cycle.open_period(find_organisation(), "Q3 2024/25", "2025-05-31T17:00", officer)
    for ref in period.submissions.values_list("indicator", flat=True):
        cycle.submit(period, ref, officer)
        cycle.approve(period, ref, second, "Checked.")
    return ReportingPeriod.objects.get(pk=period.pk)


def status_of(period, ref: str) -> str:
    return period.submissions.get(indicator=ref).status


def test_an_approved_figure_the_records_change_goes_back_for_review(client, project, synthetic):
    officer = signed_in(client, PERFORMANCE_OFFICER)
    second = User.objects.create_user("second")
    second.groups.add(Group.objects.get(name=PERFORMANCE_OFFICER))
    period = decided_q3(User.objects.get(username="performanceofficer"), second)
    assert status_of(period, "WAIT1") == "approved"
    staged = html.unescape(upload(officer, synthetic / SECOND).content.decode())
    assert "Approved figures that change: they go back for review" in staged
    assert "WAIT1 Q3 2024/25" in staged
    assert status_of(period, "WAIT1") == "approved"  # staging changes nothing
    accepted = officer.post(
        "/records/upload/", {"action": "accept", "token": token_in(staged)}, follow=True
    )
    words = html.unescape(accepted.content.decode())
    assert "Sent back for review (approved, now changed): WAIT1 Q3 2024/25" in words
    assert status_of(period, "WAIT1") == "submitted"
    entry = AuditEntry.objects.get(action="sent back for review")
    assert entry.record == "WAIT1 Q3 2024/25" and "accepted records submission" in entry.reason


def test_a_published_periods_figure_the_records_change_is_a_restatement(client, project, synthetic):
    from boardpack.web.records.models import ReportingPeriod
    from boardpack.web.store import restatements

    officer = signed_in(client, PERFORMANCE_OFFICER)
    second = User.objects.create_user("second")
    second.groups.add(Group.objects.get(name=PERFORMANCE_OFFICER))
    period = decided_q3(User.objects.get(username="performanceofficer"), second)
    ReportingPeriod.objects.filter(pk=period.pk).update(status=ReportingPeriod.Status.PUBLISHED)
    from django.utils import timezone

    published_at = timezone.now()
    staged = html.unescape(upload(officer, synthetic / SECOND).content.decode())
    assert "Figures of published periods that change: restatements in the next pack" in staged
    assert "WAIT1 Q3 2024/25" in staged
    accepted = officer.post(
        "/records/upload/", {"action": "accept", "token": token_in(staged)}, follow=True
    )
    words = html.unescape(accepted.content.decode())
    assert "shown as restatements in the next pack: " in words and "WAIT1 Q3 2024/25" in words
    assert status_of(period, "WAIT1") == "approved"  # a published period is not reopened
    assert not AuditEntry.objects.filter(action="sent back for review").exists()
    restated = {(r.indicator, r.period) for r in restatements("Q4 2024/25", published_at)}
    assert ("WAIT1", "Q3 2024/25") in restated
