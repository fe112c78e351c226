"""Keyset pagination for every list (decision record 0023).

A page is found from the last (or first) row of the page before it, never by ``OFFSET``, so a page
fifty clicks deep costs what page 1 costs: the list's index is read from the cursor onwards. The
cursor is opaque (URL-safe base64 of the order's values; it is decoded and checked, never trusted),
the order is stable (it ends with the primary key) and no list counts its table: ``count`` stops
at ``COUNT_CAP + 1`` (shown "1000+"), one bounded query.

    page = keyset_page(request, queryset, order=("-updated_at", "-id"))
    page.object_list / iteration, page.has_next, page.next_query ("cursor=…&status=…"), page.count_label

Nullable order fields are placed as PostgreSQL orders them (nulls last ascending, first descending).
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import F, OrderBy, Q, QuerySet

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: Rows counted per list at most; beyond it the page says "1000+".
COUNT_CAP = 1000


class BadCursor(ValueError):
    pass


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(direction: str, values: Sequence) -> str:
    raw = json.dumps([direction, *(_plain(v) for v in values)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, fields: int) -> tuple[str, list]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as error:
        raise BadCursor(cursor) from error
    if not isinstance(data, list) or len(data) != fields + 1 or data[0] not in ("n", "p"):
        raise BadCursor(cursor)
    if not all(v is None or isinstance(v, str | int | float) and not isinstance(v, bool) for v in data[1:]):
        raise BadCursor(cursor)
    return data[0], data[1:]


def _order_field(queryset: QuerySet, name: str):
    field = _field(name)[0]
    annotation = queryset.query.annotations.get(field)
    return annotation.output_field if annotation is not None else _path_field(queryset.model, field)


def _checked(queryset: QuerySet, order: Sequence[str], values: Sequence) -> list:
    """The cursor's values as the order's fields hold them; ``BadCursor`` for one that does not fit
    (a hand-edited cursor of the right length: a date that is no date, a number out of range, a NUL)."""
    checked = []
    for name, value in zip(order, values):
        field = _order_field(queryset, name)
        if value is None:
            if not _nullable(queryset, name):
                raise BadCursor(value)
            checked.append(None)
            continue
        if isinstance(value, str) and "\x00" in value:
            raise BadCursor(value)
        try:
            value = field.to_python(value)
        except (ValidationError, ValueError, TypeError, OverflowError) as error:
            raise BadCursor(value) from error
        if isinstance(value, int) and not -2 ** 63 <= value < 2 ** 63:
            raise BadCursor(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise BadCursor(value)
        checked.append(value)
    return checked


def _field(name: str) -> tuple[str, bool]:
    return (name[1:], True) if name.startswith("-") else (name, False)


def after(order: Sequence[str], values: Sequence, *, backwards: bool = False,
          nullable: Sequence[bool] | None = None) -> Q:
    """Rows after ``values`` in ``order`` (before them with ``backwards``), written so that the
    order's index is read from that point: ``f1 <= v1 AND (f1 < v1 OR (f2 <= v2 AND (f2 < v2 OR …)))``
    for descending fields (the naive ``f1 < v1 OR (f1 = v1 AND …)`` walks the index from the top).
    A ``nullable`` field follows PostgreSQL's order: nulls last ascending, first descending."""
    nullable = list(nullable) if nullable is not None else [False] * len(order)
    condition = None
    for name, value, can_be_null in reversed(list(zip(order, values, nullable))):
        field, descending = _field(name)
        less = descending != backwards  # the walk goes towards smaller values (nulls before all)
        if value is None:  # only a nullable field: later rows are the non-null ones (walking down)
            later = Q(**{f"{field}__isnull": False}) if less else Q(pk__in=[])
            level = later if condition is None else later | (Q(**{f"{field}__isnull": True}) & condition)
        else:
            strict = Q(**{f"{field}__{'lt' if less else 'gt'}": value})
            if condition is None:
                level = strict
            else:
                level = Q(**{f"{field}__{'lte' if less else 'gte'}": value}) & (strict | condition)
            if can_be_null and not less:
                level |= Q(**{f"{field}__isnull": True})
        condition = level
    return condition or Q()


def _reversed(order: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in order]


def _value(row, name: str):
    value = row
    for part in _field(name)[0].split("__"):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part)
    return value


class KeysetPage(Sequence):
    """One page of a list; ``paginator`` is the page itself for templates that ask ``page.paginator.count``."""

    def __init__(self, object_list: list, *, order: Sequence[str], has_next: bool, has_previous: bool,
                 count, params: dict[str, str], param: str, per_page: int):
        self.object_list = object_list
        self.order = list(order)
        self.has_next, self.has_previous = has_next, has_previous
        self._count = count  # an int, None (not counted) or a callable: counted when first asked
        self.params, self.param, self.per_page = params, param, per_page
        self.paginator = self

    @property
    def count(self) -> int | None:
        """The rows, counted up to ``COUNT_CAP + 1`` — only if a template or the API asks (one query)."""
        if callable(self._count):
            self._count = self._count()
        return self._count

    @property
    def count_capped(self) -> bool:
        return self.count is not None and self.count > COUNT_CAP

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def count_label(self) -> str:
        """"37", or "1000+" past the cap (never an exact count of a big table)."""
        if self.count is None:
            return ""
        return f"{COUNT_CAP}+" if self.count_capped else str(self.count)

    def _query(self, cursor: str | None) -> str:
        params = {k: v for k, v in self.params.items() if k not in (self.param, "page")}
        if cursor:
            params[self.param] = cursor
        return urlencode(params)

    @property
    def next_cursor(self) -> str | None:
        if not self.has_next or not self.object_list:
            return None
        return encode_cursor("n", [_value(self.object_list[-1], name) for name in self.order])

    @property
    def previous_cursor(self) -> str | None:
        if not self.has_previous or not self.object_list:
            return None
        return encode_cursor("p", [_value(self.object_list[0], name) for name in self.order])

    @property
    def next_query(self) -> str:
        return self._query(self.next_cursor)

    @property
    def previous_query(self) -> str:
        return self._query(self.previous_cursor)

    @property
    def first_query(self) -> str:
        return self._query(None)


def capped_count(queryset: QuerySet) -> int:
    """The number of rows, counted up to ``COUNT_CAP + 1`` (one bounded query)."""
    return queryset.order_by()[:COUNT_CAP + 1].count()


def order_of(queryset: QuerySet) -> list[str]:
    """The queryset's order (its ``order_by`` or the model's ``ordering``) made total: ending with
    the primary key. Every entry must be a field name (no expression)."""
    order = list(queryset.query.order_by or queryset.model._meta.ordering)
    names = []
    for name in order:
        if isinstance(name, OrderBy) and isinstance(name.expression, F):
            name = ("-" if name.descending else "") + name.expression.name
        if not isinstance(name, str):
            raise TypeError(f"keyset order needs field names, not {name!r} ({queryset.model.__name__})")
        names.append(name)
        if _field(name)[0] not in queryset.query.annotations and _path_field(
                queryset.model, _field(name)[0]).primary_key:
            return names
    descending = names[0].startswith("-") if names else True
    return [*names, "-pk" if descending else "pk"]


def _path_field(model, path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        model = field.related_model or model
    return field


def _nullable(queryset: QuerySet, name: str) -> bool:
    """Whether an order field may be null (an annotation may always be)."""
    field = _field(name)[0]
    return True if field in queryset.query.annotations else _path_field(queryset.model, field).null


def keyset_page(request_or_params, queryset: QuerySet, *, order: Sequence[str] | None = None,
                per_page: int = PAGE_SIZE, param: str = "cursor", count: bool = True) -> KeysetPage:
    """The page of ``queryset`` in ``order`` (by default the queryset's own, ``order_of``) the
    request's ``param`` cursor names (the first without one, or with a cursor that does not
    decode). ``count``: also count the rows, capped."""
    params = request_or_params.GET if hasattr(request_or_params, "GET") else request_or_params
    order = list(order) if order is not None else order_of(queryset)
    per_page = max(1, min(per_page, MAX_PAGE_SIZE))
    direction, values = "", []
    cursor = params.get(param, "")
    if cursor:
        try:
            direction, values = decode_cursor(cursor, len(order))
            values = _checked(queryset, order, values)
        except BadCursor:
            direction = ""
    rows = queryset
    nullable = [_nullable(queryset, name) for name in order]
    if direction == "n":
        rows = rows.filter(after(order, values, nullable=nullable)).order_by(*order)
    elif direction == "p":
        rows = rows.filter(after(order, values, backwards=True, nullable=nullable)).order_by(*_reversed(order))
    else:
        rows = rows.order_by(*order)
    found = list(rows[:per_page + 1])
    more = len(found) > per_page
    found = found[:per_page]
    if direction == "p":
        found.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, direction == "n"
    if not count:
        total = None
    elif not direction and not more:
        total = len(found)  # the whole list is on page 1
    else:
        total = lambda: capped_count(queryset)  # noqa: E731  counted only when shown
    return KeysetPage(found, order=order, has_next=has_next, has_previous=has_previous, count=total,
                      params={k: params.get(k) for k in params}, param=param, per_page=per_page)
