"""The benchmark: national-scale data in PostgreSQL, gunicorn as in production, measured.

    python bench/run.py                       # 290 kommuner × 10 years × 1,000,000 activities
    python bench/run.py --years 2 --activities 100000 --duration 5 --soak 20   # quick run
    python bench/run.py --skip-load           # measure again on the database already loaded

Steps: (re)creates the database `bench_medborgarlofte` on 127.0.0.1:5432 (user postgres,
trust auth), migrates, loads reference and demo data, measures the demo-only baseline of
the seed kommun pages, runs generate_scale_data, collects static files, starts gunicorn
with gunicorn.conf.py on a loopback port with production settings (DEBUG off) through
DJANGO_SETTINGS_MODULE=bench.settings (which adds the X-Query-Count header and the
/bench/floor/ pages), and measures each public page type and the exports. The table goes
into docs/performance.md between the `bench:start`/`bench:end` markers; the rest of that
file is written by hand.

Needs `wrk` (Debian package `wrk`; installed with apt-get when run as root) and
PostgreSQL's client tools (psql, pg_isready).
"""

import argparse
import datetime
import gzip
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
OUT = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
WRK_LUA = ROOT / "bench" / "wrk.lua"
DB_NAME = "bench_medborgarlofte"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"

# Page types and where they live. {g.*} (the busiest generated kommun, its current löfte
# and busiest commitment) and {kungalv.*} come from bench/targets.py; --path NAME=/path/
# overrides one (a page that answers 404 is reported as missing).
PAGES = [
    ("floor", "/bench/floor/"),
    ("floor (layout)", "/bench/floor-layout/"),
    ("healthz", "/healthz"),
    ("home", "/"),
    ("kommun (Kungälv, demo)", "/kommun/kungalv/"),
    ("kommun (generated, 10 y)", "/kommun/{g.kommun}/"),
    ("löfte (generated)", "/kommun/{g.kommun}/lofte/{g.pledge}/"),
    ("åtagande (generated)", "/kommun/{g.kommun}/lofte/{g.pledge}/atagande/{g.commitment}/"),
    ("lokalpolisområde", "/lokalpolisomrade/{g.police_area}/"),
    ("API list (aktiviteter)", "/api/v1/aktiviteter/"),
    ("feed (national)", "/flode/"),
    ("feed (kommun)", "/kommun/{g.kommun}/flode/"),
    # generate_scale_data writes no walks or synpunkter (no write_dialogues yet), so the
    # dialogues page is measured where the demo data has them.
    ("dialoger (Kungälv, demo)", "/kommun/kungalv/dialoger/"),
]
# (name, path, needs a staff login)
EXPORTS = [
    ("CSV open data, all activities", "/oppna-data/aktiviteter.csv", False),
    (
        "CSV staff report, biggest generated löfte",
        "/rapporter/lofte/{g.big_pledge_id}/?format=csv",
        True,
    ),
    (
        "XLSX staff report, biggest generated löfte",
        "/rapporter/lofte/{g.big_pledge_id}/?format=xlsx",
        True,
    ),
]
BENCH_USER = "bench-admin"
BENCH_PASSWORD = "bench-only-password-7Qx!v2"
# The done-when check of the issue: these keep their query count and median time.
BASELINE_PAGES = [
    ("kommun (Kungälv)", "/kommun/kungalv/"),
    ("kommun (Lysekil)", "/kommun/lysekil/"),
    ("löfte (Kungälv)", "/kommun/kungalv/lofte/{kungalv.pledge}/"),
    ("åtagande (Kungälv)", "/kommun/kungalv/lofte/{kungalv.pledge}/atagande/{kungalv.commitment}/"),
]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, env, **kwargs):
    log(" ".join(str(c) for c in cmd))
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def base_env(port):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        DATABASE_URL=DB_URL,
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        # The project's settings plus X-Query-Count and the /bench/ floor pages.
        DJANGO_SETTINGS_MODULE="bench.settings",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        # Two-factor login is on whenever DEBUG is off; the benchmark's superuser has no
        # TOTP device, so the staff exports are measured with it off (benchmark only).
        REQUIRE_2FA="0",
    )
    return env


def ensure_tools():
    if not shutil.which("wrk"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            log("installing wrk (Debian package)")
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
            if not shutil.which("wrk"):
                subprocess.run(["apt-get", "update", "-qq"], check=True)
                subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        else:
            sys.exit("wrk is missing: install it (Debian: sudo apt-get install wrk) and run again.")
    for tool in ("psql", "pg_isready"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: install postgresql-client and run again.")
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode:
        sys.exit("PostgreSQL does not answer on 127.0.0.1:5432.")


def psql(sql):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c", sql],
        check=True,
    )


# --- the server ---------------------------------------------------------------------------


class Server:
    def __init__(self, env, port, logfile):
        self.env, self.port, self.logfile = env, port, logfile
        self.proc = None

    def __enter__(self):
        self.log = open(self.logfile, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [GUNICORN, "medborgarlofte.wsgi:application", "-c", "gunicorn.conf.py"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/healthz")[0] == 200:
                    log(f"gunicorn up on 127.0.0.1:{self.port} (pid {self.proc.pid})")
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        sys.exit(f"gunicorn did not start; see {self.logfile}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()

    def worker_pids(self):
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


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


def staff_login(port):
    """Logs the benchmark superuser in through the admin login form (CSRF token and all)
    with http.client; returns the Cookie header value for the session.

    Cookies are kept by hand: with DEBUG off they are `Secure` (`__Host-` names), which a
    cookie jar would not send over the loopback's plain HTTP, but the server accepts them.
    """
    import urllib.parse
    from http.cookies import SimpleCookie

    jar = {}

    def keep(headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    jar[key] = morsel.value

    def cookie():
        return "; ".join(f"{k}={v}" for k, v in jar.items())

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/admin/login/?next=/admin/")
    response = conn.getresponse()
    page = response.read().decode()
    keep(response.getheaders())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": BENCH_USER,
            "password": BENCH_PASSWORD,
            "next": "/admin/",
        }
    )
    conn.request(
        "POST",
        "/admin/login/?next=/admin/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie()},
    )
    response = conn.getresponse()
    response.read()
    keep(response.getheaders())
    conn.close()
    if response.status != 302 or not any("session" in k for k in jar):
        # Not fatal: the exports then answer with the login page and the table shows it.
        log(f"staff login FAILED: {response.status} (cookies {sorted(jar)})")
    log(f"logged in as {BENCH_USER}")
    return cookie()


def one_client(port, path, count, seconds):
    """Latencies (ms) of sequential requests by one client with keep-alive."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    deadline = time.monotonic() + seconds
    for _ in range(3):  # warm-up: worker caches, template loader, connection
        get(port, path, conn)
    while len(times) < count and time.monotonic() < deadline:
        start = time.perf_counter()
        get(port, path, conn)
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(len(times) * 0.95))],
        "n": len(times),
    }


def wrk(port, paths, connections, seconds, threads=1):
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
        *paths,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    data = json.loads(re.search(r"WRKJSON (.*)", out).group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def export_figures(server, path, headers=None):
    """Time to first byte, total time, size and peak worker RSS while streaming an export."""
    pids = server.worker_pids()
    baseline = max((rss_kib(p) for p in pids), default=0)
    peak = [baseline]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max([peak[0], *(rss_kib(p) for p in pids)])
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - start
    size = len(first)
    while chunk := response.read(65536):
        size += len(chunk)
    total = time.perf_counter() - start
    stop.set()
    sampler.join()
    conn.close()
    return {
        "status": response.status,
        "queries": response.getheader("X-Query-Count", "–"),
        "ttfb_s": ttfb,
        "total_s": total,
        "bytes": size,
        "rss_before_mib": baseline / 1024,
        "rss_peak_mib": peak[0] / 1024,
    }


# --- measuring ----------------------------------------------------------------------------


class Targets(dict):
    """Attribute access for str.format: {g.kommun}, {kungalv.pledge}."""

    def __getattr__(self, name):
        value = self.get(name)
        return Targets(value) if isinstance(value, dict) else value


def resolve(path, targets):
    try:
        resolved = path.format(
            **{k: Targets(v) for k, v in targets.items()}, g=Targets(targets.get("generated", {}))
        )
    except (KeyError, AttributeError, IndexError):
        return None
    return None if "None" in resolved else resolved


def read_targets(env):
    out = subprocess.run(
        [PYTHON, "bench/targets.py"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure_baseline(port, env, paths, args):
    """The seed kommun pages with the demo data only (before generate_scale_data)."""
    targets = read_targets(env)
    result = {}
    with Server(env, port, OUT / "gunicorn.log"):
        for name, template in paths:
            path = resolve(template, targets)
            if not path:
                continue
            status, headers, body = get(port, path)
            result[name] = {
                "path": path,
                "status": status,
                "queries": headers.get("X-Query-Count"),
                **one_client(port, path, args.samples, args.latency_seconds),
            }
            log(f"baseline {name}: {result[name]}")
    return result


def measure(port, env, args, baseline):
    args.load_before = os.getloadavg()
    targets = read_targets(env)
    log(f"targets: {targets}")
    rows, exports, extra = [], [], {}
    with Server(env, port, OUT / "gunicorn.log") as server:
        for name, template in PAGES:
            path = resolve(template, targets)
            if path is None:
                rows.append({"name": name, "path": template, "status": "no data"})
                continue
            # Two requests on one kept-alive connection (so one worker): the second shows
            # the steady state when a cache was cold the first time.
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            status, headers, body = get(port, path, conn)
            queries = headers.get("X-Query-Count", "–")
            warm = get(port, path, conn)[1].get("X-Query-Count", "–")
            conn.close()
            row = {
                "name": name,
                "path": path,
                "status": status,
                "queries": queries if warm == queries else f"{queries} cold, {warm} warm",
                "bytes": len(body),
            }
            if status == 200:
                row.update(one_client(port, path, args.samples, args.latency_seconds))
                for c in (8, 16):
                    w = wrk(port, [path], c, args.duration)
                    row[f"rps{c}"] = w["rps"]
                    row[f"p95_{c}"] = w["p95_us"] / 1000
                    row[f"non2xx_{c}"] = w["non2xx"]
            rows.append(row)
            log(f"{name}: {row}")
            if name.startswith("kommun (generated") and status == 200:
                extra["kommun_html"] = len(body)
                extra["kommun_html_gzip"] = len(gzip.compress(body))
                css = re.findall(rb'href="([^"]+\.css)"', body)
                extra["css"] = sum(len(get(port, c.decode())[2]) for c in css)
        staff_cookie = None
        for name, template, staff in EXPORTS:
            path = resolve(template, targets)
            if path is None:
                continue
            headers = {}
            if staff:
                staff_cookie = staff_cookie or staff_login(port)
                headers["Cookie"] = staff_cookie
            figures = export_figures(server, path, headers)
            exports.append({"name": name, "path": path, **figures})
            log(f"{name}: {exports[-1]}")
        soak_paths = [r["path"] for r in rows if r["status"] == 200 and "floor" not in r["name"]]
        log(f"soak: {args.soak} s at 32 connections over {len(soak_paths)} pages")
        extra["soak"] = wrk(port, soak_paths, 32, args.soak, threads=2)
        extra["soak_paths"] = soak_paths
        after = {}
        for name, template in BASELINE_PAGES:
            path = resolve(template, targets)
            if path:
                status, headers, _ = get(port, path)
                after[name] = {
                    "path": path,
                    "status": status,
                    "queries": headers.get("X-Query-Count"),
                    **one_client(port, path, args.samples, args.latency_seconds),
                }
        extra["baseline_after"] = after
    args.load_after = os.getloadavg()
    return rows, exports, extra


# --- the report ---------------------------------------------------------------------------


def machine():
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1024 / 1024
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.1f} GiB memory, Linux {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {pg}"
    )


def fmt(value, spec=".0f", dash="–"):
    return dash if value is None else format(value, spec)


def report(args, rows, exports, extra, baseline, timings):
    floor = next((r for r in rows if r["name"] == "floor" and "rps16" in r), None)
    lines = [
        f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Data: `generate_scale_data --kommuner {args.kommuner} --years {args.years} "
        f"--activities {args.activities}` on top of the reference and demo data"
        + (" (loaded by an earlier run; --skip-load)." if args.skip_load else "."),
    ]
    lines.append(
        "Load average (1, 5, 15 min) of the shared machine: "
        + " / ".join(f"{x:.2f}" for x in args.load_before)
        + " when measuring began, "
        + " / ".join(f"{x:.2f}" for x in args.load_after)
        + " when it ended (2 cores; other sessions' test suites run beside the benchmark)."
    )
    if timings:
        lines.append("Load times: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ".")
    lines += [
        "",
        f"Server: gunicorn with `gunicorn.conf.py` (workers {args.workers_label}), DEBUG off, "
        f"PostgreSQL on the same machine; wrk on the same 2 cores (it takes CPU from the "
        f"server, so throughput is a lower bound). One client: {args.samples} sequential "
        f"requests with keep-alive (or {args.latency_seconds} s). wrk runs: {args.duration} s "
        "each, one thread.",
        "",
        "| page | path | status | queries | KB | median ms (1 client) | p95 ms (1 client) "
        "| req/s @8 | req/s @16 | p95 ms @16 | × floor @16 | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = r["rps16"] / floor["rps16"] if floor and "rps16" in r else None
        verdict = "–"
        if "rps16" in r and "floor" not in r["name"] and r["name"] != "healthz":
            ok_ratio = ratio is not None and ratio >= 0.5
            ok_p95 = r["p95_16"] < 100
            verdict = (
                "met"
                if ok_ratio and ok_p95
                else "NOT met: "
                + ", ".join(
                    x
                    for x, ok in (("< 50 % of floor", ok_ratio), ("p95 ≥ 100 ms", ok_p95))
                    if not ok
                )
            )
        elif r["status"] != 200:
            verdict = "page missing on this branch" if r["status"] == 404 else "error"
        lines.append(
            f"| {r['name']} | `{r['path']}` | {r['status']} | {r.get('queries', '–')} | "
            f"{fmt(r.get('bytes', 0) / 1024, '.1f')} | {fmt(r.get('median_ms'), '.1f')} | "
            f"{fmt(r.get('p95_ms'), '.1f')} | {fmt(r.get('rps8'))} | {fmt(r.get('rps16'))} | "
            f"{fmt(r.get('p95_16'), '.1f')} | {fmt(ratio, '.2f')} | {verdict} |"
        )
    lines += [
        "",
        "Exports (time to first byte, peak RSS of the gunicorn workers while streaming):",
        "",
    ]
    lines += [
        "| export | path | status | queries before first byte | TTFB s | total s | MB "
        "| worker RSS before MiB | peak MiB | targets |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in exports:
        verdict = "–"
        if e["status"] == 200 and e["path"].startswith("/oppna-data/"):
            ok = e["ttfb_s"] < 1 and e["rss_peak_mib"] < 200
            verdict = "met" if ok else "NOT met"
        elif e["status"] == 200:
            # No target of the issue; say whether it streams (first byte well before the end).
            verdict = "streams" if e["ttfb_s"] < 0.5 * e["total_s"] else "built before sending"
        elif e["status"] == 404:
            verdict = "export missing on this branch"
        lines.append(
            f"| {e['name']} | `{e['path']}` | {e['status']} | {e['queries']} | "
            f"{e['ttfb_s']:.3f} | {e['total_s']:.1f} | {e['bytes'] / 1e6:.1f} | "
            f"{e['rss_before_mib']:.0f} | {e['rss_peak_mib']:.0f} | {verdict} |"
        )
    lines.append("")
    if "kommun_html" in extra:
        html_kb, css_kb = extra["kommun_html"] / 1024, extra["css"] / 1024
        lines.append(
            f"Kommun page (generated kommun): {html_kb:.1f} KB HTML "
            f"({extra['kommun_html_gzip'] / 1024:.1f} KB gzipped) + {css_kb:.1f} KB CSS = "
            f"{html_kb + css_kb:.1f} KB; target < 60 KB HTML and < 100 KB with CSS: "
            + ("met." if html_kb < 60 and html_kb + css_kb < 100 else "NOT met.")
        )
    else:
        lines.append("Kommun page size: not measured (the page did not answer 200).")
    soak = extra["soak"]
    errors = soak["non2xx"] + soak["connect"] + soak["read"] + soak["write"] + soak["timeout"]
    lines += [
        "",
        f"Soak: {args.soak} s at 32 connections (wrk, 2 threads) rotating over "
        f"{len(extra['soak_paths'])} pages: {soak['requests']} requests, "
        f"{soak['rps']:.0f} req/s, p95 {soak['p95_us'] / 1000:.1f} ms, "
        f"p99 {soak['p99_us'] / 1000:.1f} ms, non-2xx (status ≥ 400) {soak['non2xx']}, "
        f"socket errors connect {soak['connect']} / read {soak['read']} / write {soak['write']}"
        f" / timeout {soak['timeout']}: target zero non-2xx "
        + ("met." if errors == 0 else "NOT met."),
    ]
    if baseline:
        lines += [
            "",
            "Seed kommun pages, demo data only vs. with the generated data "
            "(target: same queries, median within 1.5×):",
            "",
            "| page | status | queries demo → scale | median ms demo → scale | ratio | target |",
            "|---|---|---|---|---|---|",
        ]
        for name, before in baseline.items():
            after = extra["baseline_after"].get(name)
            if not after:
                continue
            ratio = after["median_ms"] / before["median_ms"]
            ok = before["queries"] == after["queries"] and ratio <= 1.5
            if before["status"] != 200 or after["status"] != 200:
                ok = None
            lines.append(
                f"| {name} | {before['status']} → {after['status']} | {before['queries']} → "
                f"{after['queries']} | {before['median_ms']:.1f} → {after['median_ms']:.1f} | "
                f"{ratio:.2f} | "
                + ("n/a: page missing" if ok is None else "met" if ok else "NOT met")
                + " |"
            )
    return "\n".join(lines)


def done_when_report(args, before, after, timings):
    """The issue's done-when: the seed kommun pages with the demo data only and with the
    generated data added keep their query counts and their median within 1.5×."""
    lines = [
        f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Data: reference + demo data, then `generate_scale_data --kommuner {args.kommuner} "
        f"--years {args.years} --activities {args.activities}` added to it "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())}). One client, "
        f"{args.samples} sequential requests per page (or {args.latency_seconds} s), "
        "same gunicorn configuration as above.",
        "Load average (1, 5, 15 min): "
        + " / ".join(f"{x:.2f}" for x in args.load_before)
        + " while measuring the demo data, "
        + " / ".join(f"{x:.2f}" for x in args.load_after)
        + " while measuring with the generated data.",
        "",
        "| page | queries demo → with scale data | median ms demo → with scale data | ratio "
        "| p95 ms demo → with scale data | done when |",
        "|---|---|---|---|---|---|",
    ]
    for name, b in before.items():
        a = after.get(name)
        if not a:
            continue
        ratio = a["median_ms"] / b["median_ms"]
        ok = b["status"] == a["status"] == 200 and b["queries"] == a["queries"] and ratio <= 1.5
        lines.append(
            f"| {name} `{b['path']}` | {b['queries']} → {a['queries']} | "
            f"{b['median_ms']:.1f} → {a['median_ms']:.1f} | {ratio:.2f} | "
            f"{b['p95_ms']:.1f} → {a['p95_ms']:.1f} | {'met' if ok else 'NOT met'} |"
        )
    return "\n".join(lines)


def write_doc(text, marker="bench"):
    DOC.parent.mkdir(exist_ok=True)
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    doc = DOC.read_text() if DOC.exists() else f"# Performance\n\n{start}\n{end}\n"
    if start not in doc:
        doc += f"\n{start}\n{end}\n"
    before, rest = doc.split(start, 1)
    after = rest.split(end, 1)[1]
    DOC.write_text(f"{before}{start}\n{text}\n{end}{after}")
    log(f"wrote {DOC}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kommuner", type=int, default=290)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument(
        "--skip-load", action="store_true", help="Reuse the loaded database; measure only."
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--soak", type=int, default=60, help="Seconds of the 32-connection run.")
    parser.add_argument(
        "--samples",
        type=int,
        default=200,
        help="Sequential requests per page for the one-client latency.",
    )
    parser.add_argument(
        "--latency-seconds",
        type=float,
        default=20,
        help="At most this long per page for the one-client latency.",
    )
    parser.add_argument(
        "--path",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="Override a page's path, e.g. 'API list=/api/v1/pledges/'.",
    )
    parser.add_argument("--no-doc", action="store_true", help="Print the table only.")
    parser.add_argument(
        "--done-when",
        action="store_true",
        help="Only the issue's done-when check, in a database of its own: the seed kommun "
        "pages before and after generate_scale_data (default --years 5 --activities 300000).",
    )
    args = parser.parse_args()
    if args.done_when:
        global DB_NAME, DB_URL
        DB_NAME = f"{DB_NAME}_donewhen"
        DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
        if "--years" not in sys.argv:
            args.years = 5
        if "--activities" not in sys.argv:
            args.activities = 300_000
    overrides = dict(p.split("=", 1) for p in args.path)
    PAGES[:] = [(n, overrides.get(n, p)) for n, p in PAGES]
    EXPORTS[:] = [(n, overrides.get(n, p), staff) for n, p, staff in EXPORTS]
    args.workers_label = (
        os.environ.get("GUNICORN_WORKERS", f"{os.cpu_count() * 2}")
        + " × "
        + (os.environ.get("GUNICORN_THREADS", "2") + " threads")
    )

    ensure_tools()
    OUT.mkdir(exist_ok=True)
    env = base_env(args.port)
    timings, baseline = {}, {}
    baseline_file = OUT / "baseline.json"
    if not args.skip_load:
        psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {DB_NAME}")
        manage = [PYTHON, "manage.py"]
        run([*manage, "migrate", "--noinput", "-v0"], env)
        run([*manage, "load_reference_data"], env)
        run([*manage, "load_demo"], {**env, "DEBUG": "1"})
        run(
            [*manage, "createsuperuser", "--noinput", "--username", BENCH_USER],
            {
                **env,
                "DJANGO_SUPERUSER_PASSWORD": BENCH_PASSWORD,
                "DJANGO_SUPERUSER_EMAIL": "bench@example.invalid",
            },
        )
        if (ROOT / "locale").exists():
            run([*manage, "compilemessages", "--ignore=.venv", "-v0"], env)
        run([*manage, "collectstatic", "--noinput", "-v0"], env)
        args.load_before = os.getloadavg()
        baseline = measure_baseline(args.port, env, BASELINE_PAGES, args)
        if not args.done_when:
            baseline_file.write_text(json.dumps(baseline))
        start = time.monotonic()
        run(
            [
                *manage,
                "generate_scale_data",
                "--kommuner",
                str(args.kommuner),
                "--years",
                str(args.years),
                "--activities",
                str(args.activities),
                "-v2",
            ],
            env,
        )
        timings["generate_scale_data"] = time.monotonic() - start
        start = time.monotonic()
        psql_db = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB_NAME, "-qc"]
        subprocess.run([*psql_db, "VACUUM ANALYZE"], check=True)
        timings["VACUUM ANALYZE"] = time.monotonic() - start
    elif baseline_file.exists():
        baseline = json.loads(baseline_file.read_text())
    if args.done_when:
        args.load_after = os.getloadavg()
        after = measure_baseline(args.port, env, BASELINE_PAGES, args)
        text = done_when_report(args, baseline, after, timings)
        (OUT / "done-when.md").write_text(text + "\n")
        print(text)
        if not args.no_doc:
            write_doc(text, marker="donewhen")
        return
    rows, exports, extra = measure(args.port, env, args, baseline)
    text = report(args, rows, exports, extra, baseline, timings)
    (OUT / "last-run.md").write_text(text + "\n")
    print(text)
    if not args.no_doc:
        write_doc(text)


if __name__ == "__main__":
    main()
