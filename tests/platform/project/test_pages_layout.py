"""Staff and public pages live in the app they belong to (issue 10 §2, docs/architecture.md): an
app's views render only that app's templates (or the project's shared ones, named without a
folder), each app's templates sit in ``<app>/templates/<app>/``, and its page URLs are named in the
app's own namespace."""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import hazeguard_platform

PLATFORM = Path(hazeguard_platform.__file__).parent


def _rendered_templates(app: Path) -> set[str]:
    """Every string literal ending in ``.html`` in the app's view modules."""
    found = set()
    for module in app.glob("*views*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and text.endswith(".html"):
                found.add(text)
    return found


def test_an_apps_views_render_only_its_own_templates() -> None:
    foreign = {
        f"{app.name}: {name}"
        for app in PLATFORM.iterdir()
        if (app / "__init__.py").exists()
        for name in _rendered_templates(app)
        if "/" in name and name.split("/")[0] != app.name
    }
    assert sorted(foreign) == []


def test_an_apps_templates_sit_in_its_own_folder() -> None:
    misplaced = [
        str(path.relative_to(PLATFORM))
        for path in PLATFORM.glob("*/templates/*/**/*.html")
        if path.relative_to(PLATFORM).parts[2] != path.relative_to(PLATFORM).parts[0]
    ]
    assert misplaced == []


def _views_by_namespace() -> dict[str, set[str]]:
    """``{namespace: {module of each view}}`` for the URL names of the platform's own apps."""
    found: dict[str, set[str]] = {}

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            else:
                module = getattr(pattern.callback, "__module__", "")
                if module.startswith("hazeguard_platform.") and namespace:
                    found.setdefault(namespace, set()).add(module.split(".")[1])

    walk(get_resolver().url_patterns, "")
    return found


def test_each_namespace_serves_the_views_of_one_app() -> None:
    mixed = {name: apps for name, apps in _views_by_namespace().items() if len(apps) > 1}
    assert mixed == {}
    # The staff pages moved out of web keep their URLs under their own apps' names.
    served = _views_by_namespace()
    assert served["forecasts"] == {"forecasts"}
    assert served["response"] == {"response"}
    assert served["web"] == {"web"}
