"""Apps are layers that point down. At the bottom `core` (client IP, limits, middleware) and
`pagecache` (content versions and the page cache); then `accounts` and `pledges`, the base;
`dialogues`, `reports` and `alerts` build on them, `sitepages` (the site's own pages) beside
them, and `demo` (demo and scale data) and `bench/` (the benchmark) on top where nothing
imports them. `medborgarlofte/` is configuration only, and no app imports it. The checks
parse every module's imports with ast, so a lazy import inside a function counts too."""

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


APPS = ["core", "pagecache", "accounts", "pledges", "dialogues", "reports", "alerts"]
APPS += ["sitepages", "demo", "bench"]
PROJECT = {*APPS, "medborgarlofte"}

# What each app may not import: everything above it (and, for the apps beside each other,
# each other). `bench` may read the project's settings and URLs to extend them.
FORBIDDEN = {
    "core": PROJECT - {"core"},
    "pagecache": PROJECT - {"core", "pagecache"},
    "accounts": PROJECT - {"core", "pagecache", "accounts"},
    "pledges": PROJECT - {"core", "pagecache", "accounts", "pledges"},
    "dialogues": {"reports", "alerts", "sitepages", "demo", "bench", "medborgarlofte"},
    "reports": {"alerts", "sitepages", "demo", "bench", "medborgarlofte"},
    "alerts": {"sitepages", "demo", "bench", "medborgarlofte"},
    "sitepages": {"demo", "bench", "medborgarlofte"},
    "demo": {"bench", "medborgarlofte"},
    "bench": set(),
}


def test_every_app_has_its_layer():
    on_disk = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if path.parent.name not in {"medborgarlofte", "node_modules"}
    }
    assert on_disk <= set(FORBIDDEN), on_disk - set(FORBIDDEN)
    assert set(APPS) == set(FORBIDDEN)


@pytest.mark.parametrize("package", APPS)
def test_apps_import_only_what_lies_below_them(package):
    assert violations([package], FORBIDDEN[package]) == []


def test_the_project_package_is_configuration_only():
    modules_there = {path.name for path in (ROOT / "medborgarlofte").glob("*.py")}
    assert modules_there == {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py"}
    # The project's URLs include the apps' URLs by name and import none of their modules.
    assert [imported for _, imported in imported_packages(ROOT / "medborgarlofte" / "urls.py")] == [
        "django",
        "django",
        "django",
        "django",
    ]


def module_imports(package):
    """{module: {project module it imports}} for every module of `package`, lazy imports
    inside functions included."""
    graph = {}
    for name, file in modules(package):
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = targets
    return graph


def circles(graph):
    """The import circles of `graph` (depth-first search for a back edge)."""
    found, state = [], {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if target not in graph or target == module:
                continue
            if state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_the_circle_check_can_fail():
    assert circles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]


def test_no_module_imports_in_a_circle():
    graph = {}
    for package in APPS:
        graph.update(module_imports(package))
    assert circles(graph) == []
