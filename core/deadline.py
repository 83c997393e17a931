"""A deadline on every request's database calls: the bound on a frozen database.

PostgreSQL's own timeouts (statement_timeout, lock_timeout) are enforced by the server, so
a server that stops answering altogether (a hung host, a storage stall, a stopped process:
SIGSTOP) enforces none of them; its kernel still acknowledges every packet, so TCP
keepalives and tcp_user_timeout do not fire either. A request on an open connection would
wait until the proxy or the client gave up (35-70 s measured), and gunicorn's gthread
timeout never fires (it watches the worker's heartbeat, not its request threads).

So the client keeps the time: `watch(seconds)` registers the current thread's connection
with one watchdog thread per process, and times every call on it (queries, commits,
rollbacks, Django's check of a connection). When the deadline has passed and a call has
been waiting for the server for GRACE seconds or more, the watchdog shuts the connection's
socket down. The waiting call fails at once with an OperationalError, which becomes the
Swedish 503 with Retry-After (core.middleware); every later call of the request is refused
at once (no new connection to a server found frozen), and Django discards the broken
connection at the end of the request. A request that is merely slow (rendering a long PDF
past its deadline, its queries quick) goes on: only a call the server leaves unanswered
is cut. A new connection to a stopped server is bounded by libpq's connect_timeout
(settings.DATABASES). SQLite needs none of this (its own busy timeout bounds a lock).

`RequestDeadlineMiddleware` watches every request for REQUEST_DEADLINE_SECONDS
(`bounded_wsgi` from its very start; /healthz for less, sitepages.views.healthz);
docs/production.md states the bound measured by tests/test_frozen_database.py.
"""

import contextlib
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

# How often the watchdog looks again at a request that is past its deadline.
TICK = 0.1
# How long a call must have been waiting before it is cut, once the deadline has passed:
# a call that began well before the deadline is cut at the deadline, one that began after it
# (a slow request's next query) only when the server leaves it unanswered this long.
GRACE = 1.0
# The connection's methods that wait for the server besides queries (which pass through
# the execute wrapper): Django's check of a connection, and ending a transaction.
_TIMED_METHODS = ("is_usable", "_commit", "_rollback")


class _Watch:
    __slots__ = ("connection", "deadline", "interrupted", "since")

    def __init__(self, connection, deadline):
        self.connection = connection
        self.deadline = deadline
        self.since = None  # when the call now waiting for the server began
        self.interrupted = False

    def refuse_if_interrupted(self):
        """After a cut the server is known not to answer: new work fails at once."""
        if self.interrupted:
            raise OperationalError("the database did not answer within the request's deadline")

    def timed(self, call, *args, **kwargs):
        if self.since is not None:  # within a timed call already
            return call(*args, **kwargs)
        self.since = time.monotonic()
        try:
            return call(*args, **kwargs)
        finally:
            self.since = None

    def __call__(self, execute, sql, params, many, context):
        # Django's execute wrapper: every query of the watched connection passes here.
        self.refuse_if_interrupted()
        return self.timed(execute, sql, params, many, context)

    def overdue(self, now):
        """Whether a call has waited past the deadline (and for GRACE at least)."""
        since = self.since
        return since is not None and now >= self.deadline and now - since >= GRACE


def interrupt(connection):
    """Shuts the socket of `connection` (a Django DatabaseWrapper) down, from any thread: a
    call waiting on it fails at once. Returns whether there was a socket."""
    raw = connection.connection
    if raw is None:
        return False
    try:
        fd = raw.pgconn.socket
    except Exception:  # noqa: BLE001 - already closed
        return False
    # A duplicate of the descriptor: shutdown acts on the socket itself (which the waiting
    # call sees), close on the duplicate only (libpq still owns its descriptor).
    sock = socket.socket(fileno=os.dup(fd))
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()
    return True


class _Watchdog:
    def __init__(self):
        self.lock = threading.Condition()
        self.watches = set()
        self.wake_at = None
        self.thread = None
        self.pid = None

    def _ensure_thread(self):
        # One per process, started in the process that serves (gunicorn forks workers).
        if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._run, name="database-deadline", daemon=True)
            self.thread.start()

    def add(self, watch):
        with self.lock:
            self._ensure_thread()
            self.watches.add(watch)
            if self.wake_at is None or watch.deadline < self.wake_at:
                self.lock.notify()

    def remove(self, watch):
        with self.lock:
            self.watches.discard(watch)

    def _run(self):
        with self.lock:
            while True:
                now = time.monotonic()
                upcoming = []
                for watch in list(self.watches):
                    if watch.deadline > now:
                        upcoming.append(watch.deadline)
                    elif watch.overdue(now):
                        watch.interrupted = True
                        interrupt(watch.connection)
                        self.watches.discard(watch)
                    else:
                        upcoming.append(now + TICK)
                self.wake_at = min(upcoming, default=None)
                self.lock.wait(None if self.wake_at is None else self.wake_at - now)


_watchdog = _Watchdog()


@contextlib.contextmanager
def watch(seconds, using=DEFAULT_DB_ALIAS):
    """Bounds the database calls of the block (on this thread's connection `using`) to
    `seconds` from now; a no-op for databases other than PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not seconds:
        yield
        return
    deadline = time.monotonic() + seconds
    outer = connection.__dict__.get("_deadline_watch")
    if outer is not None and outer.deadline <= deadline:
        yield  # the outer watch ends first (the WSGI wrapper's, around the middleware's)
        return
    entry = _Watch(connection, deadline)
    # This thread's wrapper object only: its own methods, timed and, once cut, refused.
    own = {name: connection.__dict__.get(name) for name in (*_TIMED_METHODS, "connect")}

    def bound(name):
        return own[name] or getattr(type(connection), name).__get__(connection)

    def connect():
        # Django connects on the first query, before the execute wrappers run.
        entry.refuse_if_interrupted()
        return bound("connect")()

    def is_usable():
        return False if entry.interrupted else entry.timed(bound("is_usable"))

    connection.connect = connect
    connection.is_usable = is_usable
    connection._commit = lambda: entry.timed(bound("_commit"))
    connection._rollback = lambda: entry.timed(bound("_rollback"))
    connection._deadline_watch = entry
    _watchdog.add(entry)
    try:
        with connection.execute_wrapper(entry):
            yield
    finally:
        _watchdog.remove(entry)
        for name, value in {**own, "_deadline_watch": outer}.items():
            if value is None:
                connection.__dict__.pop(name, None)
            else:
                setattr(connection, name, value)


class RequestDeadlineMiddleware:
    """Every request's database calls end by REQUEST_DEADLINE_SECONDS after it arrived
    (`watch`); one still waiting then fails, and the request is answered with the 503 by
    DatabaseUnavailableMiddleware (above this one) or handler500. A streamed response's
    body is sent after the deadline is lifted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with watch(settings.REQUEST_DEADLINE_SECONDS):
            return self.get_response(request)


def bounded_wsgi(wsgi_application):
    """`wsgi_application` with the request's deadline around all of it: the middleware's
    (RequestDeadlineMiddleware) starts later, after Django's `request_started` check of the
    connection a failed request left behind, which is a query on a frozen server too."""

    def application(environ, start_response):
        with watch(settings.REQUEST_DEADLINE_SECONDS):
            return wsgi_application(environ, start_response)

    return application
