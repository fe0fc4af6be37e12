"""Fixtures for the demo's browser tests.

A production build of the front end (`next build`, local mode), the real backend (daphne on a fresh
SQLite database, or PostgreSQL where a module asks: `postgres_database`; DJANGO_DEBUG=1 for the demo
token endpoint), `next start`, and Debian's chromium
driven by Playwright. Everything listens on free ports of 127.0.0.1, so a running `tools/dev up`
is not disturbed. Nothing here imports Django: the backend is a separate process, as in production.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, WebSocket, expect, sync_playwright

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"
VENV_BIN = REPO / ".venv" / "bin"
NEXT = REPO / "node_modules" / ".bin" / "next"

# Debian's chromium; never `playwright install` (no browser downloads here). Without the
# background-networking flags Chromium calls outside hosts on its own (TOOLCHAIN.md).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEMO_USERS = {"alice": "Alice", "bob": "Bob"}

# What the Stream SDK leaves in a bundle: its host names, and strings of its client code (errors
# "StreamChat error code …", the `stream-auth-type` header, its user agent `stream-chat-js-v…`, its
# test-run switch). Not the bare word StreamChat: the shim exports a class by that name.
STREAM_MARKERS = re.compile(
    r"stream-io-api\.com|getstream\.io|StreamChat error|stream-auth-type|stream-chat-js|STREAM_LOCAL_TEST_RUN",
    re.IGNORECASE,
)

BUILD_TIMEOUT = 600
START_TIMEOUT = 60
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tail(path: Path, lines: int = 40) -> str:
    """The end of a log file, for failure messages."""
    if not path.exists():
        return f"({path} was never written)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_for_http(
    url: str, timeout: float, process: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    """Polls `url` until it answers 200; fails early, with the log's tail, when `process` exits."""
    deadline = time.monotonic() + timeout
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"{process.args!r} exited with {process.returncode} before {url} answered:\n{tail(log) if log else ''}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = str(error)
        time.sleep(0.2)
    raise TimeoutError(
        f"{url} did not answer 200 within {timeout} s (last: {last_error})\n{tail(log) if log else ''}"
    )


def start_process(args: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Starts a server in its own process group, output to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Ends the process group this module started: SIGTERM, then SIGKILL after 10 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def base_env() -> dict[str, str]:
    """The environment without anything that would switch the build or the backend's mode."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("NEXT_PUBLIC_", "JATTE_"))}
    env.pop("REDIS_URL", None)  # one daphne process: in-process fan-out
    env["NEXT_TELEMETRY_DISABLED"] = "1"
    return env


def next_build(dist_dir: str, env: dict[str, str], log: Path) -> Path:
    """Runs `next build` into frontend/<dist_dir> and returns that folder.

    `next build` writes next-env.d.ts to point at its distDir; the file is put back (or removed,
    when there was none) afterwards so a test run leaves the tree as it found it. It also adds a
    distDir it does not know (JATTE_E2E_DIST_DIR) to tsconfig.json's `include`, reformatting the
    file: that is put back too.
    """
    next_env = FRONTEND / "next-env.d.ts"
    before = next_env.read_bytes() if next_env.exists() else None
    tsconfig = FRONTEND / "tsconfig.json"
    tsconfig_before = tsconfig.read_bytes()
    try:
        with log.open("wb") as out:
            result = subprocess.run(
                [str(NEXT), "build"],
                cwd=FRONTEND,
                env={**env, "JATTE_NEXT_DIST_DIR": dist_dir},
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=BUILD_TIMEOUT,
                check=False,
            )
    finally:
        if before is None:
            next_env.unlink(missing_ok=True)
        else:
            next_env.write_bytes(before)
        if tsconfig.read_bytes() != tsconfig_before:
            tsconfig.write_bytes(tsconfig_before)
    if result.returncode != 0:
        raise RuntimeError(f"next build ({dist_dir}) failed with {result.returncode}:\n{tail(log, 60)}")
    return FRONTEND / dist_dir


def stream_markers(static_dir: Path) -> dict[str, list[str]]:
    """Each file under `static_dir` that holds a Stream marker, with the markers found."""
    found: dict[str, list[str]] = {}
    for path in sorted(static_dir.rglob("*")):
        if path.is_file():
            hits = sorted(
                {match.group(0) for match in STREAM_MARKERS.finditer(path.read_text(errors="replace"))}
            )
            if hits:
                found[str(path.relative_to(static_dir))] = hits
    return found


@dataclass
class Backend:
    """The real backend under daphne; `stop()` and `start()` again keep its port and database."""

    port: int
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes] | None = None
    database_url: str | None = None  # None: SQLite in data_dir

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **base_env(),
            "DJANGO_DEBUG": "1",
            # sqlite:////abs/path unless switched to another database
            "DATABASE_URL": self.database_url or f"sqlite:///{self.data_dir / 'db.sqlite3'}",
            "JATTE_DATA_DIR": str(self.data_dir),
        }

    def migrate(self) -> None:
        with self.log.open("ab") as out:
            subprocess.run(
                [str(VENV_BIN / "python"), "manage.py", "migrate", "--no-input"],
                cwd=REPO / "backend",
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=120,
                check=True,
            )

    def start(self) -> None:
        # As `tools/dev backend` serves it: daphne with Jatte's socket limits and redacted access log.
        serve = [
            str(VENV_BIN / "python"),
            "-m",
            "jatte.serve",
            "--server",
            "daphne",
            "--port",
            str(self.port),
        ]
        self.process = start_process(serve, REPO / "backend", self.env, self.log)
        wait_for_http(f"{self.url}/healthz", START_TIMEOUT, self.process, self.log)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def switch_database(self, url: str | None) -> None:
        """Restarts the backend on another database (None: its own SQLite one), migrated, on the
        same port: the front end's build, which names the port, serves on."""
        self.stop()
        self.database_url = url
        self.migrate()
        self.start()

    def manage(self, *args: str) -> str:
        """Runs a `manage.py` command on this backend's database (as an operator would); its output."""
        result = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *args],
            cwd=REPO / "backend",
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed with {result.returncode}:\n{result.stderr}")
        return result.stdout

    def make_moderator(self, cid: str, user_id: str) -> None:
        """Makes `user_id` a channel_moderator of `cid`, as an operator does in the Django admin."""
        code = (
            "from chat.models import Member; "
            f"n = Member.objects.filter(channel__cid={cid!r}, user_id={user_id!r})"
            ".update(channel_role=Member.ChannelRole.MODERATOR); "
            "print(n)"
        )
        # The last line: Django's shell may first say what it imported on its own.
        updated = self.manage("shell", "-c", code).strip().splitlines()[-1]
        assert updated == "1", f"{user_id} is not a member of {cid} (updated {updated!r} rows)"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database on the TEST_POSTGRES_URL server, dropped afterwards. Without a
    server the test skips, saying so; with CI=true it fails instead."""
    import psycopg

    server = POSTGRES_URL.replace("postgres://", "postgresql://", 1)
    name = f"jatte_e2e_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL at {POSTGRES_URL} is not reachable ({error})"
        if IN_CI:
            pytest.fail(f"{reason} and CI=true")
        pytest.skip(f"{reason}: start it or point TEST_POSTGRES_URL at one (CI=true makes this fail)")
    try:
        yield urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def logs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory, logs_dir: Path) -> Iterator[Backend]:
    """The real backend on a free port with a fresh database, for the whole session."""
    server = Backend(
        port=free_port(), data_dir=tmp_path_factory.mktemp("backend"), log=logs_dir / "backend.log"
    )
    server.migrate()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def local_build(backend: Backend, logs_dir: Path) -> Path:
    """The production build the tests serve: local mode, pointed at the test backend's port."""
    env = {**base_env(), "NEXT_PUBLIC_JATTE_API_URL": backend.url}
    # JATTE_E2E_DIST_DIR lets two checkouts' (or two people's) browser tests build side by side.
    dist_dir = os.environ.get("JATTE_E2E_DIST_DIR", ".next/e2e")
    return next_build(dist_dir, env, logs_dir / "next-build.log")


@pytest.fixture(scope="session")
def frontend(local_build: Path, logs_dir: Path) -> Iterator[str]:
    """`next start` serving the local build; yields its base URL."""
    port = free_port()
    log = logs_dir / "next-start.log"
    env = {**base_env(), "JATTE_NEXT_DIST_DIR": str(local_build.relative_to(FRONTEND))}
    process = start_process([str(NEXT), "start", "-H", "127.0.0.1", "-p", str(port)], FRONTEND, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/", START_TIMEOUT, process, log)
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    # A socket round trip is milliseconds; 10 s leaves room for a loaded two-core CI machine.
    expect.set_options(timeout=10_000)


@dataclass
class DemoPage:
    """One signed-in tab of /demo, with every URL it asked for."""

    user: str
    page: Page
    requests: list[str] = field(default_factory=list)
    sockets: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def message(self, text: str) -> Locator:
        """The message in the channel's list whose text is exactly `text`."""
        return self.page.get_by_test_id("message").filter(
            has=self.page.get_by_test_id("message-text").get_by_text(text, exact=True)
        )

    def message_by_id(self, message_id: str) -> Locator:
        """The message in the channel's list with this id, whatever its text (or none, once deleted)."""
        return self.page.get_by_test_id("message-list").locator(f'[data-message-id="{message_id}"]')

    def reply(self, text: str) -> Locator:
        """The reply in the open thread panel whose text is exactly `text`."""
        return self.page.get_by_test_id("thread-reply").filter(
            has=self.page.get_by_test_id("message-text").get_by_text(text, exact=True)
        )

    def send(self, text: str) -> str:
        """Sends `text` to the channel, waits until it shows, and returns the message's id."""
        self.page.get_by_test_id("composer-input").fill(text)
        self.page.get_by_test_id("send-button").click()
        expect(self.message(text)).to_have_count(1)
        message_id = self.message(text).get_attribute("data-message-id")
        assert message_id, f"the message {text!r} has no data-message-id"
        return message_id

    def action(self, message: Locator, name: str) -> Locator:
        """Hovers `message` so its toolbar shows, and returns the action `name` (react, reply, edit, …)."""
        message.hover()
        expect(message.get_by_test_id("message-actions")).to_be_visible()
        return message.get_by_test_id(f"action-{name}")

    def react(self, message: Locator, reaction_type: str) -> None:
        """Picks `reaction_type` from the message's emoji picker."""
        self.action(message, "react").click()
        message.get_by_test_id("emoji-picker").locator(f'[data-type="{reaction_type}"]').click()

    def open_members(self) -> Locator:
        """Opens the members panel and returns it."""
        panel = self.page.get_by_test_id("members-panel")
        if not panel.is_visible():
            self.page.get_by_test_id("members-toggle").click()
        expect(panel).to_be_visible()
        return panel

    def expect_online(self) -> None:
        expect(self.page.get_by_test_id("connection-state")).to_have_text("online")


class OpenDemo(Protocol):
    """Opens /demo as `user` (in `channel`, default the demo channel) in a new browser context."""

    def __call__(
        self, user: str, channel: str | None = None, viewport: tuple[int, int] = (1280, 800)
    ) -> DemoPage: ...


@pytest.fixture
def open_demo(browser: Browser, frontend: str) -> Iterator[OpenDemo]:
    """Opens /demo as a user in a fresh browser context (its own storage, like a second person)."""
    opened: list[DemoPage] = []

    def open_as(user: str, channel: str | None = None, viewport: tuple[int, int] = (1280, 800)) -> DemoPage:
        width, height = viewport
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        demo = DemoPage(user=user, page=page)
        context.on("request", lambda request: demo.requests.append(request.url))

        def on_socket(socket: WebSocket) -> None:
            demo.sockets.append(socket.url)

        page.on("websocket", on_socket)
        page.on("pageerror", lambda error: demo.errors.append(str(error)))
        opened.append(demo)
        query = f"user={quote(user)}" + (f"&channel={quote(channel)}" if channel else "")
        page.goto(f"{frontend}/demo?{query}")
        demo.expect_online()
        return demo

    yield open_as
    for demo in opened:
        demo.page.context.close()
    errors = {demo.user: demo.errors for demo in opened if demo.errors}
    assert not errors, f"uncaught errors in the page: {errors}"


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""
