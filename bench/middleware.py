"""QueryCountMiddleware: an `X-Query-Count` header with the SQL queries the request ran.
Only bench/settings.py installs it; production settings never do.

With BENCH_RENDER_LOG set, every page made rather than served from the cache (marked
`page_made` by pagecache.pages.PublicPage.make) adds a line "<time> <path>" to that file.
bench/run.py counts them per page in the mixed run: renders per write."""

import os
import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        # Streaming responses run queries after this point; their header counts the
        # queries before the first byte only.
        response.headers["X-Query-Count"] = str(count)
        renders = os.environ.get("BENCH_RENDER_LOG")
        if renders and getattr(response, "page_made", False):
            # One short write with O_APPEND: the processes' lines do not interleave.
            with open(renders, "a", encoding="utf-8") as log:
                log.write(f"{time.time():.3f} {request.get_full_path()}\n")
        return response


class EmptyCacheMiddleware:
    """`X-Bench-Empty-Cache: 1` empties the cache before the request, so that the page and
    every part of it are made from the database: the figures "with an empty cache"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Empty-Cache") == "1":
            from pagecache import store

            store.clear()  # and the figures each process keeps
        return self.get_response(request)
