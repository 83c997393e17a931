"""The Nu HTML Checker (vnu.jar from the npm package vnu-jar, run with the machine's Java).

`validate({name: html})` checks every document in ONE java invocation (starting the JVM is
most of the cost) and returns {name: [error messages]}. Under CI=true a missing vnu.jar or
java fails the test; locally it skips.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"


def _require_checker():
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return java
    missing = "java" if not java else f"{VNU_JAR} (make install runs npm ci)"
    if os.environ.get("CI"):
        pytest.fail(f"The Nu HTML Checker cannot run: {missing} is missing; CI must run it.")
    pytest.skip(f"The Nu HTML Checker cannot run: {missing} is missing")


def validate(documents):
    java = _require_checker()
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.resolve().as_uri()] = name
        result = subprocess.run(
            [
                java,
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                *map(str, [Path(folder) / f"page-{i}.html" for i in range(len(documents))]),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        report = json.loads(result.stderr or result.stdout)
    errors = {name: [] for name in documents}
    for message in report["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = next((n for uri, n in paths.items() if url.endswith(uri.split("/")[-1])), url)
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}: {message.get('message', '')}"
        )
    return errors
