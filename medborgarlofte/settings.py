"""Settings for the Medborgarlöfte portal.

Everything that differs between a developer's machine and production is read from
environment variables; docs/configuration.md lists each one. The defaults are safe for local
development only when DEBUG is on; with DEBUG off (the default) a SECRET_KEY is required
and the production security settings apply.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off (any case); unset or empty is
    `default`. Anything else is refused: `DEBUG=treu` must not quietly mean off."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of "
        f"{', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}."
    )


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    # Third-party apps through configs that name them in Swedish (accounts/third_party_apps.py).
    "accounts.third_party_apps.SimpleHistoryConfig",
    "accounts.third_party_apps.AxesConfig",
    "accounts.third_party_apps.OTPConfig",
    "accounts.third_party_apps.TOTPConfig",
    "accounts.third_party_apps.StaticConfig",
    # The bottom of the house: shared helpers, then the page cache and content versions.
    "core",
    "pagecache",
    "accounts",
    "pledges",
    "dialogues",
    "reports",
    "alerts",
    # The site's own pages (about, accessibility, privacy, health check, language).
    "sitepages",
    # Demo and scale data may see every app above; nothing imports it.
    "demo",
]

MIDDLEWARE = [
    # The header middleware come first so that every response carries their headers: static
    # files (WhiteNoise answers without calling what follows it), 413 and 503 pages too.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Outermost after the headers: a database that is down becomes a 503, not a 500.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Then a deadline on every request's database calls (a frozen database: 503 in < 10 s).
    "core.deadline.RequestDeadlineMiddleware",
    # /healthz for any Host (a probe by address), before anything validates the Host.
    "sitepages.middleware.HealthCheckAnyHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An anonymous visitor's cached public page is answered here (pagecache/pages.py),
    # before the views' middleware that only a page being made needs.
    "pagecache.pages.PublicPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (the NUL check, the CSRF check in process_view, forms)
    # and after authentication (staff may upload more): oversize is a Swedish 413.
    "core.limits.RequestBodyLimitMiddleware",
    "core.middleware.RejectUnreadableBodyMiddleware",
    "core.middleware.RejectNullCharactersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medborgarlofte.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "medborgarlofte.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: a new PostgreSQL connection per request costs more than
        # most of our pages. A connection that died (e.g. a restart) is replaced by the
        # version read every public page starts with (pagecache/versions.py, version_rows),
        # which stands in for Django's health check and its extra round trip; any other
        # page meets it once as a 503, after which Django closes it.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=False,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that stops answering (a stuck disk, a held lock, a stopped process) must
    # not hold a worker: connecting gives up after DB_CONNECT_TIMEOUT seconds, a statement
    # after DB_STATEMENT_TIMEOUT_MS, TCP keepalives notice a vanished server on an idle
    # connection and tcp_user_timeout one that stops acknowledging what we send. A server
    # whose kernel still acknowledges but which answers nothing (a frozen host or process)
    # is bounded by the request's deadline (REQUEST_DEADLINE_SECONDS, core/deadline.py).
    # The resulting OperationalError becomes the Swedish 503.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=int(os.environ.get("DB_CONNECT_TIMEOUT", "3")),
        tcp_user_timeout=int(os.environ.get("DB_TCP_USER_TIMEOUT_MS", "8000")),
        options="-c statement_timeout={} -c lock_timeout={}".format(
            int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "8000")),
            int(os.environ.get("DB_LOCK_TIMEOUT_MS", "5000")),
        ),
        keepalives=1,
        keepalives_idle=int(os.environ.get("DB_KEEPALIVES_IDLE", "30")),
        keepalives_interval=10,
        keepalives_count=3,
    )

# /healthz gives up on the database after this long (SET LOCAL statement_timeout and the
# client's deadline; it answers 503 within 0.8 of it, whatever the database does).
HEALTHZ_TIMEOUT_MS = 2000

# Every request's database calls end this long after it arrived (core/deadline.py): a call
# still waiting then is cut off, and the request answered with the 503. With the 503's own
# time this keeps every answer under 10 s on a frozen database (tests/test_frozen_database.py).
REQUEST_DEADLINE_SECONDS = float(os.environ.get("REQUEST_DEADLINE_SECONDS", "8"))

# Seconds a client is asked to wait (Retry-After) when the database is unreachable.
DATABASE_UNAVAILABLE_RETRY_AFTER = 10

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"

# Internationalisation: Swedish first, English through gettext.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (Django 6.1 mailers): the console in development, SMTP in production.
EMAIL_SMTP_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS"),
    "timeout": 10,
}
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": EMAIL_SMTP_OPTIONS if _email_backend.endswith("smtp.EmailBackend") else {},
    }
}
# An empty value (as docker-compose.yml passes when unset) means the default too.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "Medborgarlöfte <noreply@localhost>"
# The site's public address, for links in e-mail sent outside a request (send_alerts).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Public forms (dialogues.protection): a post faster than SYNPUNKT_MIN_SECONDS after the
# form was rendered, or older than FORM_MAX_AGE_SECONDS, is refused; FORM_RATE_LIMIT posts
# per salted IP hash and form per period. Behind NUM_PROXIES trusted proxies the client's
# address is read from X-Forwarded-For when the peer is one of FORWARDED_ALLOW_IPS
# (0: REMOTE_ADDR): core.clientip, which the
# sign-in audit and django-axes use too.
SYNPUNKT_MIN_SECONDS = 3
FORM_MAX_AGE_SECONDS = 2 * 60 * 60
FORM_RATE_LIMIT = (5, 60 * 60)
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
# The proxies X-Forwarded-For is read from (addresses or networks, "*" for any): a peer not
# listed is the client itself. gunicorn reads the same variable for X-Forwarded-Proto.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Request bodies (core.limits): public forms take short text and no files; staff
# upload a löfte PDF (at most 20 MB, pledges.validators) or a month's CSV. Django's own
# bounds stay as the last line: at most this much form data in memory, this many files.
PUBLIC_FORM_MAX_BYTES = 64 * 1024
STAFF_UPLOAD_MAX_BYTES = 21 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Staff sessions last a working day.
SESSION_COOKIE_AGE = 9 * 60 * 60

# Security headers. The CSP applies in development too, so that a page that would break
# in production breaks on the developer's machine first.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), geolocation=(), microphone=(), payment=(), usb=()"
# We ship no JavaScript, so no cookie needs to be readable by scripts.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # TLS ends at the proxy in front of gunicorn, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer's health check talks plain HTTP to gunicorn.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host-: the browser accepts them only over HTTPS, for this host, with Path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"

# django-axes: lock after 5 failures for the same username from the same address, so a
# stranger's wrong passwords never lock the account for its owner at another address. The
# address is the one every other part of the site sees (behind NUM_PROXIES proxies too).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A Swedish page with HTTP 429 Too Many Requests (AXES_HTTP_RESPONSE_CODE defaults to 429).
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

# Two-factor authentication (TOTP, django-otp) for every staff account on the staff areas.
# On by default in production; the demo accounts are exempt only with DEBUG on.
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
TWO_FACTOR_PROTECTED_PREFIXES = ["/admin/", "/personal/", "/rapporter/"]
DEMO_USERNAMES = ["admin", "polis.kungalv-ale", "samordnare.kungalv", "samordnare.trollhattan"]
OTP_TOTP_ISSUER = "Medborgarlöfte"

# Staff sign-ins (successful and failed) are kept this long, then purged by
# `manage.py purge_signin_audit`.
SIGNIN_AUDIT_RETENTION_DAYS = int(os.environ.get("SIGNIN_AUDIT_RETENTION_DAYS", "365"))

# Demo accounts get this password when `load_demo` creates them (DEBUG only).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-lösenord-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

SITE_NAME = "Medborgarlöfte"

# Caches: rendered public pages and the national figures, keyed by the content versions
# in the database (pagecache/), so an entry is never stale, only
# unreachable. Per-process memory by default; CACHE_URL=redis://host:6379/0 shares one
# Redis between every worker and host (Django's built-in Redis backend), so a page
# rendered once is a hit everywhere.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, a miss instead of an error while Redis is away.
            "BACKEND": "pagecache.backends.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "medborgarlofte",
            # A Redis that is away slows nothing down for long: pages are rendered instead.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "medborgarlofte",
            # A rendered kommun page is ~20-60 KB: this bounds a process's cache to ~100 MB.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
        }
    }
# How long a rendered page may stay in the cache (it is never served once stale).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 60 * 60)))

# Who publishes the open data, as the DCAT-AP-SE catalogue (/oppna-data/katalog.rdf) says
# to Sveriges dataportal. Empty URL: the portal's own address. Empty e-mail: the contact
# point gives the portal's "Om" page only (set an address the publisher reads).
OPEN_DATA_PUBLISHER_NAME = os.environ.get("OPEN_DATA_PUBLISHER_NAME") or "Medborgarlöfte"
OPEN_DATA_PUBLISHER_URL = os.environ.get("OPEN_DATA_PUBLISHER_URL", "")
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "")

# The accessibility statement (/tillganglighet/, lagen om tillgänglighet till digital
# offentlig service): the organisation responsible for the site and the address that
# feedback on accessibility reaches. Default: the open-data publisher and contact.
# `check --deploy` warns while no address is set.
ACCESSIBILITY_ORGANISATION = (
    os.environ.get("ACCESSIBILITY_ORGANISATION") or OPEN_DATA_PUBLISHER_NAME
)
ACCESSIBILITY_CONTACT_EMAIL = (
    os.environ.get("ACCESSIBILITY_CONTACT_EMAIL") or OPEN_DATA_CONTACT_EMAIL
)
