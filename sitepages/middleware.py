"""Middleware of the site's own pages."""

from sitepages.views import healthz


class HealthCheckAnyHostMiddleware:
    """Answers /healthz before the Host header is checked (ALLOWED_HOSTS, in CommonMiddleware
    and every `get_host()`), so a load balancer or compose probing by address
    (Host: 127.0.0.1:8000) gets the answer too. The answer is "ok" or "database unavailable",
    the same for every Host: it reveals nothing the Host could choose. Other methods go
    the ordinary way (a body is refused by the limits, then 405)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
