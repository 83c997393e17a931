from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def accessibility_contact_is_set(app_configs=None, **kwargs):
    """The accessibility statement must give a way to reach the site's operator."""
    if settings.ACCESSIBILITY_CONTACT_EMAIL:
        return []
    return [
        checks.Warning(
            "ACCESSIBILITY_CONTACT_EMAIL is empty: the accessibility statement "
            "(/tillganglighet/) gives no address for reporting accessibility problems.",
            hint="Set ACCESSIBILITY_CONTACT_EMAIL to an address the operator reads.",
            id="sitepages.W001",
        )
    ]
