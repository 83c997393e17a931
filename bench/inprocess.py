"""In-process timings on the benchmark database, without gunicorn or wrk: what a page costs
the Python process that serves it, so that a change to one page can be judged on a busy
machine where the req/s of `bench/run.py` move by ±20 % between runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_medborgarlofte SECRET_KEY=x \
        ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 .venv/bin/python bench/inprocess.py [PATH ...]

For each address (default: the floor, home, a generated kommun page and the API list):
- *hit*: ms per request of the cached page, through Django's WSGI handler and every
  middleware (the floor for comparison), sent uncompressed and gzip-encoded (a browser);
- *after a write*: ms to make the page again after a write moved the generated kommun's
  and the nation's versions (what each worker pays after an activity is logged);
then the first total of the API's activities (nothing kept) counted per commitment
(`reports.selectors.public_activity_counts`) and by grouping the joined rows.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.client import RequestFactory  # noqa: E402

from bench.client import BROWSER_ACCEPT_ENCODING  # noqa: E402
from pagecache.versions import NATION, bump, municipality_scope  # noqa: E402
from pledges.models import Pledge  # noqa: E402
from reports import selectors  # noqa: E402
from reports.resources import Filters  # noqa: E402

HITS = 500
WRITES = 20
application = WSGIHandler()
generated = (
    Pledge.objects.filter(slug__startswith="skala-")
    .annotate(n=Count("commitments__activities"))
    .order_by("-n")
    .first()
)
kommun = generated.municipality.slug if generated else "kungalv"
sent = {}  # the size of the body `call` got, by Accept-Encoding


def call(path, accept_encoding=""):
    """One anonymous GET through the whole stack, as gunicorn would make it; its ms (the
    size of the body it sent in `sent`)."""
    environ = (
        RequestFactory()
        .get(path, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING=accept_encoding)
        .environ
    )
    answered = []
    started = time.perf_counter()
    body = application(environ, lambda status, headers: answered.append(status))
    sent[accept_encoding] = len(b"".join(body))
    body.close()
    elapsed = (time.perf_counter() - started) * 1000
    if not answered[0].startswith("200"):
        sys.exit(f"{path} answered {answered[0]} (see the environment in this file's help)")
    return elapsed


def write():
    with transaction.atomic():
        bump([municipality_scope(kommun), NATION])


def main(paths):
    print(f"generated kommun: {kommun}")
    for path in paths:
        call(path)
        call(path)
        hit = statistics.median(call(path) for _ in range(HITS))
        call(path, BROWSER_ACCEPT_ENCODING)
        hit_gzip = statistics.median(call(path, BROWSER_ACCEPT_ENCODING) for _ in range(HITS))
        remakes = []
        for _ in range(WRITES):
            write()
            remakes.append(call(path))
        print(
            f"{path}: {sent[''] / 1024:.1f} KB ({sent[BROWSER_ACCEPT_ENCODING] / 1024:.1f} KB "
            f"gzip-encoded), hit {hit:.2f} ms (gzip-encoded {hit_gzip:.2f} ms), after a write "
            f"median {statistics.median(remakes):.1f} ms "
            f"(min {min(remakes):.1f}, max {max(remakes):.1f})"
        )
    filters = Filters()
    for name, count in (
        ("per commitment", lambda: selectors.public_activity_counts(filters)),
        (
            "grouped rows",
            lambda: dict(
                selectors.public_activity_rows(filters)
                .order_by()
                .values_list("commitment__pledge__municipality__slug")
                .annotate(n=Count("pk"))
            ),
        ),
    ):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            total = sum(count().values())
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"first API total, {name}: {total:,} activities, "
            f"median {statistics.median(times):.0f} ms"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["/bench/floor/", "/", f"/kommun/{kommun}/", "/api/v1/aktiviteter/"])
