"""English must stay whole: every Swedish string in code and templates has a translation."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def msgattrib(*args, path):
    result = subprocess.run(
        ["msgattrib", *args, str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout


def entries(po_text):
    return [
        block
        for block in po_text.split("\n\n")
        if "msgid" in block and 'msgid ""\nmsgstr ""\n"' not in block
    ]


@pytest.fixture(scope="module")
def fresh_po(tmp_path_factory):
    """The committed .po file, refreshed from the code as `make messages` would.

    makemessages writes to the `locale` folder that contains the scanned files, so it runs
    on a copy of the source tree and never touches the committed file.
    """
    if not shutil.which("msgattrib"):
        pytest.fail("GNU gettext is needed (apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    copy = tmp_path_factory.mktemp("source") / "tree"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "tests", "staticfiles", "media", "bench", "docs", "*.sqlite3", "__pycache__"
        ),
    )
    old_cwd = Path.cwd()
    old_paths = settings.LOCALE_PATHS
    try:
        settings.LOCALE_PATHS = [str(copy / "locale")]
        os.chdir(copy)
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(old_cwd)
        settings.LOCALE_PATHS = old_paths
    return copy / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_po_file_is_committed():
    assert PO.exists(), "Run `make messages` and translate locale/en/LC_MESSAGES/django.po"


def test_every_string_is_translated(fresh_po):
    untranslated = entries(msgattrib("--untranslated", "--no-obsolete", path=fresh_po))
    assert untranslated == [], "Untranslated (run `make messages`):\n\n" + "\n\n".join(
        untranslated[:20]
    )


def test_no_fuzzy_translations(fresh_po):
    fuzzy = entries(msgattrib("--only-fuzzy", "--no-obsolete", path=fresh_po))
    assert fuzzy == [], "Fuzzy entries:\n\n" + "\n\n".join(fuzzy[:20])
