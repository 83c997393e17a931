import io

import pytest
from django.conf import settings
from django.core.management import call_command


def pytest_configure(config):
    # Hashed static files need `collectstatic`; tests serve the plain files instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reference_data(db):
    """The 21 län, 7 police regions and 290 kommuner, loaded as in production."""
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _two_factor_off_unless_tested(settings):
    """Staff tests log in with force_login, which has no second factor. Two-factor login
    is on in production and is tested on its own (tests/test_twofactor*.py switch it on)."""
    settings.REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (cached fragments and national summaries),
    so query counts do not depend on which test ran before."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _swedish_outside_requests():
    """A request in English leaves English active in its thread (as Django's own locale
    middleware does); code that runs outside a request in the next test must not see it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
