"""The running platform for browser tests: a fresh database, gunicorn, a Celery worker, Chromium.

Everything here is session-scoped except the browser context and page, which are fresh for
each test. The tests talk to real processes over HTTP, so they never use pytest-django's
database fixtures: the pytest process itself touches no database except to create and drop
`nastavnik_e2e` on the same PostgreSQL server as the development database.

Set E2E_ARTIFACTS=/some/dir to keep a screenshot of each key step (and of every failure).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from nastavnik import localdb

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Overridable so that two browser runs on one machine (two checkouts) do not drop each other's database.
E2E_DATABASE = os.environ.get("NASTAVNIK_E2E_DATABASE", "nastavnik_e2e")
BASE_DOMAIN = "localhost"  # Chromium resolves *.localhost to loopback by itself
STARTUP_TIMEOUT = 60
LOG_TAIL_LINES = 150

LOGS_KEY = pytest.StashKey[dict[str, str]]()

expect.set_options(timeout=10_000)


# --- database ----------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _is_local_server(url: str | None) -> bool:
    """True when there is no DATABASE_URL, or it points at the private pgserver cluster.

    nastavnik.settings puts the private cluster's URL into DATABASE_URL when it was unset, and
    pytest-django has imported the settings before this file runs, so both cases look alike.
    """
    if not url:
        return True
    host = unquote(urlsplit(url).hostname or "")
    return host.rstrip("/") == str(localdb.PGDATA)


def _drop_database(maintenance_url: str, name: str) -> None:
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def e2e_database_url() -> Iterator[str]:
    """A fresh, empty `nastavnik_e2e` database on the same server; dropped at session end."""
    configured = os.environ.get("DATABASE_URL")
    if _is_local_server(configured):
        # ensure_database() starts the private cluster when needed; `postgres` always exists.
        maintenance_url = localdb.ensure_database("postgres")
        _drop_database(maintenance_url, E2E_DATABASE)
        url = localdb.ensure_database(E2E_DATABASE)
    else:
        maintenance_url = _with_database(configured, "postgres")
        _drop_database(maintenance_url, E2E_DATABASE)
        with psycopg.connect(maintenance_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{E2E_DATABASE}"')
        url = _with_database(configured, E2E_DATABASE)
    yield url
    _drop_database(maintenance_url, E2E_DATABASE)


# --- platform processes ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(path: Path) -> str:
    if not path.exists():
        return "(no log)"
    lines = path.read_text(errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:]) or "(empty)"


@dataclass
class Platform:
    """The running platform: `url()` builds addresses on the public host or an organization's host."""

    port: int
    env: dict[str, str]
    workdir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def host(self, code: str | None = None) -> str:
        return f"{code}.{BASE_DOMAIN}:{self.port}" if code else f"{BASE_DOMAIN}:{self.port}"

    def url(self, code: str | None = None, path: str = "/") -> str:
        return f"http://{self.host(code)}{path}"

    def log_path(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def logs(self) -> dict[str, str]:
        return {name: _tail(self.log_path(name)) for name in ("migrate", "seed", "web", "worker")}

    def manage(self, name: str, *args: str) -> None:
        with self.log_path(name).open("w") as log:
            completed = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=180,
                check=False,
            )
        if completed.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{_tail(self.log_path(name))}")

    def start(self, name: str, command: list[str]) -> None:
        log = self.log_path(name).open("w")
        # A session of its own, so the whole process group (master and children) can be stopped.
        self.processes[name] = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode}:\n{_tail(self.log_path(name))}")

    def wait_ready(self) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/", headers={"Host": self.host()})
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            self.check_alive()
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (fixed http URL)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the web server did not answer in {STARTUP_TIMEOUT}s:\n{self.logs()['web']}")
            time.sleep(0.3)

    def stop(self) -> None:
        # The gunicorn master and the Celery main process stop their own children on SIGTERM;
        # whatever is left of a process group after that (or after a timeout) is killed.
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def platform_server(e2e_database_url: str, pytestconfig: pytest.Config) -> Iterator[Platform]:
    """Migrated and seeded `nastavnik_e2e`, served by gunicorn, with a Celery worker of its own."""
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-e2e-"))
    broker_dir = workdir / "broker"
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nastavnik.settings",
            "DATABASE_URL": e2e_database_url,
            "NASTAVNIK_BROKER_DIR": str(broker_dir),  # ignored when REDIS_URL is set
            "NASTAVNIK_BASE_DOMAIN": BASE_DOMAIN,
            "PYTHONUNBUFFERED": "1",
        }
    )
    for name in ("NASTAVNIK_PUBLIC_HOSTS", "DJANGO_ALLOWED_HOSTS"):
        env.pop(name, None)  # derived from the base domain, as on a developer's machine
    platform = Platform(port=_free_port(), env=env, workdir=workdir)
    try:
        platform.manage("migrate", "migrate_platform", "-v", "0")
        platform.manage("seed", "seed_demo")
        platform.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "nastavnik.wsgi",
                "--bind",
                f"127.0.0.1:{platform.port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
        )
        platform.start("worker", [str(BIN / "celery"), "-A", "nastavnik", "worker", "-l", "info", "--concurrency", "1"])
        platform.wait_ready()
        yield platform
    finally:
        platform.stop()
        pytestconfig.stash[LOGS_KEY] = platform.logs()
        shutil.rmtree(workdir, ignore_errors=True)


# --- browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make e2e` (it installs Debian's chromium) or install it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _screenshot(page, request.node, "FAILED")


def _artifacts_dir() -> Path | None:
    value = os.environ.get("E2E_ARTIFACTS")
    if not value:
        return None
    path = Path(value)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _screenshot(page: Page, node: pytest.Item, step: str) -> None:
    directory = _artifacts_dir()
    if directory is None or page.is_closed():
        return
    counter = getattr(node, "_e2e_shots", 0) + 1
    node._e2e_shots = counter
    test = re.sub(r"[^A-Za-z0-9_.-]+", "-", node.name)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", step).strip("-")
    try:
        page.screenshot(path=str(directory / f"{test}--{counter:02d}-{slug}.png"), full_page=True)
    except Exception as error:  # a screenshot must never hide the real outcome of a test
        print(f"screenshot {slug} failed: {error}", file=sys.stderr)


@pytest.fixture
def shot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], None]:
    """`shot("login-page")` saves a numbered screenshot when E2E_ARTIFACTS is set."""
    return lambda step: _screenshot(page, request.node, step)


@pytest.fixture
def sign_in(page: Page) -> Callable[[str, str], None]:
    """Fill and submit the login form on the page that is open now."""

    def submit(email: str, password: str) -> None:
        expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
        page.get_by_label("Электронная почта").fill(email)
        page.get_by_label("Пароль").fill(password)
        page.get_by_role("button", name="Войти").click()

    return submit


# --- reporting ---------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    logs = config.stash.get(LOGS_KEY, None)
    if not logs or not (terminalreporter.stats.get("failed") or terminalreporter.stats.get("error")):
        return
    for name, text in logs.items():
        terminalreporter.section(f"e2e {name} log (last {LOG_TAIL_LINES} lines)")
        terminalreporter.write_line(text)
