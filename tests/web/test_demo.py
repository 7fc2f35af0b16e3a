"""`boardpack serve --demo`: the demo database is seeded with the example council, an open
period and one user per role, any number of times; the server answers over HTTP."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import subprocess
import sys
import threading

import pytest
from django.contrib.auth.models import User

from boardpack.web import access
from boardpack.web.demo import USERS, DemoError, seed
from boardpack.web.records.models import (
    AuditEntry,
    Indicator,
    Observation,
    ReportingPeriod,
    Submission,
)
from boardpack.web.records.roles import ADMINISTRATOR, OWNER, PERFORMANCE_OFFICER, VIEWER
from boardpack.web.serve import allow_host

SEEDING = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "periods": ReportingPeriod.objects.count(),
        "submissions": Submission.objects.count(),
        "assignments": sum(u.assignments.count() for u in User.objects.all()),
        "observations": Observation.objects.count(),
        "imports": AuditEntry.objects.filter(action="imported").count(),
    }


@SEEDING
def test_seeding_makes_one_user_per_role_an_open_period_and_the_owners_teams():
    demo = seed()
    roles = {u.username: access.role(User.objects.get(username=u.username)) for u in USERS}
    assert sorted(roles.values()) == sorted(
        [VIEWER, OWNER, OWNER, PERFORMANCE_OFFICER, PERFORMANCE_OFFICER, ADMINISTRATOR]
    )
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.get(username="officer").is_staff
    for spec in USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(demo.passwords[spec.username])
        assert list(user.assignments.values_list("team", flat=True)) == (
            [spec.team] if spec.team else []
        )
    # the owner edits the Safeguarding division's indicators and no others
    owner = User.objects.get(username="owner")
    mine = access.editable_refs(owner, demo.organisation)
    indicators = Indicator.objects.current().filter(organisation=demo.organisation)
    safeguarding = indicators.filter(division="Safeguarding, Quality and Practice")
    assert mine == set(safeguarding.values_list("ref", flat=True)) and len(mine) == 8
    # the latest figures are for Q2 2025/26: the quarter after is open
    assert demo.imported and demo.period.label == "Q3 2025/26"
    assert demo.period.status == ReportingPeriod.Status.OPEN and demo.period.deadline
    # every monthly and quarterly indicator is due; the two annual ones report in Q4
    waiting = Submission.objects.filter(period=demo.period, status=Submission.Status.DRAFT)
    in_year = [i.ref for i in indicators if i.definition["frequency"] != "annual"]
    assert sorted(waiting.values_list("indicator", flat=True)) == sorted(in_year)
    assert len(in_year) == 41
    opened = AuditEntry.objects.get(action="opened")
    assert opened.user.username == "officer" and opened.record == "Q3 2025/26"
    assert len(set(demo.passwords.values())) == len(USERS)  # random, one each


@SEEDING
def test_seeding_again_reuses_the_database_and_sets_new_passwords():
    first = seed()
    before = counts()
    second = seed()
    assert counts() == before and before["imports"] == 1 and not second.imported
    assert second.period == first.period
    officer = User.objects.get(username="officer")
    assert not officer.check_password(first.passwords["officer"])
    assert officer.check_password(second.passwords["officer"])
    seed(password="demo-pass")
    assert User.objects.get(username="viewer").check_password("demo-pass")


@SEEDING
def test_a_missing_example_project_is_reported_with_where_it_was_looked_for(tmp_path):
    with pytest.raises(
        DemoError, match=re.escape(str(tmp_path / "example-county")) + ".*source checkout"
    ):
        seed(examples=tmp_path)
    assert User.objects.count() == 0


def test_the_served_host_is_allowed(monkeypatch):
    monkeypatch.setenv("BOARDPACK_ALLOWED_HOSTS", "boardpack.example.org")
    allow_host("10.0.0.5")
    allow_host("0.0.0.0")
    assert os.environ["BOARDPACK_ALLOWED_HOSTS"] == "boardpack.example.org,10.0.0.5"


def lines_of(stream) -> queue.Queue:
    """The stream's lines as they come, read in a thread so waiting for one can time out."""
    lines: queue.Queue = queue.Queue()

    def read():
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_serve_demo_answers_the_sign_in_page_and_stops_on_ctrl_c(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("DATABASE_URL", None)
    command = "from boardpack.web.serve import serve_command; serve_command()"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "--demo", "--port", "0", "--threads", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        lines, said = lines_of(server.stdout), []
        while not said or "running at" not in said[-1]:
            line = lines.get(timeout=180)
            assert line is not None, "".join(said)
            said.append(line)
        printed = "".join(said)
        assert str(tmp_path / "cache" / "boardpack" / "demo.sqlite3") in printed
        assert all(f"{user.username} / " in said[-1] for user in USERS)
        port = int(said[-1].split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/sign-in/")
        response = connection.getresponse()
        assert response.status == 200 and b'name="password"' in response.read()
        connection.request("GET", "/", headers={"Host": "elsewhere.example.org"})
        assert connection.getresponse().status == 400  # a host not served is refused
        connection.close()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
        assert (tmp_path / "cache" / "boardpack" / "demo.sqlite3").is_file()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def sign_in_page(port: int) -> int:
    """The status of GET /sign-in/ on a new connection (a new connection may go to any
    server process)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/sign-in/")
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def serve_two_processes(
    tmp_path,
) -> tuple[subprocess.Popen, int, list[int], list[str], queue.Queue]:
    """`boardpack serve --demo --workers 2` on a free port: the parent, the port, the server
    processes' pids (as printed), the lines printed until then and those to come."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("DATABASE_URL", None)
    command = "from boardpack.web.serve import serve_command; serve_command()"
    options = ["--demo", "--port", "0", "--threads", "2", "--workers", "2"]
    server = subprocess.Popen(
        [sys.executable, "-c", command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    lines, said = lines_of(server.stdout), []
    while not said or "Serving with" not in said[-1]:
        line = lines.get(timeout=180)
        assert line is not None, "".join(said)
        said.append(line)
    port = int(said[-2].split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
    pids = [int(pid) for pid in re.findall(r"\d+", said[-1].split("pids", 1)[1])]
    return server, port, pids, said, lines


def running(pids: list[int]) -> list[int]:
    return [pid for pid in pids if os.path.exists(f"/proc/{pid}")]


def stop(server: subprocess.Popen, pids: list[int]) -> None:
    """Kill what a failed test left running."""
    for pid in running(pids):
        os.kill(pid, signal.SIGKILL)
    if server.poll() is None:
        server.kill()
        server.wait()


def test_serve_with_two_processes_answers_from_each_and_stops_them_on_ctrl_c(tmp_path):
    server, port, pids, said, _ = serve_two_processes(tmp_path)
    try:
        assert sum("running at" in line for line in said) == 1  # printed once, by the parent
        assert len(pids) == 2 and server.pid not in pids
        assert [sign_in_page(port) for _ in range(6)] == [200] * 6
        for paused, serving in (pids, pids[::-1]):  # each process alone answers
            os.kill(paused, signal.SIGSTOP)
            try:
                assert sign_in_page(port) == 200, f"process {serving} did not answer"
            finally:
                os.kill(paused, signal.SIGCONT)
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == 0
        assert running(pids) == []
    finally:
        stop(server, pids)


def test_a_server_process_that_dies_is_started_again_while_the_other_serves(tmp_path):
    server, port, pids, _, lines = serve_two_processes(tmp_path)
    try:
        assert sign_in_page(port) == 200
        os.kill(pids[0], signal.SIGKILL)  # as a reader fault would
        assert [sign_in_page(port) for _ in range(4)] == [200] * 4  # the other answers
        told = []
        while not told or "started it again" not in told[-1]:
            told.append(lines.get(timeout=30))
            assert told[-1] is not None, "".join(told[:-1])
        assert f"Server process {pids[0]} stopped unexpectedly (exit code -9)" in told[-1]
        again = int(told[-1].rsplit("process ", 1)[1].strip())
        os.kill(pids[1], signal.SIGSTOP)  # the new process alone answers
        try:
            assert sign_in_page(port) == 200
        finally:
            os.kill(pids[1], signal.SIGCONT)
        assert server.poll() is None
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == 0
        assert running([*pids, again]) == []
    finally:
        stop(server, pids)


@SEEDING
def test_the_demo_offers_its_wide_workforce_tracker_to_upload_figures_as_kept(tmp_path):
    """The example council keeps this year's workforce figures wide (one row per indicator,
    the months across the top): an officer uploads the tracker with October added, laid out
    like it, and the preview finds October new and the rest unchanged."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from boardpack.web.demo import EXAMPLES

    demo = seed(password="a long demo password")
    client = Client()
    client.force_login(User.objects.get(username="officer"))
    address = f"/periods/{demo.period.pk}/upload/"
    form = client.get(address).content.decode()
    found = re.search(
        r'value="(data-\d+)"[^>]*>Laid out like data/workforce-2025-26.csv \(wide\)', form
    )
    assert found, form
    kept = (EXAMPLES / "example-county" / "data" / "workforce-2025-26.csv").read_text()
    lines = kept.splitlines()
    assert lines[0].startswith("Ref,Indicator,Status,Apr-25") and lines[0].endswith("Sep-25")
    october = {"PE01": "10.1", "PE02": "181000", "PE04": "1060.5"}
    sent = "\n".join(
        [lines[0] + ",Oct-25", *(line + "," + october[line.split(",")[0]] for line in lines[1:])]
    )
    preview = client.post(
        address,
        {
            "action": "check",
            "layout": found.group(1),
            "file": SimpleUploadedFile("workforce-oct.csv", sent.encode()),
        },
    )
    page = preview.content.decode()
    assert preview.status_code == 200, page
    assert "3 new, 0 changed and 18 unchanged" in page
