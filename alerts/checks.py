from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs=None, **kwargs):
    """Alert e-mail links are built from SITE_URL (send_alerts runs outside a request)."""
    url = settings.SITE_URL
    if url.startswith("https://") and "localhost" not in url:
        return []
    return [
        checks.Warning(
            f"SITE_URL is {url!r}: the links in alert e-mails (confirm, unsubscribe) would "
            "not reach the site.",
            hint="Set SITE_URL to the site's public https:// address.",
            id="alerts.W001",
        )
    ]
