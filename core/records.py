"""Structured records (a procedure's fields): parsing and validation shared by every lifecycle.

A record is described by ``(key, label, kind, required)`` tuples; kinds are ``date``, ``int``,
``bool``, ``text`` and ``textarea``, plus any kind with a parser in ``extra_parsers``."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

Field = tuple[str, str, str, bool]


def parse_value(kind: str, raw: Any, extra_parsers: dict[str, Callable] | None = None):
    if extra_parsers and kind in extra_parsers:
        return extra_parsers[kind](raw)
    if kind == "date":
        return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
    if kind == "int":
        value = int(raw)
        if value < 0:
            raise ValueError
        return value
    if kind == "bool":
        return raw in (True, "true", "on", "1", 1, "True")
    return str(raw).strip()


def clean_fields(fields: Iterable[Field], raw: dict[str, Any],
                 extra_parsers: dict[str, Callable] | None = None) -> tuple[dict[str, Any], list[str]]:
    """(clean values, Chinese errors): required fields present, booleans confirmed, formats right."""
    clean: dict[str, Any] = {}
    errors: list[str] = []
    for key, label, kind, required in fields:
        value = raw.get(key)
        if value in (None, "") or (kind == "bool" and not parse_value("bool", value)):
            if required:
                errors.append(_("请填写“%(label)s”。") % {"label": label} if kind != "bool"
                              else _("须确认：%(label)s。") % {"label": label})
            continue
        try:
            clean[key] = parse_value(kind, value, extra_parsers)
        except (ValueError, TypeError):
            errors.append(_("“%(label)s”格式不正确。") % {"label": label})
    return clean, errors


def json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
