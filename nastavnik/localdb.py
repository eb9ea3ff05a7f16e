"""A private PostgreSQL cluster under `.data/pg` for machines without DATABASE_URL.

Uses the `pgserver` package, which ships PostgreSQL binaries, so nothing needs root or a
system service. The server listens on a Unix socket only and keeps running after the
process that started it exits (`make stop` stops it).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NASTAVNIK_DATA_DIR", BASE_DIR / ".data"))
PGDATA = DATA_DIR / "pg"
DEFAULT_DATABASE = "nastavnik"


def _server():
    # platformdirs warns when XDG_RUNTIME_DIR is unset, which is normal on servers.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(DATA_DIR / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        PGDATA.parent.mkdir(parents=True, exist_ok=True)
        return pgserver.get_server(PGDATA, cleanup_mode=None)


def ensure_database(name: str = DEFAULT_DATABASE) -> str:
    """Start the private cluster if needed, create `name` if missing, return its URL."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsupported database name: {name!r}")
    server = _server()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608 - checked above
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
    from urllib.parse import quote

    return f"postgresql://postgres@{quote(str(PGDATA), safe='')}/{name}"


def database_url(name: str = DEFAULT_DATABASE) -> str:
    return ensure_database(name)


def bin_dir() -> Path:
    """Directory of the PostgreSQL client binaries shipped by pgserver (pg_dump, psql)."""
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def stop() -> None:
    if not (PGDATA / "postmaster.pid").exists():
        return
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-m", "fast", "stop"], pgdata=PGDATA, user=user)


if __name__ == "__main__":
    import sys

    if len(sys.argv) > 1 and sys.argv[1] == "stop":
        stop()
    else:
        print(ensure_database(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DATABASE))
