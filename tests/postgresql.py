"""A throwaway PostgreSQL server for the test suite, so that what production keeps in PostgreSQL
(people, Google sign-in, sessions, email settings, staff) is tested on PostgreSQL.

Debian's `postgresql` package provides the server (`make postgresql` installs it; `make test`
runs that first). The cluster lives in a temporary directory, listens only on a Unix socket in
that directory (no port to collide with another run), trusts whoever reaches that socket, and
runs as an unprivileged user: initdb and the server refuse to run as root, which CI is. It is
made without fsync: nothing in it outlives the run.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

INSTALLED = "/usr/lib/postgresql/*/bin/initdb"  # Debian's layout, one directory per major version
SUPERUSER = "pettube"
DATABASE = "pettube"
# Unprivileged users to run the server as when the suite runs as root: the package's own, else nobody.
SERVER_USERS = ("postgres", "nobody")
SERVER_OPTIONS = "-c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def installed_binaries() -> Path | None:
    """The bin directory of the newest PostgreSQL installed, or None."""
    found = sorted(glob.glob(INSTALLED), key=lambda path: int(Path(path).parts[-3]))
    return Path(found[-1]).parent if found else None


@dataclass(frozen=True)
class Cluster:
    directory: Path  # the data directory's parent, and where the socket is
    binaries: Path
    run_as: tuple[str, ...]  # the command prefix that runs a program as the server's user

    def url(self, database: str = DATABASE) -> str:
        """A DATABASE_URL for `database`, as production writes one (host: the socket's directory)."""
        return f"postgres://{SUPERUSER}@{quote(str(self.directory), safe='')}/{database}"

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", str(self.directory), "-U", SUPERUSER, name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, program: str, *arguments: str) -> str:
        command = [*self.run_as, str(self.binaries / program), *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.directory / "server.log"
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"
                               f"{log.read_text()[-3000:] if log.exists() else ''}")
        return result.stdout


def start(binaries: Path) -> Cluster:
    """A new cluster with an empty `pettube` database, started."""
    directory = Path(tempfile.mkdtemp(prefix="pettube-postgresql-"))
    cluster = Cluster(directory=directory, binaries=binaries, run_as=_unprivileged(directory))
    try:
        cluster._run("initdb", "-D", str(directory / "data"), "-U", SUPERUSER, "--auth=trust", "--no-sync",
                     "--encoding=UTF8", "--locale=C.UTF-8")
        cluster._run("pg_ctl", "-D", str(directory / "data"), "-l", str(directory / "server.log"), "-w",
                     "-o", f"-k {directory} {SERVER_OPTIONS}", "start")
        cluster.create_database(DATABASE)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return cluster


def _unprivileged(directory: Path) -> tuple[str, ...]:
    """Nothing when the suite is not root; as root, the directory goes to an unprivileged user
    and programs run as that user (root still reaches the socket)."""
    if os.geteuid() != 0:
        return ()
    for name in SERVER_USERS:
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        os.chown(directory, user.pw_uid, user.pw_gid)
        return ("runuser", "-u", name, "--")
    raise RuntimeError(f"no unprivileged user ({', '.join(SERVER_USERS)}) to run PostgreSQL as")


def server_version(url: str) -> str:
    """What the server says it is (`SELECT version()`), for the run's header."""
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT version()").fetchone()[0]
