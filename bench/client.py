"""The benchmark's HTTP side: plain requests, the staff login, one client's latency, wrk.

Cookies are kept by hand throughout: with DEBUG off they are `Secure` (`__Host-` names),
which a cookie jar would not send over the loopback's plain HTTP, but the server accepts
them.
"""

import gzip
import http.client
import json
import re
import statistics
import subprocess
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

WRK_LUA = Path(__file__).resolve().parent / "wrk.lua"
BENCH_USER = "bench-admin"
BENCH_PASSWORD = "bench-only-password-7Qx!v2"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def with_query(path, name, value):
    """`path` with one more query parameter: `?` or `&` as the path already needs."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{urllib.parse.urlencode({name: value})}"


def get(port, path, conn=None, headers=None):
    """(status, headers, body bytes) over a (kept-alive) connection."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        if own:
            conn.close()


class Session:
    """A browser's cookies, by hand (see the module docstring)."""

    def __init__(self, port):
        self.port = port
        self.jar = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def keep(self, headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    self.jar[key] = morsel.value

    def cookie(self):
        return "; ".join(f"{k}={v}" for k, v in self.jar.items())

    def request(self, method, path, fields=None, accept_encoding=None):
        """(status, headers, body text); `fields` are POSTed as a form. A gzip-encoded body
        (with `accept_encoding`) is decoded."""
        headers = {"Cookie": self.cookie()}
        if accept_encoding:
            headers["Accept-Encoding"] = accept_encoding
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed the kept-alive connection (keepalive = 5 s): once more.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        body = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        text = body.decode()
        self.keep(response.getheaders())
        return response.status, dict(response.getheaders()), text

    def csrf_token(self, path):
        status, _, page = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no form at {path} (status {status})")
        return match.group(1)

    def close(self):
        self.conn.close()


def staff_session(port):
    """A Session logged in as the benchmark superuser through the admin login form."""
    session = Session(port)
    token = session.csrf_token("/admin/login/?next=/admin/")
    status, _, _ = session.request(
        "POST",
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": token,
            "username": BENCH_USER,
            "password": BENCH_PASSWORD,
            "next": "/admin/",
        },
    )
    if status != 302 or not any("session" in k for k in session.jar):
        # Not fatal: the exports then answer with the login page and the table shows it.
        log(f"staff login FAILED: {status} (cookies {sorted(session.jar)})")
    else:
        log(f"logged in as {BENCH_USER}")
    return session


def staff_login(port):
    """The Cookie header value of a logged-in staff session."""
    session = staff_session(port)
    session.close()
    return session.cookie()


# bench/middleware.py empties the cache before a request with this header.
EMPTY_CACHE = {"X-Bench-Empty-Cache": "1"}


def one_client(port, path, count, seconds, unique=None, headers=None):
    """Latencies (ms) of sequential requests by one client with keep-alive. With `unique`
    (a token), every request gets a query string of its own: the page cache never hits.
    `headers` go with every request (EMPTY_CACHE: the cache is emptied before each)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    deadline = time.monotonic() + seconds
    for _ in range(3):  # warm-up: worker caches, template loader, connection
        get(port, path, conn)
    while len(times) < count and time.monotonic() < deadline:
        target = with_query(path, "bench", f"{unique}-{len(times)}") if unique else path
        start = time.perf_counter()
        get(port, target, conn, headers)
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(len(times) * 0.95))],
        "n": len(times),
    }


# What Chromium sends: every browser accepts gzip, so a cached page goes out as it is kept.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def wrk(port, paths, connections, seconds, threads=1, miss=None, accept_encoding="", close=False):
    """wrk over `paths` (rotating), read through bench/wrk.lua. With `miss` (a token unique
    to this run), every request gets `bench=<token>-<thread>-<n>` appended; with
    `accept_encoding`, every request has that Accept-Encoding header; with `close`, each
    request has a connection of its own (`Connection: close`)."""
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_LUA),
        f"http://127.0.0.1:{port}",
        "--",
        *([f"--miss={miss}"] if miss else []),
        *(["--close"] if close else []),
        f"--accept-encoding={accept_encoding}",
        *paths,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    data = json.loads(re.search(r"WRKJSON (.*)", out).group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data
