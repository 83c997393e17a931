"""gunicorn settings for production (docker-compose.yml and docs/production.md).

Sync workers with threads: pages are short database-bound requests, so a few processes
with a couple of threads each keep both cores busy without PostgreSQL connection churn
(connections persist per thread, CONN_MAX_AGE).
"""

import multiprocessing
import os

from gunicorn.http import wsgi as _gunicorn_wsgi

# Loopback unless GUNICORN_BIND says otherwise: only the proxy in front (nginx on the same
# host) may reach gunicorn, which trusts it for X-Forwarded-For and X-Forwarded-Proto.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
# A request that takes longer than this is stuck (e.g. a database that stopped answering):
# the worker is replaced rather than holding the client forever. Exports stream, so
# they send bytes well within this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycling guards against slow leaks, but a new worker starts with none of the per-process
# caches (compiled templates, rendered pages and their parts, the per-kommun counts): at the
# benchmark's rates 20,000 requests recycled each worker about once a minute, and its first
# API list or home page after that counted a million activities again (0.4 s).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000000"))
max_requests_jitter = max_requests // 10
# Request line and headers, as long as deploy/nginx.conf lets through (8 kB buffers, its
# `$uri_too_long` for HTTP/2): longer ones get nginx's Swedish 414 or 400 and never reach
# gunicorn, whose own answer is a bare English page. Bodies are limited by nginx and
# core/limits.py.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The Server header names no software or version (an attacker's first lookup); gunicorn
# writes it from this module-level name on every response.
_gunicorn_wsgi.SERVER = "medborgarlofte"
_gunicorn_wsgi.SERVER_SOFTWARE = "medborgarlofte"
