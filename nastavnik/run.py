"""`make run`: migrate, seed the demo region if the database is empty, start web + worker + beat.

Uses DATABASE_URL / REDIS_URL when set; otherwise a private PostgreSQL under .data/ and the
filesystem broker. Stops every process it started on Ctrl+C.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def _ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    if not env.get("DATABASE_URL"):
        from nastavnik import localdb

        env["DATABASE_URL"] = localdb.ensure_database()
    port = env.get("PORT", "8000")
    env.setdefault("PLATFORM_URL_PORT", port)  # links in e-mails point at this server
    base = env.get("NASTAVNIK_BASE_DOMAIN", "localhost")

    def manage(*args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)

    print("Применяю миграции…", flush=True)
    manage("migrate_platform", "-v", "0")
    manage("seed_demo", "--if-empty")

    binds = ["--bind", f"127.0.0.1:{port}"]
    if _ipv6_available():
        binds += ["--bind", f"[::1]:{port}"]
    commands = {
        "web": [
            str(BIN / "gunicorn"),
            "nastavnik.wsgi",
            *binds,
            "--workers",
            "2",
            "--threads",
            "4",
            "--access-logfile",
            "-",
            # Path without the query string: searches carry people's names, which are never logged.
            "--access-logformat",
            '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
            "--graceful-timeout",
            "5",
        ],
        "worker": [str(BIN / "celery"), "-A", "nastavnik", "worker", "-l", "info", "--concurrency", "2"],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "nastavnik",
            "beat",
            "-l",
            "info",
            "-s",
            str(BASE_DIR / ".data" / "celerybeat-schedule"),
        ],
    }
    processes = {name: subprocess.Popen(cmd, cwd=BASE_DIR, env=env) for name, cmd in commands.items()}

    def shutdown(*_):
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *a: (shutdown(), sys.exit(0)))
    time.sleep(2)
    subprocess.run([PYTHON, "manage.py", "demo_addresses", "--port", port], cwd=BASE_DIR, env=env, check=False)
    print(f"\nПлатформа запущена: http://{base}:{port}/  (остановить — Ctrl+C)\n", flush=True)
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(
                        f"Процесс {name} завершился с кодом {process.returncode}; останавливаю остальные.", flush=True
                    )
                    shutdown()
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
