"""Python function calls per cached hit, through Django's WSGI handler and every
middleware: a count that does not move with the machine's load, for judging a change to
the hit path where timings on a busy machine move by more than the change.

    DEBUG=1 .venv/bin/python bench/hitcalls.py [PATH ...]   # default: home, a kommun page, the API

Run it on a database with the demo loaded (`make run` loads it); each path is requested
once to fill the cache, then 300 times under cProfile.
"""

import cProfile
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test.client import RequestFactory  # noqa: E402

HITS = 300


def main(paths):
    handler = WSGIHandler()
    factory = RequestFactory()

    def hit(path):
        statuses = []
        response = handler(
            factory.get(path, HTTP_HOST="127.0.0.1").environ, lambda s, h: statuses.append(s)
        )
        b"".join(response)
        response.close()
        return statuses[0]

    for path in paths:
        assert hit(path).startswith("200"), path
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(HITS):
            hit(path)
        profile.disable()
        calls = pstats.Stats(profile).total_calls
        print(f"{path:32} {calls / HITS:8.0f} calls per hit")


if __name__ == "__main__":
    main(sys.argv[1:] or ["/", "/kommun/kungalv/", "/api/v1/aktiviteter/"])
