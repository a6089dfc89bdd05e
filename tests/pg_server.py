"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temp folder, a loopback port.

The store's PostgreSQL tests need a real server (issue 13), never a shared one: `PgServer.start`
runs `initdb` in a new temp folder (as the `postgres` user when the tests run as root, since
initdb refuses root), starts it on a free port of 127.0.0.1 with its socket in that folder and
trust authentication for the one superuser `recon`, and `stop` ends it and removes the folder.
`.ci/ensure-postgres` (run by `make test`) installs the binaries when they are missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "recon"


class PgUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not on this machine, or the cluster did not start."""


def bin_dir() -> Path:
    """The newest `/usr/lib/postgresql/<version>/bin` holding initdb and pg_ctl
    (`RECON_PG_BIN` names another)."""
    chosen = os.environ.get("RECON_PG_BIN")
    candidates = [chosen] if chosen else glob.glob("/usr/lib/postgresql/*/bin")
    usable = [Path(c) for c in candidates if (Path(c) / "initdb").exists()]
    if not usable:
        raise PgUnavailable(
            "PostgreSQL's server binaries (initdb, pg_ctl) are missing: run .ci/ensure-postgres"
            " (apt-get install -y postgresql), or set RECON_PG_BIN to their folder"
        )
    return max(usable, key=lambda p: _version_key(p.parent.name))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """One running throwaway cluster."""

    folder: Path
    port: int
    bin: Path
    as_postgres: bool

    @classmethod
    def start(cls, attempts: int = 3) -> PgServer:
        """initdb and start a cluster; a port taken meanwhile is retried with another."""
        binaries = bin_dir()
        as_postgres = os.geteuid() == 0
        folder = Path(tempfile.mkdtemp(prefix="recon-pg-"))
        if as_postgres:
            shutil.chown(folder, "postgres")
        server = cls(folder, 0, binaries, as_postgres)
        try:
            server._run("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", SUPERUSER,
                        "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync")  # fmt: skip
            last = ""
            for _ in range(attempts):
                server.port = _free_port()
                options = (
                    f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1"
                    " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                )
                done = server._run("pg_ctl", "-D", str(folder / "data"), "-o", options, "-w",
                                   "-l", str(folder / "log"), "start", check=False)  # fmt: skip
                if done.returncode == 0:
                    return server
                last = done.stderr + _tail(folder / "log")
            raise PgUnavailable(f"the test PostgreSQL cluster did not start: {last.strip()}")
        except BaseException:
            server.stop()
            raise

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run `sql` as the superuser (psql, stops at the first error); its output."""
        done = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
             "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-d", database,
             "-c", sql],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def require_password(self, role: str) -> None:
        """From now on `role` must give its password over TCP (scram-sha-256); everyone else
        is still trusted."""
        hba = self.folder / "data" / "pg_hba.conf"
        rule = f"host all {role} 127.0.0.1/32 scram-sha-256\n"
        hba.write_text(rule + hba.read_text())
        self._run("pg_ctl", "-D", str(self.folder / "data"), "reload")
        self.psql("SELECT pg_reload_conf()")

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop",
                      check=False)  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise PgUnavailable(f"{program} failed: {(done.stderr or done.stdout).strip()}")
        return done


def _tail(log: Path) -> str:
    try:
        return "\n" + "\n".join(log.read_text().splitlines()[-5:])
    except OSError:
        return ""
