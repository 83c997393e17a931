"""How wrk's connections fall over the gunicorn workers, and what that does to req/s: the
measurement behind the benchmark's connection per request (docs/performance.md).

    .venv/bin/python bench/connections.py [--runs 8] [--seconds 2] [PATH ...]

Starts the benchmark's gunicorn (gunicorn.conf.py, bench/settings.py) on the database that
`bench/run.py` loaded, then for each path (default: the floor and the Kungälv kommun page)
runs wrk at 16 connections `--runs` times, kept open and then a new one per request. One
second into each kept-open run it counts, with `ss`, the established connections each
worker process holds. Needs wrk and ss (iproute2).
"""

import argparse
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.client import BROWSER_ACCEPT_ENCODING, wrk  # noqa: E402
from bench.run import OUT, Server, base_env  # noqa: E402

PORT = 8770


def connections_per_worker(port):
    """The established connections to `port`, counted per process, most first."""
    out = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(Counter(re.findall(r"pid=(\d+)", out)).values(), reverse=True)


def measure(path, seconds, close):
    spread = []
    if not close:
        sampler = threading.Timer(1, lambda: spread.extend(connections_per_worker(PORT)))
        sampler.start()
    result = wrk(PORT, [path], 16, seconds, accept_encoding=BROWSER_ACCEPT_ENCODING, close=close)
    return result["rps"], spread


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["/bench/floor/", "/kommun/kungalv/"])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=2)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with Server(base_env(PORT), PORT, OUT / "gunicorn-connections.log"):
        for path in args.paths:
            wrk(PORT, [path], 16, 1, accept_encoding=BROWSER_ACCEPT_ENCODING)  # warm
            for close in (False, True):
                for _ in range(args.runs):
                    rps, spread = measure(path, args.seconds, close)
                    how = (
                        "per request"
                        if close
                        else "kept open, per worker " + " + ".join(map(str, spread))
                    )
                    print(f"{path}: {rps:,.0f} req/s, connections {how}", flush=True)
                time.sleep(1)


if __name__ == "__main__":
    main()
