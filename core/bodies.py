"""The hierarchy of bodies (domain.md §9): which decision body a unit belongs to, which unit
reviews its legality, and which units lie under a body. The tree is small (dozens of rows), so
these read it whole once per call instead of walking parents row by row."""
from __future__ import annotations

from .models import Department


def _tree() -> dict[int, Department]:
    return {body.pk: body for body in Department.objects.only(
        "id", "code", "name", "short_name", "kind", "level", "parent_id", "is_decision_body", "review_unit_id")}


def decision_body_for(department: Department | int | None, *, tree: dict | None = None) -> Department | None:
    """The decision body a unit (or a unit's id) works for: itself when it is one (a government,
    or a department with its own catalog), else the nearest one above it. One query."""
    if department is None:
        return None
    if isinstance(department, Department) and department.is_decision_body:
        return department
    tree = tree or _tree()
    current = tree.get(department) if isinstance(department, int) else tree.get(department.pk, department)
    while current is not None and not current.is_decision_body:
        current = tree.get(current.parent_id)
    return current


def review_unit_for(department: Department | None) -> Department | None:
    """The legality-review unit of a unit's work: its own review unit when set, else that of its
    decision body (市司法局, the district's 司法局, the township's 司法所)."""
    if department is None:
        return None
    tree = _tree()
    current = tree.get(department.pk, department)
    while current is not None:
        if current.review_unit_id:
            return tree.get(current.review_unit_id) or Department.objects.get(pk=current.review_unit_id)
        current = tree.get(current.parent_id)
    return None


def units_under(body: Department) -> set[int]:
    """The ids of a body and every unit below it (a district: its departments and townships)."""
    children: dict[int | None, list[int]] = {}
    for unit in Department.objects.values("id", "parent_id"):
        children.setdefault(unit["parent_id"], []).append(unit["id"])
    found, todo = set(), [body.pk]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def body_of_units() -> dict[int, int]:
    """Every unit's decision body (unit id -> body id), from the hierarchy read once."""
    tree = _tree()
    found = {}
    for unit in tree.values():
        body = decision_body_for(unit, tree=tree)
        if body is not None:
            found[unit.pk] = body.pk
    return found


def units_of_body(body: Department) -> list[int]:
    """The units whose work belongs to ``body`` (itself and the departments under it that are not
    decision bodies of their own)."""
    return [unit for unit, owner in body_of_units().items() if owner == body.pk]


def city_government() -> Department:
    return Department.objects.filter(kind=Department.Kind.CITY).order_by("sort_order", "id").first()


def decision_bodies():
    """Every decision body, by level and the reference order."""
    return Department.objects.filter(is_decision_body=True).order_by("sort_order", "id")
