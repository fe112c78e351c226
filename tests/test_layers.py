"""Imports point down only (STYLE.md, "Layers"; decision record 0018).

Every module of every app is parsed with ``ast`` and each import — at module level or inside a
function, absolute or relative — is checked against the table below. A lower layer that must
call up takes a registry instead (review outcome handlers, disclosure kinds, feeds, audit
state labels)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BELOW_LIFECYCLES = {"core", "deadlines", "reviews"}
LIFECYCLES = {"decisions", "normative_docs", "enforcement", "consultations", "search", "subscriptions", "contracts",
              "legal_affairs"}

#: For each app, the other apps its modules may import. Lifecycles and features share a layer:
#: the imports between them listed here are today's (a new one is a decision, not a slip).
ALLOWED: dict[str, set[str]] = {
    # core: identity, departments, audit, calendar, sequences, attachment storage, disclosure numbering, errors
    "core": set(),
    # deadlines: clocks, reminders, outbox
    "deadlines": {"core"},
    # reviews: the shared legality review queue (opens clocks in deadlines)
    "reviews": {"core", "deadlines"},
    # lifecycles and features
    "decisions": BELOW_LIFECYCLES | {"consultations"},
    "normative_docs": BELOW_LIFECYCLES | {"decisions", "consultations"},
    "enforcement": BELOW_LIFECYCLES | {"decisions"},
    "consultations": BELOW_LIFECYCLES | {"decisions", "normative_docs"},
    "search": BELOW_LIFECYCLES | {"decisions", "normative_docs", "enforcement"},
    "subscriptions": BELOW_LIFECYCLES | {"search"},
    "contracts": BELOW_LIFECYCLES,
    "legal_affairs": BELOW_LIFECYCLES,
    # the public face and the staff face across apps
    "portal": BELOW_LIFECYCLES | LIFECYCLES,
    "workbench": BELOW_LIFECYCLES | LIFECYCLES,
    # the project: settings and the root URLconf
    "huzhou_rule": BELOW_LIFECYCLES | LIFECYCLES | {"portal", "workbench"},
}


def apps_on_disk(root: Path = ROOT) -> set[str]:
    return {path.parent.name for path in root.glob("*/apps.py")} | {"huzhou_rule"}


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, those inside functions included."""
    package = list(path.relative_to(root).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            found.append((node.lineno, ".".join(base + ([node.module] if node.module else []))))
    return sorted(found)


def layer_violations(root: Path = ROOT) -> list[str]:
    """One line per import against the table: where, what, and what the app may import."""
    apps = apps_on_disk(root)
    problems = []
    for app in sorted(apps):
        for path in sorted((root / app).rglob("*.py")):
            for line, module in imported_modules(path, root):
                target = module.split(".")[0]
                if target in apps and target != app and target not in ALLOWED.get(app, set()):
                    allowed = ", ".join(sorted(ALLOWED.get(app, set()))) or "no other app"
                    problems.append(f"{path.relative_to(root)}:{line} imports {module} "
                                    f"({app} may import {allowed})")
    return problems


def test_every_app_has_a_place_in_the_layer_table():
    assert sorted(apps_on_disk() - set(ALLOWED)) == []


def test_imports_point_down_only():
    problems = layer_violations()
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def _app(root: Path, name: str, **modules: str) -> None:
    (root / name).mkdir()
    (root / name / "apps.py").write_text("")
    for module, source in modules.items():
        path = root / name / f"{module.replace('.', '/')}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


def test_an_upward_import_inside_a_function_is_named(tmp_path):
    _app(tmp_path, "deadlines", services="def policy_length(): pass\n")
    _app(tmp_path, "core", models="def clock_due_changed():\n    from deadlines.services import policy_length\n")

    assert layer_violations(tmp_path) == [
        "core/models.py:2 imports deadlines.services (core may import no other app)"]


def test_a_relative_import_resolves_to_its_own_app(tmp_path):
    _app(tmp_path, "deadlines")
    _app(tmp_path, "core", **{"api.views": "from ..models import User\nfrom . import serializers\n"})

    assert imported_modules(tmp_path / "core" / "api" / "views.py", tmp_path) == [
        (1, "core.models"), (2, "core.api")]
    assert layer_violations(tmp_path) == []
