"""Settings for the servers bench/run.py measures: the project's settings (production as
configured by the environment) plus an `X-Query-Count` header, an `X-Bench-Empty-Cache`
request header that empties the cache first, and the /bench/ floor pages.

    DJANGO_SETTINGS_MODULE=bench.settings gunicorn -c gunicorn.conf.py medborgarlofte.wsgi
"""

from medborgarlofte.settings import *  # noqa: F403
from medborgarlofte.settings import BASE_DIR, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "bench.urls"

MIDDLEWARE = [
    "bench.middleware.EmptyCacheMiddleware",
    "bench.middleware.QueryCountMiddleware",
    *MIDDLEWARE,
]

TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},
    *TEMPLATES[1:],
]
