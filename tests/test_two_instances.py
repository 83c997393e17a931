"""Two gunicorn instances sharing one database, as two hosts behind a load balancer: a
write through one is visible on the very next request to the other, with each keeping its
own cache of rendered pages, and with both sharing one Redis.

The database is a SQLite file in the SQLite pass and the PostgreSQL test database in the
PostgreSQL pass (DATABASE_URL=postgres://...). Each instance runs gunicorn.conf.py with
one worker, DEBUG off, on a free loopback port.
"""

import gzip
import os
import re
import signal
import subprocess
import time
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection

from tests import redis_server
from tests.factories import ensure_feedback_categories
from tests.test_production_server import (
    BASE_DIR,
    GUNICORN,
    STARTUP_TIMEOUT,
    Server,
    free_port,
    manage,
    production_env,
)

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn not installed")

redis_url = redis_server.redis_url  # the fixture
SUMMARY = "/kommun/kungalv/synpunkter/"
FORM = "/kommun/kungalv/synpunkt/"
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def database_url(tmp_path):
    """The shared database: the PostgreSQL test database, or a new SQLite file."""
    if connection.vendor == "postgresql":
        # A transactional test database starts empty (the seeded categories too).
        call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        ensure_feedback_categories()
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return (
            f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = production_env(tmp_path, 0)
    env["DATABASE_URL"] = url
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference_data")
    return url


def start(tmp_path, name, url, cache_url):
    port = free_port()
    env = production_env(tmp_path, port)
    env.update(DATABASE_URL=url, STATIC_ROOT=str(tmp_path / "static"), CACHE_URL=cache_url)
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed by stop()
    process = subprocess.Popen(
        [str(GUNICORN), "medborgarlofte.wsgi:application", "-c", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"gunicorn {name} exited: {(tmp_path / f'{name}.log').read_text()}")
        try:
            if Server(port).get("/healthz", https=False, timeout=2).status == 200:
                return process, log, Server(port)
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"gunicorn {name} did not answer within the timeout")
        time.sleep(0.2)


def stop(process, log):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    log.close()


@pytest.fixture(params=["own caches", "shared redis"])
def instances(request, tmp_path, transactional_db):
    cache_url = request.getfixturevalue("redis_url") if request.param == "shared redis" else ""
    url = database_url(tmp_path)
    env = production_env(tmp_path, 0)
    env.update(DATABASE_URL=url, STATIC_ROOT=str(tmp_path / "static"))
    manage(env, "collectstatic", "--noinput")
    started = []
    try:
        for name in ("a", "b"):
            started.append(start(tmp_path, name, url, cache_url))
        yield [server for _, _, server in started]
    finally:
        for process, log, _ in started:
            stop(process, log)


def post_feedback(server):
    """A synpunkt through `server`, as a resident's browser sends it."""
    form = server.get(FORM).body.decode()
    token = re.search(r'name="ts" value="([^"]+)"', form)[1]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    category = re.search(r'<select name="category"[^>]*>.*?<option value="(\d+)"', form, re.S)[1]
    time.sleep(3.1)  # the form's minimum time (SYNPUNKT_MIN_SECONDS)
    origin = f"https://127.0.0.1:{server.port}"
    return server.request(
        "POST",
        FORM,
        body=urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "ts": token,
                "webbplats": "",
                "category": category,
                "place": "Gångtunneln vid torget",
                "when_happens": "Kvällar",
                "text": "Lampan i tunneln är trasig, skriven genom instans A.",
            }
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + FORM,
        },
    )


def test_a_write_through_one_instance_shows_on_the_next_request_to_the_other(instances):
    a, b = instances
    before = b.get(SUMMARY)
    assert before.status == 200
    assert "Inga synpunkter har kommit in" in before.body.decode()
    # Cached in b now: the same answer again, and a 304 for its ETag.
    assert b.get(SUMMARY).body == before.body
    assert b.get(SUMMARY, headers={"If-None-Match": before.headers["ETag"]}).status == 304
    # A browser gets the copy b keeps, gzip-encoded.
    kept = b.get(SUMMARY, headers=BROWSER)
    assert kept.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(kept.body) == before.body

    posted = post_feedback(a)
    assert posted.status == 302, posted.body[:300]

    after = b.get(SUMMARY, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status == 200
    text = after.body.decode()
    assert "Inga synpunkter har kommit in" not in text
    assert re.search(r"Totalt</th><td class=\"num\">1<", text)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert gzip.decompress(b.get(SUMMARY, headers=BROWSER).body) == after.body
