"""Hostile uploads against a running server: `boardpack serve --demo --workers 2` on a fresh
demo database, the demo owner uploading each file of the hostile set (`tests/web/hostile.py`:
sparse sheets reaching XFD1048576, a zip bomb, XML with a DOCTYPE, NUL characters, a
131k-character field, binary garbage, UTF-16, formulas with no saved result, a million-row
CSV), while a second client asks for the sign-in page every 0.2 s and the memory of every
server process (the parent, its workers and their children) is sampled every 0.1 s.

Prints one JSON object: per file the status, seconds to the answer and whether the page names
the file and the problem; the poller's requests, failures and slowest answer; the peak memory
(resident set summed over the server's processes, and the proportional set, which counts
pages the processes share once) and the machine's load at the start.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import queue
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from web.hostile import HOSTILE  # noqa: E402


def start_server(folder: Path, password: str, workers: int) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache"), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        "-c",
        "from boardpack.web.serve import serve_command; serve_command()",
        "--demo",
        "--demo-password",
        password,
        "--port",
        "0",
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in server.stdout], daemon=True).start()
    ready, address = 0, None
    deadline = time.monotonic() + 600
    while ready < workers and time.monotonic() < deadline:
        line = lines.get(timeout=600)
        found = re.search(r"running at (http://[^/]+/)", line)
        address = found.group(1) if found else address
        ready += "Pages ready" in line
    if address is None:
        raise SystemExit("the server did not start")
    threading.Thread(target=lambda: [lines.get() for _ in iter(int, 1)], daemon=True).start()
    return server, address


class Session:
    """A browser: cookies kept, the CSRF token sent with each form."""

    def __init__(self, address: str):
        self.address = address
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def token(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str, timeout: float = 30) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.address + path.lstrip("/")), timeout)

    def post(self, path: str, body: bytes, kind: str, timeout: float = 60) -> tuple[int, str]:
        request = urllib.request.Request(
            self.address + path.lstrip("/"),
            data=body,
            headers={"Content-Type": kind, "Referer": self.address, "X-CSRFToken": self.token()},
        )
        return self._open(request, timeout)

    def _open(self, request, timeout: float) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def sign_in(self, username: str, password: str) -> None:
        self.get("/sign-in/")
        fields = {"username": username, "password": password, "csrfmiddlewaretoken": self.token()}
        body = urllib.parse.urlencode(fields).encode()
        status, _ = self.post("/sign-in/", body, "application/x-www-form-urlencoded")
        if status != 200:
            raise SystemExit(f"could not sign in as {username} ({status})")


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def tree(root: int) -> list[int]:
    """`root` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting.extend(children.get(pid, []))
    return found


def what(pid: int) -> str:
    """A process's command line, shortened."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "?"
    return words[-60:]


def resident(pid: int, field: str = "Rss:") -> int:
    """A process's resident memory (`Rss:`), or its proportional share (`Pss:`: pages shared
    with other processes counted once in all)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Watch:
    """The poller and the memory sampler, until stopped."""

    def __init__(self, server: subprocess.Popen, address: str):
        self.server, self.address = server, address
        self.stopped = threading.Event()
        self.peak = self.peak_processes = 0
        self.peak_each: list[tuple[str, int]] = []
        self.idle = self.peak_pss = 0
        self.polls, self.failures, self.slowest = 0, [], 0.0

    def start(self) -> None:
        threading.Thread(target=self.sample, daemon=True).start()
        threading.Thread(target=self.poll, daemon=True).start()

    def sample(self) -> None:
        self.idle = sum(resident(pid) for pid in tree(self.server.pid))
        while not self.stopped.wait(0.1):
            each = [(what(pid), resident(pid)) for pid in tree(self.server.pid)]
            total = sum(rss for _, rss in each)
            if total > self.peak:
                self.peak, self.peak_processes, self.peak_each = total, len(each), each
            pss = sum(resident(pid, "Pss:") for pid in tree(self.server.pid))
            self.peak_pss = max(self.peak_pss, pss)

    def poll(self) -> None:
        other = Session(self.address)
        while not self.stopped.wait(0.2):
            began = time.monotonic()
            try:
                status, _ = other.get("/sign-in/", timeout=10)
            except OSError as error:
                status = str(error)
            self.polls += 1
            self.slowest = max(self.slowest, time.monotonic() - began)
            if status != 200:
                self.failures.append(status)


def upload_each(owner: Session, period: int, folder: Path) -> dict:
    results = {}
    for name, (make, words) in HOSTILE.items():
        content = make(folder).read_bytes()
        body, kind = multipart({"action": "check", "layout": "tidy"}, name, content)
        began = time.monotonic()
        status, page = owner.post(f"/periods/{period}/upload/", body, kind)
        seconds = time.monotonic() - began
        text = html.unescape(page)
        results[name] = {
            "bytes": len(content),
            "status": status,
            "seconds": round(seconds, 2),
            "names_the_file": name in text,
            "says_what": words in text,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        load = os.getloadavg()[0]
        server, address = start_server(folder, password, options.workers)
        try:
            owner = Session(address)
            owner.sign_in("owner", password)
            _, tasks = owner.get("/tasks/")
            period = int(re.search(r"/periods/(\d+)/indicators/", tasks).group(1))
            watch = Watch(server, address)
            watch.start()
            results = upload_each(owner, period, folder)
            time.sleep(1)
            watch.stopped.set()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
    print(
        json.dumps(
            {
                "uploads": results,
                "slowest_upload_seconds": max(r["seconds"] for r in results.values()),
                "all_clear_errors": all(
                    r["status"] in (400, 413) and r["names_the_file"] and r["says_what"]
                    for r in results.values()
                ),
                "poller_requests": watch.polls,
                "poller_failures": watch.failures,
                "poller_slowest_seconds": round(watch.slowest, 2),
                "idle_memory_mb": round(watch.idle / 1024**2),
                "peak_memory_mb": round(watch.peak / 1024**2),
                "peak_proportional_memory_mb": round(watch.peak_pss / 1024**2),
                "peak_by_process_mb": [(w, round(r / 1024**2)) for w, r in watch.peak_each],
                "processes_at_peak": watch.peak_processes,
                "workers": options.workers,
                "load_average": load,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
