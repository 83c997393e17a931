"""The benchmark: national-scale data in PostgreSQL, gunicorn as in production, measured.

    python bench/run.py                       # 290 kommuner × 10 years × 1,000,000 activities
    python bench/run.py --years 2 --activities 100000 --duration 5 --soak 20   # quick run
    python bench/run.py --skip-load           # measure again on the database already loaded
    python bench/run.py --kommuner 20 --years 1 --activities 20000 --duration 3 --soak 5  # smoke

Steps: (re)creates the database `bench_medborgarlofte` on 127.0.0.1:5432 (user postgres,
trust auth), migrates, loads reference and demo data, measures the demo-only baseline of
the seed kommun pages, runs generate_scale_data, collects static files, starts gunicorn
with gunicorn.conf.py on a loopback port with production settings (DEBUG off) through
DJANGO_SETTINGS_MODULE=bench.settings (which adds the X-Query-Count header and the
/bench/floor/ pages), and measures:

- each public page type, quiet: queries, one client's latency and wrk at 16 connections
  (a new connection per request, as nginx makes them in production; --keep-alive for
  kept-open ones), for a cache hit (the same address again) and a miss (`?bench=<n>`, an
  address of its own per request: the page is made again, from the parts of it that are
  cached), and one client's latency with the cache emptied before each request
  (bench/middleware.py);
- the mixed run: every page again at 16 connections while a staff member logs an activity
  every 0.5 s through the staff form (bench/writer.py), with the floor measured in the
  same run; after each write the commitment page is read from this instance and from a
  second gunicorn on the same database, and stale answers are counted. The targets are
  judged on this run;
- the exports, the kommun page's size, a soak at 32 connections, and the seed pages again.

--cache-url redis://127.0.0.1:6379/1 gives both instances a shared Redis page cache;
without it every worker keeps its own in memory (the settings' default). The table goes
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
sys.path.insert(0, str(ROOT))

from bench.client import (  # noqa: E402
    BENCH_PASSWORD,
    BENCH_USER,
    BROWSER_ACCEPT_ENCODING,
    EMPTY_CACHE,
    get,
    log,
    one_client,
    staff_login,
    with_query,
    wrk,
)
from bench.writer import Writer  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
OUT = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
DB_NAME = "bench_medborgarlofte"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"

# Page types and where they live. {g.*} (the busiest generated kommun, its current löfte
# and busiest commitment) and {kungalv.*} come from bench/targets.py; --path NAME=/path/
# overrides one (a page that answers 404 is reported as missing). The mixed run's writer
# logs activities on {g.commitment}, so the generated kommun's pages and the national ones
# miss the cache under it; the Kungälv pages show the demo data's walks and synpunkter.
PAGES = [
    ("floor", "/bench/floor/"),
    ("floor (layout)", "/bench/floor-layout/"),
    ("healthz", "/healthz"),
    ("home", "/"),
    ("kommun (Kungälv, demo)", "/kommun/kungalv/"),
    ("kommun (generated)", "/kommun/{g.kommun}/"),
    ("löfte (generated)", "/kommun/{g.kommun}/lofte/{g.pledge}/"),
    ("åtagande (generated)", "/kommun/{g.kommun}/lofte/{g.pledge}/atagande/{g.commitment}/"),
    ("lokalpolisområde (generated)", "/lokalpolisomrade/{g.police_area}/"),
    ("trygghetsvandringar (generated)", "/kommun/{g.kommun}/trygghetsvandringar/"),
    ("trygghetsvandringar (Kungälv, demo)", "/kommun/kungalv/trygghetsvandringar/"),
    ("dialoger (generated)", "/kommun/{g.kommun}/dialoger/"),
    ("dialoger (Kungälv, demo)", "/kommun/kungalv/dialoger/"),
    ("synpunkter (generated)", "/kommun/{g.kommun}/synpunkter/"),
    ("synpunkter (Kungälv, demo)", "/kommun/kungalv/synpunkter/"),
    ("feed (national)", "/flode/"),
    ("feed (kommun, generated)", "/kommun/{g.kommun}/flode/"),
    ("API list (aktiviteter)", "/api/v1/aktiviteter/"),
    ("API one record (aktiviteter)", "/api/v1/aktiviteter/{g.activity}/"),
]
# The page the writer's stale check reads: the commitment it writes on lists its newest
# activities first, with their place.
CHECK_PAGE = "/kommun/{g.kommun}/lofte/{g.pledge}/atagande/{g.commitment}/"
FLOOR_PATH = "/bench/floor/"
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
# The done-when check of the issue: these keep their query count and median time.
BASELINE_PAGES = [
    ("kommun (Kungälv)", "/kommun/kungalv/"),
    ("kommun (Lysekil)", "/kommun/lysekil/"),
    ("löfte (Kungälv)", "/kommun/kungalv/lofte/{kungalv.pledge}/"),
    ("åtagande (Kungälv)", "/kommun/kungalv/lofte/{kungalv.pledge}/atagande/{kungalv.commitment}/"),
]


def run(cmd, env, **kwargs):
    log(" ".join(str(c) for c in cmd))
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def base_env(port, cache_url=""):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CACHE_URL")}
    if cache_url:
        # Shared by every worker of both instances (the settings' default without it is a
        # memory cache per process).
        env["CACHE_URL"] = cache_url
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
        # The miss runs fill the page cache with addresses never asked for again; they
        # age out of a shared Redis in minutes instead of a day. A hit within a run never
        # waits that long.
        PAGE_CACHE_SECONDS="300",
        # Every page made (not served from the cache) is logged: renders per write.
        BENCH_RENDER_LOG=str(OUT / f"renders-{port}.log"),
    )
    return env


def renders_of(path, since, until):
    """Pages `path` made (bench/middleware.py) by either instance between two times."""
    count = 0
    for log_file in OUT.glob("renders-*.log"):
        for line in log_file.read_text(encoding="utf-8").splitlines():
            at, _, made = line.partition(" ")
            if made == path and since <= float(at) <= until:
                count += 1
    return count


def is_national(row):
    return not row.get("path", "").startswith(
        ("/kommun/", "/lokalpolisomrade/", "/bench/", "/healthz")
    )


def cache_label(cache_url):
    if cache_url:
        return f"shared Redis (`CACHE_URL={cache_url}`)"
    return "per-process memory (LocMemCache; CACHE_URL unset, the settings' default)"


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


def page_figures(port, path, args):
    """A seed kommun page rendered (cache misses): what the data's size could change."""
    token = f"base{int(time.time())}"
    status, _, _, _, miss, _ = page_queries(port, path, token)
    return {
        "path": path,
        "status": status,
        "queries": miss,
        **one_client(port, path, args.samples, args.latency_seconds, unique=token),
    }


def measure_baseline(port, env, paths, args):
    """The seed kommun pages with the demo data only (before generate_scale_data)."""
    targets = read_targets(env)
    result = {}
    with Server(env, port, OUT / "gunicorn.log"):
        for name, template in paths:
            path = resolve(template, targets)
            if not path:
                continue
            result[name] = page_figures(port, path, args)
            log(f"baseline {name}: {result[name]}")
    return result


def page_queries(port, path, token):
    """(status, body, queries of the first request, of a cache hit, of a miss, of a request
    on an emptied cache)."""
    # Requests on one kept-alive connection go to one worker, whose memory cache the
    # first one filled: the second is a hit; then a miss with the worker's caches warm.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    status, headers, body = get(port, path, conn)
    cold = headers.get("X-Query-Count", "–")
    hit = get(port, path, conn)[1].get("X-Query-Count", "–")
    miss = get(port, with_query(path, "bench", f"{token}-q"), conn)[1].get("X-Query-Count", "–")
    empty = get(port, path, conn, EMPTY_CACHE)[1].get("X-Query-Count", "–")
    conn.close()
    return status, body, cold, hit, miss, empty


def measure_page(port, name, path, args, token):
    """One page without writers: queries, size and latency of a cache hit (the same address
    again), of a miss (a query string of its own per request: the page is made, from parts
    cached by version where it has them) and with an emptied cache (everything made)."""
    status, body, cold, hit, miss, empty = page_queries(port, path, token)
    row = {
        "name": name,
        "path": path,
        "status": status,
        "queries_cold": cold,
        "queries_hit": hit,
        "queries_miss": miss,
        "queries_empty": empty,
        "bytes": len(body),
        "body": body,
    }
    if status != 200:
        return row
    for kind, unique in (("hit", None), ("miss", f"{token}-1c")):
        latency = one_client(port, path, args.samples, args.latency_seconds, unique=unique)
        row[f"median_{kind}"], row[f"p95_1c_{kind}"] = latency["median_ms"], latency["p95_ms"]
    latency = one_client(port, path, args.samples, args.latency_seconds, headers=EMPTY_CACHE)
    row["median_empty"], row["p95_1c_empty"] = latency["median_ms"], latency["p95_ms"]
    for kind, unique in (("hit", None), ("miss", f"{token}-w")):
        w = run_wrk(args, port, [path], 16, args.duration, miss=unique)
        row[f"rps_{kind}"], row[f"p95_{kind}"] = w["rps"], w["p95_us"] / 1000
        row[f"non2xx_{kind}"] = w["non2xx"]
    return row


def run_wrk(args, port, paths, connections, seconds, **kwargs):
    """wrk with this run's Accept-Encoding and connections (--keep-alive)."""
    return wrk(
        port,
        paths,
        connections,
        seconds,
        accept_encoding=args.accept_encoding,
        close=not args.keep_alive,
        **kwargs,
    )


def percentile(runs, q):
    """The `q`th percentile of the latency (µs) of every request of several wrk runs
    together, from each run's whole percentiles (bench/wrk.lua): the lowest latency that at
    least q % of all requests did not exceed, each run's share of a latency read down to
    the whole percentile below it, so it errs on the high side."""
    total = sum(r["requests"] for r in runs)
    for value in sorted({v for r in runs for _, v in r["cdf"]}):
        within = sum(
            r["requests"] * max((p for p, v in r["cdf"] if v <= value), default=0) / 100
            for r in runs
        )
        if within >= total * q / 100:
            return value
    return max(v for r in runs for _, v in r["cdf"])


def measure_mixed(env, args, rows, targets, token):
    """Every page that answers, the floor among them, at 16 connections (cache-hit
    addresses) while the writer logs an activity every `args.write_interval` seconds
    through this instance and checks each write here and on a second instance."""
    check_path = resolve(CHECK_PAGE, targets)
    commitment = targets.get("generated", {}).get("commitment")
    if check_path is None or commitment is None:
        sys.exit("no generated löfte running today to write on: load with generate_scale_data")
    second = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{args.second_port}",
        "BENCH_RENDER_LOG": str(OUT / f"renders-{args.second_port}.log"),
    }
    with Server(second, args.second_port, OUT / "gunicorn-second.log"):
        writer = Writer(
            args.port,
            [args.port, args.second_port],
            commitment,
            check_path,
            token,
            interval=args.write_interval,
        )
        writer.start()
        began = time.monotonic()
        time.sleep(2 * args.write_interval)  # the first writes are in before measuring

        # The machine's speed drifts within seconds (other tenants of the host, CPU
        # frequency): each page's time is cut into slices that alternate with slices of
        # the floor (F P F P ... F), so that page and floor see the same drift, with the
        # writer running throughout. A floor slice is shared with the next page.
        def one_slice(path):
            return run_wrk(args, args.port, [path], 16, args.slice_seconds)

        def rate(runs):
            return sum(r["requests"] for r in runs) / (sum(r["duration_us"] for r in runs) / 1e6)

        floor_last = one_slice(FLOOR_PATH)
        for row in rows:
            if row["status"] != 200:
                continue
            # Not counted: the page's parts were pushed out of the cache by the minutes of
            # other pages and one-off addresses before it, which a page that people read
            # all the time never is. Its p95 is in the log.
            warm = one_slice(row["path"])
            log(
                f"mixed {row['name']} warm-up: {warm['rps']:.0f} req/s, "
                f"p95 {warm['p95_us'] / 1000:.1f} ms"
            )
            start, wall_start = time.monotonic(), time.time()
            floors, runs = [floor_last], []
            for _ in range(args.mixed_slices):
                runs.append(one_slice(row["path"]))
                floors.append(one_slice(FLOOR_PATH))
            floor_last = floors[-1]
            row["rps_mixed"], row["floor_mixed"] = rate(runs), rate(floors)
            row["p95_mixed"] = percentile(runs, 95) / 1000
            row["non2xx_mixed"] = sum(r["non2xx"] + r["timeout"] for r in runs)
            row["writes"] = writer.writes_between(start, time.monotonic())
            # Renders of the page while it was read (the checked commitment page: with the
            # writer's own reads of it after each write, on both instances).
            row["renders"] = renders_of(row["path"], wall_start, time.time())
            row["renders_per_write"] = row["renders"] / row["writes"] if row["writes"] else None
            log(
                f"mixed {row['name']}: {row['renders']} renders, "
                f"{fmt(row['renders_per_write'], '.2f')} per write"
            )
            log(
                f"mixed {row['name']}: {row['rps_mixed']:.0f} req/s "
                f"({', '.join(f'{r["rps"]:.0f}' for r in runs)}), p95 {row['p95_mixed']:.1f} ms "
                f"({', '.join(f'{r["p95_us"] / 1000:.0f}' for r in runs)}), "
                f"{row['writes']} writes, floor beside {row['floor_mixed']:.0f} req/s "
                f"({', '.join(f'{r["rps"]:.0f}' for r in floors)})"
            )
        writer.stop()
    return {
        "seconds": time.monotonic() - began,
        "writes": len(writer.write_times),
        "failed": len(writer.failed),
        "failed_statuses": sorted(set(writer.failed)),
        "checks": writer.checks,
        "stale": len(writer.stale),
        "stale_examples": writer.stale[:5],
        "post_median_ms": statistics.median(writer.post_ms) if writer.post_ms else None,
        "check_path": check_path,
        "ports": [args.port, args.second_port],
    }


def measure(port, env, args, baseline):
    args.load_before = os.getloadavg()
    targets = read_targets(env)
    log(f"targets: {targets}")
    # Unique per run: a miss address of an earlier run is not in the cache either.
    token = f"{int(time.time())}"
    rows, exports, extra = [], [], {}
    with Server(env, port, OUT / "gunicorn.log") as server:
        for name, template in PAGES:
            path = resolve(template, targets)
            if path is None:
                rows.append({"name": name, "path": template, "status": "no data"})
                continue
            row = measure_page(port, name, path, args, token)
            body = row.pop("body")
            rows.append(row)
            log(f"{name}: {row}")
            if name.startswith("kommun (generated") and row["status"] == 200:
                extra["kommun_html"] = len(body)
                extra["kommun_html_gzip"] = len(gzip.compress(body))
                css = re.findall(rb'href="([^"]+\.css)"', body)
                extra["css"] = sum(len(get(port, c.decode())[2]) for c in css)
        extra["mixed"] = measure_mixed(env, args, rows, targets, token)
        log(f"mixed run: {extra['mixed']}")
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
        extra["soak"] = run_wrk(args, port, soak_paths, 32, args.soak, threads=2)
        extra["soak_paths"] = soak_paths
        after = {}
        for name, template in BASELINE_PAGES:
            path = resolve(template, targets)
            if path:
                after[name] = page_figures(port, path, args)
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


def page_verdict(row, floor_rps):
    """The issue's targets for one page, from the mixed run: at least half the floor's
    req/s (`floor_rps`: measured beside the page) at 16 connections with the writer
    running, p95 under 100 ms, no errors."""
    if row["status"] != 200:
        return "page missing on this branch" if row["status"] == 404 else "error"
    if "rps_mixed" not in row or "floor" in row["name"] or row["name"] == "healthz":
        return "–"
    misses = []
    if not floor_rps or row["rps_mixed"] / floor_rps < 0.5:
        misses.append("< 50 % of floor")
    if row["p95_mixed"] >= 100:
        misses.append("p95 ≥ 100 ms")
    if row.get("non2xx_mixed"):
        misses.append(f"{row['non2xx_mixed']} errors")
    if is_national(row) and (row.get("renders_per_write") or 0) > 1.5:
        misses.append("> 1.5 renders per write")
    return "met" if not misses else "NOT met: " + ", ".join(misses)


def pair(a, b, spec=".0f"):
    """Two figures as `hit / miss`."""
    return f"{fmt(a, spec)} / {fmt(b, spec)}"


def queries_label(row):
    hit, miss = row.get("queries_hit", "–"), row.get("queries_miss", "–")
    empty = row.get("queries_empty", "–")
    return f"{hit} / {miss} / {empty}"


def stale_line(mixed, args):
    ok = mixed["stale"] == 0 and mixed["writes"] > 0 and mixed["failed"] == 0
    failed = (
        f", {mixed['failed']} writes refused (status {mixed['failed_statuses']})"
        if mixed["failed"]
        else ""
    )
    return (
        f"Writer (mixed run): a staff POST to `/personal/registrera/` at most every "
        f"{args.write_interval} s through 127.0.0.1:{mixed['ports'][0]} "
        f"({mixed['writes']} writes in {mixed['seconds']:.0f} s, "
        f"median {fmt(mixed['post_median_ms'], '.0f')} ms per POST"
        f"{failed}); after each, `{mixed['check_path']}` read anonymously from "
        f"127.0.0.1:{mixed['ports'][0]} and from a second gunicorn on "
        f"127.0.0.1:{mixed['ports'][1]} (same database, same cache settings), gzip-encoded "
        "and uncompressed: "
        f"{mixed['checks']} checks, {mixed['stale']} stale (page without the write"
        + (f"; port, write, status: {mixed['stale_examples']}" if mixed["stale"] else "")
        + "). "
        "Target 0 stale: " + ("met." if ok else "NOT met.")
    )


def report(args, rows, exports, extra, baseline, timings):
    lines = [
        f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Data: `generate_scale_data --kommuner {args.kommuner} --years {args.years} "
        f"--activities {args.activities}` on top of the reference and demo data"
        + (" (loaded by an earlier run; --skip-load)." if args.skip_load else "."),
    ]
    lines.append(
        "Load average (1, 5, 15 min): "
        + " / ".join(f"{x:.2f}" for x in args.load_before)
        + " when measuring began, "
        + " / ".join(f"{x:.2f}" for x in args.load_after)
        + f" when it ended ({os.cpu_count()} cores, shared by wrk, the gunicorns, PostgreSQL"
        " and the writer: more runnable processes than cores is the benchmark itself)."
    )
    if timings:
        lines.append("Load times: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ".")
    lines += [
        "",
        f"Server: gunicorn with `gunicorn.conf.py` (workers {args.workers_label}), DEBUG off, "
        f"PostgreSQL on the same machine; wrk on the same 2 cores (it takes CPU from the "
        f"server, so throughput is a lower bound). Page cache: {cache_label(args.cache_url)}. "
        f"One client: {args.samples} sequential requests with keep-alive (or "
        f"{args.latency_seconds} s). wrk runs: {args.duration} s each, one thread, "
        "16 connections, "
        + (
            "each kept open for the whole run, "
            if args.keep_alive
            else "a new connection for each request, as nginx opens one to gunicorn for "
            "each request in production (deploy/nginx.conf; a kept-open connection stays on "
            "the worker that accepted it, and in one run all 16 can be on one worker, "
            "which then uses one core of two), "
        )
        + (
            f"with a browser's `Accept-Encoding: {args.accept_encoding}` (a cached page goes "
            "out gzip-encoded, as it is kept; *KB* is its size uncompressed)."
            if args.accept_encoding
            else "without Accept-Encoding (every page goes out uncompressed)."
        ),
        "",
        "*hit*: the same address again (the rendered page comes from the cache); *miss*: "
        "`bench=<n>` appended, an address of its own per request (the page is made again, "
        "from parts cached by version where it has them: what a write that leaves those "
        "parts alone costs); *empty*: the cache emptied before each request (everything "
        "made from the database). "
        "*mixed*: the hit address while the writer below logs an activity on the generated "
        "kommun's commitment every "
        f"{args.write_interval} s, so that kommun's pages and the national ones (home, feeds, "
        "API) miss after every write. Each page is read in "
        f"{args.mixed_slices} slices of {args.slice_seconds} s, "
        "each between two slices of the "
        "floor (F P F P … F; the machine's speed drifts within seconds, and so page and "
        "floor see the same drift), after one slice of the page that is not counted (its "
        "parts have been pushed out of the cache by the pages before it): *floor beside* "
        "is the floor's req/s over those "
        f"{args.mixed_slices + 1} slices, *p95 ms mixed* that of all the page's requests. "
        "*renders per write*: the times the page was made rather than served from the "
        "cache (logged by bench/middleware.py, both instances) over the writes "
        "while it was read; national pages follow the nation's version at most 5 s behind "
        "(pagecache.pages.NATION_LAG). "
        "The targets (≥ 50 % of the floor beside, p95 < 100 ms, ≤ 1.5 renders per write for "
        "a national page) are judged on them.",
        "",
        "| page | path | status | queries hit / miss / empty | KB "
        "| median ms hit / miss / empty (1 client) "
        "| req/s hit / miss | p95 ms hit / miss | req/s mixed | p95 ms mixed "
        "| floor beside req/s | × floor | writes during | renders per write | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        floor_rps = r.get("floor_mixed")
        ratio = r["rps_mixed"] / floor_rps if floor_rps and "rps_mixed" in r else None
        lines.append(
            f"| {r['name']} | `{r['path']}` | {r['status']} | {queries_label(r)} | "
            f"{fmt(r.get('bytes', 0) / 1024, '.1f')} | "
            f"{pair(r.get('median_hit'), r.get('median_miss'), '.1f')} / "
            f"{fmt(r.get('median_empty'), '.1f')} | "
            f"{pair(r.get('rps_hit'), r.get('rps_miss'))} | "
            f"{pair(r.get('p95_hit'), r.get('p95_miss'), '.1f')} | "
            f"{fmt(r.get('rps_mixed'))} | {fmt(r.get('p95_mixed'), '.1f')} | "
            f"{fmt(floor_rps)} | {fmt(ratio, '.2f')} | {fmt(r.get('writes'), 'd')} | "
            f"{fmt(r.get('renders_per_write'), '.2f')} | {page_verdict(r, floor_rps)} |"
        )
    lines += ["", stale_line(extra["mixed"], args)]
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
            "Seed kommun pages, demo data only vs. with the generated data, rendered (cache "
            "misses: an address of its own per request; target: same queries, median within "
            "1.5×):",
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
        f"{args.samples} sequential requests per page (or {args.latency_seconds} s), each "
        "an address of its own so that the page is rendered (a cache miss), same gunicorn "
        "configuration as above.",
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
    parser.add_argument(
        "--second-port",
        type=int,
        default=None,
        help="Port of the second instance of the stale check (default: --port + 1).",
    )
    parser.add_argument(
        "--cache-url",
        default="",
        help="CACHE_URL for both instances, e.g. redis://127.0.0.1:6379/1 "
        "(default: none, a memory cache per process).",
    )
    parser.add_argument(
        "--write-interval",
        type=float,
        default=0.5,
        help="Seconds between the mixed run's staff writes.",
    )
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument(
        "--mixed-slices",
        type=int,
        default=4,
        help="Slices of each page's --duration in the mixed run, each between two slices "
        "of the floor (default 4: 2 s each at --duration 8 to 11).",
    )
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
    parser.add_argument(
        "--accept-encoding",
        default=BROWSER_ACCEPT_ENCODING,
        help="The Accept-Encoding header of wrk's requests (default: Chromium's, "
        f"{BROWSER_ACCEPT_ENCODING!r}; '' for none: every page sent uncompressed).",
    )
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="wrk keeps each connection open for the whole run (default: a connection per "
        "request, as nginx talks to gunicorn in deploy/nginx.conf).",
    )
    parser.add_argument("--no-doc", action="store_true", help="Print the table only.")
    parser.add_argument(
        "--done-when",
        action="store_true",
        help="Only the issue's done-when check, in a database of its own: the seed kommun "
        "pages before and after generate_scale_data (default --years 5 --activities 300000).",
    )
    args = parser.parse_args()
    args.second_port = args.second_port or args.port + 1
    args.slice_seconds = max(1, args.duration // args.mixed_slices)
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
    for old in OUT.glob("renders-*.log"):  # pages made, logged by the servers: this run's
        old.unlink()
    env = base_env(args.port, args.cache_url)
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
        # A run with a shared cache goes into a block of its own beside the default's.
        write_doc(text, marker="bench-redis" if args.cache_url else "bench")


if __name__ == "__main__":
    main()
