"""A frozen database, measured: a PostgreSQL cluster of the test's own, stopped with SIGSTOP
(a hung host, a storage stall) under a production gunicorn (`gunicorn.conf.py`, DEBUG off).

Its kernel still accepts connections and acknowledges every packet, so neither the server's
timeouts nor TCP's notice anything; the bound is the client's (core/deadline.py, libpq's
connect_timeout, sitepages.views.healthz). docs/production.md quotes what this measures.

PostgreSQL only (the CI's PostgreSQL pass): it needs the server binaries, and the
postgres user when the tests run as root.
"""

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.test_production_server import (
    BASE_DIR,
    GUNICORN,
    STARTUP_TIMEOUT,
    Server,
    free_port,
    production_env,
)

# The bounds docs/production.md and docs/security.md promise.
PAGE_BOUND = 10
HEALTHZ_BOUND = 2


def _postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


BIN = _postgres_bin()

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="PostgreSQL only (the frozen server is a PostgreSQL cluster)",
    ),
    pytest.mark.skipif(BIN is None, reason="PostgreSQL server binaries not installed"),
    pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn not installed"),
]


class Cluster:
    """A throwaway PostgreSQL cluster on a free loopback port, run as the postgres user
    when the tests run as root (initdb refuses root)."""

    def __init__(self):
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="mlo-frozen-db-"))
        self.data = self.base / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = pwd.getpwnam("postgres")
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)

    def run(self, *args):
        command = [str(BIN / args[0]), *args[1:]]
        if self.user is not None:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "log"),
                 "-w", "start")  # fmt: skip

    def pids(self):
        """The postmaster and every process it started (its backends and workers)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(Path(stat).parent.name))
        return [postmaster, *children]

    def signal(self, signum):
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def stop(self):
        try:
            self.signal(signal.SIGCONT)
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (OSError, subprocess.SubprocessError):
            pass
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def frozen_setup(tmp_path):
    cluster = Cluster()
    try:
        cluster.start()
    except (OSError, subprocess.SubprocessError, KeyError) as error:
        cluster.stop()
        pytest.skip(f"could not start a PostgreSQL cluster: {error}")
    port = free_port()
    env = production_env(tmp_path, port)
    # The 503 page links the hashed stylesheet.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR, env=env, check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.port}/postgres",
        # One thread: the warm-up's persistent connection is the next request's.
        GUNICORN_THREADS="1",
        # The production bounds, whatever the caller's environment says.
        REQUEST_DEADLINE_SECONDS="8",
        DB_CONNECT_TIMEOUT="3",
    )
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(GUNICORN), "medborgarlofte.wsgi:application", "-c", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited: {(tmp_path / 'gunicorn.log').read_text()}")
            try:
                if Server(port).get("/healthz", https=False, timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer within the timeout")
            time.sleep(0.2)
        yield Server(port), cluster
    finally:
        cluster.signal(signal.SIGCONT)
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()
        cluster.stop()


def timed(server, path, limit):
    started = time.monotonic()
    try:
        response = server.get(path, timeout=limit + 20)
    except TimeoutError:
        pytest.fail(f"{path} did not answer within {limit + 20} s")
    return response, time.monotonic() - started


def test_a_frozen_database_answers_503_within_10_seconds(frozen_setup):
    server, cluster = frozen_setup
    # The request thread's persistent connection is opened (the cluster has no schema: the
    # answer does not matter, the open connection does).
    server.get("/")
    cluster.signal(signal.SIGSTOP)

    # On the open connection: the first query waits until the request's deadline.
    page, elapsed = timed(server, "/", PAGE_BOUND)
    assert page.status == 503, page.body[:300]
    assert elapsed < PAGE_BOUND, elapsed
    assert page.headers["Retry-After"] == "10"
    assert "Tjänsten är tillfälligt otillgänglig" in page.body.decode()

    # The health check, within its own bound.
    health, health_elapsed = timed(server, "/healthz", HEALTHZ_BOUND)
    assert health.status == 503
    assert health_elapsed < HEALTHZ_BOUND, health_elapsed

    # A new connection (the broken one was discarded): connect_timeout.
    again, again_elapsed = timed(server, "/om/", PAGE_BOUND)
    assert again.status in (200, 503)
    assert again_elapsed < PAGE_BOUND, again_elapsed
    page, elapsed2 = timed(server, "/", PAGE_BOUND)
    assert page.status == 503
    assert elapsed2 < PAGE_BOUND, elapsed2

    # Thawed, the site recovers by itself.
    cluster.signal(signal.SIGCONT)
    health = server.get("/healthz", timeout=5)
    assert health.status == 200
    print(  # noqa: T201 - the measurement docs/production.md quotes (pytest -s)
        f"frozen database: open connection {elapsed:.1f} s, new connection {elapsed2:.1f} s, "
        f"/healthz {health_elapsed:.1f} s"
    )
