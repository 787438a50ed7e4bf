"""The floors of docs/architecture.md, checked on the source: imports only go down, nothing imports
in a circle, only storage speaks SQL, and no file grows past what one reader holds in mind.

The graph is read from the source with :mod:`ast` (every ``import``, also those inside functions),
so a lazy import that climbs a floor fails here as surely as one at the top of a file.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FLOORS: dict[str, int] = {
    "core": 0,
    "config": 1,
    "pipeline": 2,
    "storage": 3,
    "desk": 4,
    "crawlers": 5,
    "release": 5,
    "review": 5,
    "mirror": 5,
    "newsmon": 6,
    "benchmarks": 7,
}
"""Package -> floor. A package may import its own floor or lower ones (never in a circle)."""

SQL_PACKAGES = ("sqlalchemy", "alembic")
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _sources() -> dict[str, Path]:
    """Module name -> file, for every module of the product packages."""
    found: dict[str, Path] = {}
    for package in FLOORS:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _imported_names(path: Path) -> Iterator[str]:
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            yield stem
            yield from (f"{stem}.{alias.name}" for alias in node.names)


def _resolve(name: str) -> str | None:
    """The module of ours that an imported name refers to (``a.b.c`` may be a name in ``a.b``)."""
    sources = _sources()
    while name:
        if name in sources:
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in _sources().items():
        for name in _imported_names(path):
            target = _resolve(name)
            if target and target != module and not module.startswith(target + "."):
                edges[module].add(target)
    return edges


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one member: the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(set(edges) | {t for targets in edges.values() for t in targets}):
        if node not in index:
            visit(node)
    return cycles


def _package(module: str) -> str:
    return module.split(".")[0]


def test_no_two_files_import_each_other_in_a_circle() -> None:
    assert _strongly_connected(_graph()) == []


def test_no_two_packages_import_each_other_in_a_circle() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in _graph().items():
        packages[_package(module)].update(_package(t) for t in targets if _package(t) != _package(module))
    assert _strongly_connected(packages) == []


def test_imports_only_go_down_the_floors() -> None:
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in _graph().items()
        for target in targets
        if FLOORS[_package(target)] > FLOORS[_package(module)]
    )
    assert upward == []


def test_the_ground_floor_imports_nothing_of_ours_above_it() -> None:
    above = sorted(
        f"{module} -> {target}"
        for module, targets in _graph().items()
        if _package(module) == "core"
        for target in targets
        if _package(target) != "core"
    )
    assert above == []


def test_only_storage_speaks_sql() -> None:
    speaking = sorted(
        module
        for module, path in _sources().items()
        if _package(module) != "storage"
        and any(name.split(".")[0] in SQL_PACKAGES for name in _imported_names(path))
    )
    assert speaking == []


@pytest.mark.parametrize("tree", ["product", "tests"])
def test_no_python_file_is_over_500_lines(tree: str) -> None:
    if tree == "product":
        paths = list(_sources().values())
    else:
        paths = sorted((ROOT / "tests").rglob("*.py"))
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in paths
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_every_package_has_a_floor() -> None:
    """A new top-level package must be given a floor here (and in docs/architecture.md)."""
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests"}
    }
    assert packages <= set(FLOORS)


def test_the_checker_sees_a_circle_when_there_is_one() -> None:
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
