"""Two Rapport instances side by side, each with its own data directory and database, driven
through the ``rapport`` command as their operators would: used by the two-instance tests and
by bench/bench_exchange.py.

The first database is SQLite; in the PostgreSQL pass (``DATABASE_URL`` names a PostgreSQL
server) the second is a new database on that server, dropped afterwards."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
RAPPORT = ROOT / ".venv" / "bin" / "rapport"


class Failed(Exception):
    def __init__(self, args, out):
        super().__init__(f"rapport {' '.join(args)} exited {out.returncode}:\n{out.stdout}\n{out.stderr}")
        self.stdout, self.stderr, self.returncode = out.stdout, out.stderr, out.returncode


class Instance:
    def __init__(self, organisation: str, database_url: str, folder: Path):
        self.organisation, self.folder = organisation, folder
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("RAPPORT_", "DJANGO_"))}
        self.env.update(RAPPORT_DATA_DIR=str(folder), DATABASE_URL=database_url, LANG="C.UTF-8",
                        PYTHONPATH=str(ROOT))

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        out = subprocess.run([str(RAPPORT), *args], env=self.env, capture_output=True, text=True, cwd=ROOT)
        if check and out.returncode:
            raise Failed(args, out)
        return out

    def shell(self, code: str) -> str:
        return self.run("shell", "-c", code).stdout

    def public_key(self) -> Path:
        pem = self.run("peer", "key").stdout
        path = self.folder / f"{self.organisation}.pem"
        path.write_text(pem[: pem.index("-----END PUBLIC KEY-----") + len("-----END PUBLIC KEY-----")] + "\n")
        return path


def _postgres_database(url: str, name: str, create: bool) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


class Pair:
    """The EU's instance (SQLite) and NATO's (SQLite, or PostgreSQL in the PostgreSQL pass),
    initialised, each with the other pinned as its peer."""

    def __init__(self, accreditation=("RESTREINT UE/EU RESTRICTED", "NATO RESTRICTED")):
        self.root = Path(tempfile.mkdtemp(prefix="rapport-pair-"))
        self.pg_name = None
        url = os.environ.get("DATABASE_URL", "")
        (self.root / "eu").mkdir()
        (self.root / "nato").mkdir()
        self.eu = Instance("eu", f"sqlite:///{self.root / 'eu' / 'db.sqlite3'}", self.root / "eu")
        if url.startswith("postgres"):
            self.pg_name = f"rapport_nato_{secrets.token_hex(4)}"
            nato_url = _postgres_database(url, self.pg_name, create=True)
        else:
            nato_url = f"sqlite:///{self.root / 'nato' / 'db.sqlite3'}"
        self.nato = Instance("nato", nato_url, self.root / "nato")
        self._pg_url = url
        self.accreditation = accreditation

    def __enter__(self) -> Pair:
        for instance in (self.eu, self.nato):
            instance.run("init", "--organisation", instance.organisation, "--no-demo-users")
        eu_key, nato_key = self.eu.public_key(), self.nato.public_key()
        # Each side pins the other's key and the accreditation of the link, in the other's terms.
        self.eu.run("peer", "add", "nato", "--key", str(nato_key), "--accredited-up-to", self.accreditation[1])
        self.nato.run("peer", "add", "eu", "--key", str(eu_key), "--accredited-up-to", self.accreditation[0])
        return self

    def __exit__(self, *exc) -> None:
        if self.pg_name:
            _postgres_database(self._pg_url, self.pg_name, create=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def send(self, sender: Instance, receiver: Instance, name: str = "package") -> tuple[Path, str]:
        """Export from ``sender`` to ``receiver``'s organisation and import there: (file, import output)."""
        path = self.root / f"{name}-{sender.organisation}-to-{receiver.organisation}.json"
        sender.run("exchange", "export", "--to", receiver.organisation, "--output", str(path))
        return path, receiver.run("exchange", "import", str(path)).stdout
