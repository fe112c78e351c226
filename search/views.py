"""The public search page (全站检索), read without an account."""
from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from normative_docs.workflow import number_query

from . import selectors
from .forms import KIND_LABELS, SearchForm
from .models import PUBLIC_KINDS

PAGE_SIZE = 20


def options(choices, selected) -> SafeString:
    """The ``<option>`` elements of ``choices`` ((value, label) pairs), the ``selected`` value
    marked: written here rather than by a template loop, which took longer over the hundred-odd
    departments than the search itself."""
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (value, mark_safe(" selected") if value == selected else "", label) for value, label in choices))


@login_not_required
def search_page(request):
    form = SearchForm(request.GET or None)
    params = form.params() if request.GET else selectors.SearchParams()
    page, counts = None, {}
    if params.q:
        results, counts = selectors.search(params)
        paginator = selectors.CountedPaginator(results, PAGE_SIZE, count=selectors.browsable(counts, params.kind))
        page = paginator.get_page(request.GET.get("page"))
        number_search = number_query(params.q) is not None
        for entry in page:
            entry.title_html = selectors.highlight(entry.title, params.q)
            # a 文号 query matched the whole number: mark all of it, not the query's pieces
            entry.number_html = selectors.highlight(entry.number, entry.number if number_search else params.q)
            entry.snippet_html = selectors.snippet(entry.body_excerpt, params.q)
            entry.kind_label = KIND_LABELS[entry.kind]
    kinds = [(str(kind), KIND_LABELS[kind], counts.get(str(kind), 0)) for kind in PUBLIC_KINDS]
    total = sum(counts.values())
    facets = selectors.facets()
    return render(request, "search/index.html", {
        "year_options": options(((year, year) for year in facets["years"]), params.year),
        "department_options": options(facets["departments"], params.department),
        "status_options": options(((value, gettext(label)) for value, label in facets["statuses"]), params.status),
        "form": form, "params": params, "page": page, "kinds": kinds, "total": total,
        "count_cap": selectors.COUNT_CAP, "total_capped": total > selectors.COUNT_CAP,
        "counts_windowed": getattr(counts, "windowed", False),
        "facets": facets,
    })
