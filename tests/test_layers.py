"""Apps are layers that point down: `accounts` and `pledges` are the base, `dialogues` and
`reports` build on them, and `demo` (demo and scale data) and `bench/` (the benchmark) sit
on top where nothing imports them. The checks parse every module's imports with ast, so a
lazy import inside a function counts too."""

import ast
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def modules(package):
    """(dotted name, path) of every module of a package, migrations excepted."""
    path = ROOT / package
    yield package, path / "__init__.py"
    for info in pkgutil.walk_packages([str(path)], prefix=f"{package}."):
        if ".migrations" in info.name:
            continue
        if info.ispkg:
            file = ROOT.joinpath(*info.name.split("."), "__init__.py")
        else:
            file = ROOT.joinpath(*info.name.split(".")).with_suffix(".py")
        yield info.name, file


def imported_packages(file):
    """The top-level package of every module the file imports."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def violations(packages, forbidden):
    found = []
    for package in packages:
        for name, file in modules(package):
            for lineno, imported in imported_packages(file):
                if imported in forbidden:
                    found.append(f"{name}:{lineno} imports {imported}")
    return found


def test_walker_sees_every_module():
    names = {name for name, _ in modules("pledges")}
    assert {"pledges.views", "pledges.admin", "pledges.management.commands"} <= names
    assert not any(".migrations" in name for name in names)


def test_walker_finds_a_forbidden_import(tmp_path, monkeypatch):
    # The check itself must be able to fail: a lazy import inside a function is found.
    file = tmp_path / "module.py"
    file.write_text("def f():\n    from reports.selectors import x\n    import dialogues.models\n")
    assert list(imported_packages(file)) == [(2, "reports"), (3, "dialogues")]


@pytest.mark.parametrize("package", ["pledges", "accounts"])
def test_base_apps_import_no_app_above_them(package):
    assert violations([package], {"dialogues", "reports", "demo", "bench"}) == []


def test_no_app_imports_the_demo_or_the_benchmark():
    apps = ["pledges", "accounts", "dialogues", "reports", "medborgarlofte"]
    assert violations(apps, {"demo", "bench"}) == []
