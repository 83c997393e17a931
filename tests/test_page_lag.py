"""National pages follow the nation's version at most NATION_LAG seconds behind, one thread
makes a new version while the others serve the copy they have, and each representation
of a page (gzip and identity) is kept (pagecache/pages.py)."""

import datetime
import threading
import time as clock

import pytest
from django.http import HttpResponse
from django.utils import timezone

from pagecache import pages
from pagecache.pages import municipality_scopes, nation_scopes, public_page
from pagecache.versions import bump

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 10, 0, 1, tzinfo=datetime.UTC)
GZIP = {"accept-encoding": "gzip"}


@pytest.fixture
def lag(settings):
    settings.PAGE_CACHE_NATION_LAG = 5
    return 5


@pytest.fixture
def clock_at(monkeypatch):
    """Sets the time every part of the page cache reads."""

    def at(seconds):
        monkeypatch.setattr(timezone, "now", lambda: START + datetime.timedelta(seconds=seconds))

    at(0)
    return at


def counting_view(scopes, delay=0.0, started=None):
    calls = []

    @public_page(scopes)
    def view(request, slug="kungalv"):
        calls.append(1)
        if started is not None:
            started.set()
        clock.sleep(delay)
        return HttpResponse(f"made {len(calls)} " + "x" * 2000)

    return view, calls


def test_a_national_page_is_served_from_its_copy_for_half_the_lag_then_made_again(
    rf, lag, clock_at
):
    view, calls = counting_view(nation_scopes)
    first = view(rf.get("/nationell/"))
    assert first.content.startswith(b"made 1")
    bump({"municipality:kungalv"})  # a write anywhere moves the nation
    clock_at(2)
    kept = view(rf.get("/nationell/"))
    assert kept.content == first.content
    assert kept.headers["ETag"] == first.headers["ETag"]  # the copy's own validator
    # A proxy may keep it for what is left of the lag only: 5 s after the write at most.
    assert "s-maxage=3," in kept.headers["Cache-Control"]
    assert "s-maxage=5," in first.headers["Cache-Control"]
    assert len(calls) == 1
    clock_at(3)  # half the lag: this request makes the new version
    made = view(rf.get("/nationell/"))
    assert made.content.startswith(b"made 2")
    assert made.headers["ETag"] != first.headers["ETag"]
    clock_at(4)
    assert view(rf.get("/nationell/")).content == made.content
    assert len(calls) == 2


def test_a_national_copy_is_never_served_later_than_the_lag(rf, lag, clock_at, monkeypatch):
    view, calls = counting_view(nation_scopes)
    first = view(rf.get("/nationell/"))
    bump({"municipality:kungalv"})
    monkeypatch.setattr(pages, "_claim", lambda key: False)  # another is making it
    clock_at(lag - 0.1)
    assert view(rf.get("/nationell/")).content == first.content
    clock_at(lag)
    assert view(rf.get("/nationell/")).content.startswith(b"made 2")


def test_a_kommun_page_shows_a_write_on_the_next_request(rf, lag, clock_at):
    view, calls = counting_view(municipality_scopes)
    assert view(rf.get("/kommun/kungalv/x/"), slug="kungalv").content.startswith(b"made 1")
    bump({"municipality:kungalv"})
    assert view(rf.get("/kommun/kungalv/x/"), slug="kungalv").content.startswith(b"made 2")


def test_while_one_thread_makes_a_national_page_another_serves_the_copy_at_once(rf, lag, clock_at):
    started = threading.Event()
    view, calls = counting_view(nation_scopes, delay=1.0, started=started)
    fast, _ = counting_view(nation_scopes)
    first = view(rf.get("/nationell/"))  # 1 s: made before the write
    bump({"municipality:kungalv"})
    clock_at(3)
    requests = [rf.get("/nationell/") for _ in range(2)]
    for request in requests:  # the versions, read here: the threads need no database
        pages.page_versions(request, nation_scopes())
    responses = [None, None]

    def serve(number):
        responses[number] = view(requests[number])

    maker = threading.Thread(target=serve, args=(0,))
    maker.start()
    assert started.wait(5)
    began = clock.monotonic()
    serve(1)
    assert clock.monotonic() - began < 0.5  # not blocked behind the maker
    assert responses[1].content == first.content
    maker.join(5)
    assert responses[0].content.startswith(b"made 2")
    assert len(calls) == 2


def test_a_claim_is_taken_once_and_released(db):
    assert pages._claim("page:y")
    assert not pages._claim("page:y")
    pages._release("page:y")
    assert pages._claim("page:y")
    pages._release("page:y")


def test_a_client_without_gzip_is_served_without_decompressing(rf, monkeypatch):
    view, calls = counting_view(municipality_scopes)
    made = view(rf.get("/kommun/kungalv/x/", headers=GZIP), slug="kungalv")
    assert made.headers["Content-Encoding"] == "gzip"
    decompressed = []
    real = pages.zlib.decompress
    monkeypatch.setattr(
        pages.zlib, "decompress", lambda *args: decompressed.append(1) or real(*args)
    )
    plain = [view(rf.get("/kommun/kungalv/x/"), slug="kungalv") for _ in range(3)]
    assert len(decompressed) == 1  # once, for the first client without gzip
    assert all(p.content.startswith(b"made 1") and "Content-Encoding" not in p for p in plain)
    assert len(calls) == 1


def test_a_page_made_for_a_client_without_gzip_keeps_both(rf, monkeypatch):
    view, calls = counting_view(municipality_scopes)
    made = view(rf.get("/kommun/kungalv/x/"), slug="kungalv")
    monkeypatch.setattr(pages.zlib, "decompress", lambda *args: pytest.fail("decompressed"))
    again = view(rf.get("/kommun/kungalv/x/"), slug="kungalv")
    assert again.content == made.content
    assert view(rf.get("/kommun/kungalv/x/", headers=GZIP), slug="kungalv")["Content-Encoding"]
    assert len(calls) == 1


def test_a_page_made_is_marked_for_the_benchmark_and_a_copy_is_not(rf):
    view, calls = counting_view(municipality_scopes)
    made = view(rf.get("/kommun/kungalv/x/"), slug="kungalv")
    kept = view(rf.get("/kommun/kungalv/x/"), slug="kungalv")
    assert getattr(made, "page_made", False)
    assert not getattr(kept, "page_made", False)
