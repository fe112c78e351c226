"""Query-string filters with a range: an id or a year out of range is a 400, never a database error."""
from __future__ import annotations

import django_filters
from django import forms

#: PostgreSQL bigint — the largest primary key a filter can name.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A primary key (department, body, issuer …): a positive whole number."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A calendar year the portal can hold (1949–2200)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1949)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)
