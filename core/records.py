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


def display_rows(fields: Iterable[Field], details: dict[str, Any],
                 value_labels: dict[str, Callable[[Any], str]] | None = None) -> list[tuple[str, str]]:
    """A stored record as a person reads it: (label, value) for each filled field in the record's
    order; dates as 2026年3月28日, a confirmation as 是, a choice by its label (``value_labels``
    maps a kind to the function naming its values), never the stored code."""
    from django.utils import dateformat

    rows = []
    for key, label, kind, _required in fields:
        value = (details or {}).get(key)
        if value in (None, ""):
            continue
        if value_labels and kind in value_labels:
            shown = value_labels[kind](value)
        elif kind == "bool":
            shown = _("是") if value is True or value in ("true", "on", "1", "True") else _("否")
        elif kind == "date":
            try:
                shown = dateformat.format(dt.date.fromisoformat(str(value)), _("Y年n月j日"))
            except ValueError:
                shown = str(value)
        else:
            shown = str(value)
        rows.append((_(label), shown))
    return rows
