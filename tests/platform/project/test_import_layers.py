"""The platform's apps import each other in one direction (STYLE.md §24): no import circle runs
through modules of two apps, and the apps the response orchestrates never import it back.

The graph is read from the source with ``ast``, every import counted, also those inside
functions (a lazy import is still a dependency)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import hazeguard_platform

ROOT = Path(hazeguard_platform.__file__).parent
ORCHESTRATED = ("warnings", "operations", "enterprises", "notices")


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = ("hazeguard_platform", *path.relative_to(ROOT).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, known: dict[str, Path]) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in known else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {
        name: {target for target in _imports(path, known) if target in known and target != name}
        for name, path in known.items()
    }


def _app(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"p.a.x": {"p.b.y"}, "p.b.y": {"p.a.x"}, "p.c.z": {"p.a.x"}}
    assert _circles(graph) == [["p.a.x", "p.b.y"]]


def test_no_import_circle_runs_through_two_apps() -> None:
    across = [c for c in _circles(_graph()) if len({_app(module) for module in c}) > 1]
    assert across == [], "import circles across apps: " + "; ".join(" ↔ ".join(c) for c in across)


def test_the_orchestrated_apps_never_import_the_response() -> None:
    graph = _graph()
    back = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        if _app(module) in ORCHESTRATED
        for target in targets
        if _app(target) == "response"
    )
    assert back == []


def test_warnings_import_none_of_the_apps_that_act_on_them() -> None:
    graph = _graph()
    upward = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        if _app(module) == "warnings"
        for target in targets
        if _app(target) in ORCHESTRATED and _app(target) != "warnings"
    )
    assert upward == []
