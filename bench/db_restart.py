#!/usr/bin/env python
"""What residents see while PostgreSQL restarts: a Swedish 503, then the site by itself.

Starts a production gunicorn (DEBUG off, 2 workers) on a free loopback port against a
PostgreSQL database of its own, polls it every 0.2 s, restarts PostgreSQL with
`pg_ctlcluster ... restart` a few seconds in, keeps polling, and prints the status codes
over time. Loopback only; gunicorn is always stopped. Needs to run as root or postgres
(pg_ctlcluster), with PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres).

    .venv/bin/python bench/db_restart.py [--database mlf_bench_restart] [--after 8]
"""

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
POLL_INTERVAL = 0.2
REQUEST_TIMEOUT = 15


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("Retry-After"), body
    finally:
        connection.close()


def ensure_database(name):
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
    ) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="mlf_bench_restart")
    parser.add_argument("--before", type=float, default=3.0, help="seconds before the restart")
    parser.add_argument("--after", type=float, default=8.0, help="seconds after it")
    parser.add_argument("--path", default="/", help="page to poll (must query the database)")
    args = parser.parse_args()

    cluster = sorted(os.listdir("/etc/postgresql"))[-1]
    ensure_database(args.database)
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="mlf-db-restart-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SECURE_"))}
    env.update(
        SECRET_KEY="bench-db-restart-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        STATIC_ROOT=str(tmp / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        LOG_LEVEL="ERROR",
    )
    for command in (
        ["migrate", "--noinput"],
        ["load_reference_data"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=BASE_DIR, env=env, check=True, timeout=300,
        )  # fmt: skip

    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed in finally
    gunicorn = subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/gunicorn"), "medborgarlofte.wsgi:application",
         "-c", "gunicorn.conf.py"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    samples = []
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or gunicorn.poll() is not None:
                raise SystemExit("gunicorn did not start; see " + str(tmp / "gunicorn.log"))
            time.sleep(0.2)

        start = time.monotonic()

        def poll():
            while not stop.is_set():
                sent = time.monotonic()
                try:
                    status, retry_after, body = get(port, args.path)
                    note = ""
                    if status == 503:
                        swedish = "tillfälligt otillgänglig".encode() in body
                        note = f"Retry-After={retry_after} swedish={'yes' if swedish else 'NO'}"
                    elif status >= 500:
                        note = "traceback!" if b"Traceback" in body else ""
                except OSError as error:
                    status, note = "ERR", type(error).__name__
                took = time.monotonic() - sent
                samples.append((sent - start, status, took, note))
                stop.wait(max(0.0, POLL_INTERVAL - took))

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        time.sleep(args.before)
        restart_at = time.monotonic() - start
        restart = subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        restarted_at = time.monotonic() - start
        time.sleep(args.after)
        stop.set()
        poller.join(timeout=REQUEST_TIMEOUT + 5)
    finally:
        try:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(gunicorn.pid, signal.SIGKILL)
        log.close()

    print(f"PostgreSQL {cluster}/main restart: {restart_at:.2f} s → {restarted_at:.2f} s "
          f"(exit {restart.returncode}) {restart.stderr.strip()}")  # fmt: skip
    print(f"{'t (s)':>7}  {'status':>6}  {'took (s)':>8}  note")
    for t, status, took, note in samples:
        print(f"{t:7.2f}  {status!s:>6}  {took:8.3f}  {note}")

    # Runs of equal status codes, then the verdict.
    print("\nSummary (runs of equal status):")
    runs = []
    for t, status, took, _note in samples:
        if runs and runs[-1]["status"] == status:
            runs[-1]["end"], runs[-1]["n"] = t, runs[-1]["n"] + 1
            runs[-1]["max"] = max(runs[-1]["max"], took)
        else:
            runs.append({"status": status, "start": t, "end": t, "n": 1, "max": took})
    for run in runs:
        print(f"  {run['start']:6.2f}–{run['end']:6.2f} s  {run['status']!s:>4} × {run['n']:3d}"
              f"  (slowest {run['max']:.3f} s)")  # fmt: skip
    after = [s for s in samples if s[0] > restarted_at]
    recovered = next((s[0] for s in after if s[1] == 200), None)
    bad = [s for s in samples if s[1] not in (200, 503)]
    slowest = max((s[2] for s in samples), default=0)
    print(f"  other than 200/503: {len(bad)}; slowest answer: {slowest:.3f} s")
    if recovered is not None:
        print(f"  first 200 after the restart finished: {recovered - restarted_at:+.2f} s")
    else:
        print("  NOT recovered")
    return 0 if recovered is not None and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
