"""The house stays clear (docs/architecture.md): no import circle between modules, and none
between the rooms of the package (a top-level module or sub-package), so every room stands on a
floor above what it imports. Imports inside functions count: a late import is still a tie."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import finance

ROOT = Path(finance.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """The finance modules ``path`` imports (``from finance.x import y`` counts ``finance.x.y``
    when that is a module, else ``finance.x``)."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                base = ".".join(anchor[: len(anchor) - node.level + 1] + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        out |= {t for t in targets if t in MODULES and t != name}
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _room(module: str) -> str:
    """A module's room: ``finance.x`` for a top-level module or any module of package x."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            members = []
            while True:
                w = stack.pop()
                on.discard(w)
                members.append(w)
                if w == v:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _edges(graph: dict[str, set[str]], members: Iterable[str]) -> list[str]:
    inside = set(members)
    return sorted(f"{a} -> {b}" for a in inside for b in graph.get(a, ()) if b in inside)


def test_no_import_circle_between_modules() -> None:
    # a package's __init__ only hands its modules' names on: its ties to them are not circles
    graph = {
        a: {b for b in bs if not (MODULES[a].name == "__init__.py" and b.startswith(a + "."))}
        for a, bs in GRAPH.items()
    }
    assert [_edges(graph, c) for c in _cycles(graph)] == []


def test_no_import_runs_back_up_a_floor() -> None:
    rooms: dict[str, set[str]] = {}
    for a, bs in GRAPH.items():
        rooms.setdefault(_room(a), set()).update(_room(b) for b in bs if _room(b) != _room(a))
    assert [_edges(rooms, c) for c in _cycles(rooms)] == []


def test_what_a_month_computes_stands_below_its_readers() -> None:
    readers = (
        "finance.report",
        "finance.alerts",
        "finance.reconcile",
        "finance.pipeline",
        "finance.cli",
        "finance.digest",
        "finance.watch",
    )
    below = {"finance.month", "finance.margin", "finance.allocate", "finance.store"}
    for module in below:
        assert not any(i.startswith(readers) for i in GRAPH[module]), (module, GRAPH[module])
