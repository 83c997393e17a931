"""Benchmark-only helpers, active only when the BENCH_COUNT_QUERIES environment variable
is set (bench/run.py sets it for the gunicorn it measures; production never does).

- QueryCountMiddleware adds an `X-Query-Count` header: the SQL queries the request ran.
- floor / floor_layout are the *floor* the benchmark compares every page with: the same
  server, middleware and template engine, no database access.
"""

from django.db import connections
from django.shortcuts import render
from django.views.decorators.http import require_safe


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
        return response


@require_safe
def floor(request):
    return render(request, "bench/floor.html")


@require_safe
def floor_layout(request):
    return render(request, "bench/floor_layout.html")
