"""Absolute addresses on the site, from SITE_URL.

Never from the request's Host: Django's host check ignores the port, so `Host: <site>:6666`
passes it, and a page or feed kept in the cache (pagecache) with links built from that
request would serve them to every later visitor. Feeds, the API, the open-data catalogue
and e-mail all build their links here.
"""

from django.conf import settings


def site_url(path="/"):
    """`path` (starting with "/") on the site's public address, SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path
