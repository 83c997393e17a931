"""The pure helpers of the benchmark (bench/run.py, bench/client.py, bench/writer.py):
cache-miss addresses, the targets' verdict per page and the stale-check line."""

import types

from bench import client, run
from bench.client import with_query
from bench.writer import marker


def test_a_miss_address_adds_a_parameter_with_the_right_separator():
    assert with_query("/flode/", "bench", "7-1") == "/flode/?bench=7-1"
    assert (
        with_query("/api/v1/aktiviteter/?kommun=tyreso&per_sida=1", "bench", "7-1")
        == "/api/v1/aktiviteter/?kommun=tyreso&per_sida=1&bench=7-1"
    )


def test_every_write_has_a_marker_of_its_own():
    assert marker("123", 1) != marker("123", 2)
    assert marker("123", 1) != marker("124", 1)


def row(**figures):
    return {"name": "kommun", "status": 200, "rps_mixed": 500, "p95_mixed": 50, **figures}


def test_a_page_meets_the_targets_at_half_the_floor_and_p95_under_100_ms():
    assert run.page_verdict(row(), floor_rps=1000) == "met"
    assert run.page_verdict(row(rps_mixed=499), floor_rps=1000) == "NOT met: < 50 % of floor"
    assert run.page_verdict(row(p95_mixed=100), floor_rps=1000) == "NOT met: p95 ≥ 100 ms"
    assert run.page_verdict(row(non2xx_mixed=3), floor_rps=1000) == "NOT met: 3 errors"
    assert run.page_verdict(row(), floor_rps=None) == "NOT met: < 50 % of floor"


def test_the_floor_and_missing_pages_are_not_judged():
    assert run.page_verdict(row(name="floor"), floor_rps=1000) == "–"
    assert run.page_verdict(row(name="healthz"), floor_rps=1000) == "–"
    assert run.page_verdict({"name": "x", "status": 404}, 1000) == "page missing on this branch"
    assert run.page_verdict({"name": "x", "status": 500}, 1000) == "error"


def test_queries_show_hit_miss_and_empty_cache():
    row = {"queries_hit": "1", "queries_miss": "3", "queries_empty": "20"}
    assert run.queries_label(row) == "1 / 3 / 20"
    assert run.queries_label({"queries_hit": "1"}) == "1 / – / –"


def mixed(**figures):
    return {
        "seconds": 5.0,
        "writes": 10,
        "failed": 0,
        "failed_statuses": [],
        "checks": 20,
        "stale": 0,
        "post_median_ms": 40.0,
        "check_path": "/kommun/x/",
        "ports": [8765, 8766],
        "stale_examples": [],
        **figures,
    }


def test_the_stale_check_is_met_only_with_writes_and_no_stale_answer():
    args = types.SimpleNamespace(write_interval=0.5)
    assert run.stale_line(mixed(), args).endswith("Target 0 stale: met.")
    line = run.stale_line(mixed(stale=1, stale_examples=[(8766, 3, 200)]), args)
    assert "(8766, 3, 200)" in line
    assert line.endswith("NOT met.")
    assert run.stale_line(mixed(writes=0, checks=0), args).endswith("NOT met.")
    assert run.stale_line(mixed(failed=2, failed_statuses=[403]), args).endswith("NOT met.")


def wrk_run(requests, latency_at):
    """A wrk run's figures (bench/wrk.lua) whose latency at percentile p is latency_at(p)."""
    points = [*range(50, 100), 99.5, 99.9, 100]
    return {"requests": requests, "cdf": [[p, latency_at(p)] for p in points]}


def test_the_percentile_of_several_runs_is_that_of_all_their_requests():
    fast = wrk_run(1000, lambda p: p * 10)  # p95: 950 µs
    assert run.percentile([fast], 95) == 950
    assert run.percentile([fast, fast], 95) == 950
    # A slow run of a tenth of the requests is most of the slowest 5 %: p95 is in it.
    slow = wrk_run(100, lambda p: 100_000 + p)
    assert run.percentile([fast, slow], 95) > 100_000
    # A slow run of a hundredth of the requests is not.
    assert run.percentile([fast, wrk_run(10, lambda p: 100_000 + p)], 95) <= 1000


def wrk_command(monkeypatch, **kwargs):
    """The command line client.wrk runs, with wrk's output stubbed."""
    ran = []

    def fake_run(cmd, **_):
        ran.append(cmd)
        return types.SimpleNamespace(stdout='WRKJSON {"requests": 10, "duration_us": 1000000}')

    monkeypatch.setattr(client.subprocess, "run", fake_run)
    assert client.wrk(8000, ["/"], 16, 2, **kwargs)["rps"] == 10
    return ran[0]


def test_wrk_opens_a_connection_per_request_only_when_asked(monkeypatch):
    assert "--close" in wrk_command(monkeypatch, close=True)
    assert "--close" not in wrk_command(monkeypatch)


def test_a_national_page_made_more_than_one_and_a_half_times_per_write_misses():
    national = row(path="/flode/", renders_per_write=1.6)
    assert run.page_verdict(national, floor_rps=1000) == "NOT met: > 1.5 renders per write"
    assert run.page_verdict({**national, "renders_per_write": 0.4}, floor_rps=1000) == "met"
    kommun = row(path="/kommun/x/", renders_per_write=4.0)  # made after every write: fresh
    assert run.page_verdict(kommun, floor_rps=1000) == "met"


def test_renders_are_counted_per_path_and_time_over_both_instances(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "OUT", tmp_path)
    (tmp_path / "renders-8765.log").write_text("10.0 /flode/\n11.0 /\n12.5 /flode/\n")
    (tmp_path / "renders-8766.log").write_text("11.5 /flode/\n30.0 /flode/\n")
    assert run.renders_of("/flode/", 10.5, 20.0) == 2
    assert run.renders_of("/", 0, 100) == 1
