"""Loaded by pytest (`-p tests.env`) before Django reads its settings.

Tests run with production-like settings (DEBUG off); these variables are only what the
test environment needs to start. DATABASE_URL is left to the caller, so `make test`
runs on SQLite and CI runs it again on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Absolute links (feeds, API, catalogue) are built from SITE_URL: the test client's host.
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("DEMO_PASSWORD", "demo-lösenord-2026")
os.environ.pop("DEBUG", None)
