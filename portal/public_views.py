"""What the public reads without an account: only published, disclosable items."""
from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from core.disclosure import disclosure_context
from core.keyset import keyset_page
from core.models import Department
from decisions import selectors
from decisions.models import Catalog, CatalogItem, Decision
from decisions.workflow import PUBLISHED_STATES


@login_not_required
def site_map(request):
    """网站地图: every public section in one page (and, signed in, the work navigation)."""
    return render(request, "public/site_map.html")


@login_not_required
def home(request):
    years = selectors.public_catalog_years()
    latest = list(selectors.public_decision_list()[:8])
    return render(request, "public/home.html", {"years": years, "latest": latest})


@login_not_required
def catalog_index(request):
    """Every decision body's published catalogs, by year and level, filtered by year and level."""
    year = request.GET.get("year", "")
    level = request.GET.get("level", "")
    year = int(year) if year.isdigit() else None
    level = level if level in Department.Level.values else None
    catalogs = selectors.public_catalog_index(year=year, level=level)
    return render(request, "public/catalog_index.html", {
        "catalogs": catalogs, "years": selectors.public_catalog_years(), "levels": Department.Level.choices,
        "filters": {"year": year, "level": level or ""}})


#: A catalog page shows this many items at most; a bigger catalog continues on the next page.
CATALOG_PAGE_SIZE = 100


@login_not_required
def catalog_year(request, year: int):
    return _catalog_page(request, year=year, body=None)


@login_not_required
def catalog_body_year(request, year: int, body: str):
    found = Department.objects.filter(code=body, is_decision_body=True).first()
    if found is None:
        raise Http404
    return _catalog_page(request, year=year, body=found)


def _catalog_page(request, *, year: int, body):
    try:
        catalog = selectors.public_catalog_get(year=year, body=body)
    except Catalog.DoesNotExist:
        raise Http404
    items = keyset_page(request, selectors.public_catalog_items(catalog), per_page=CATALOG_PAGE_SIZE)
    adjustments = selectors.public_catalog_adjustments(catalog)
    return render(request, "public/catalog.html", {"catalog": catalog, "items": items, "page": items,
                                                   "adjustments": adjustments,
                                                   **disclosure_context(request, catalog)})


@login_not_required
def catalog_item(request, year: int, pk: int):
    try:
        item = selectors.public_catalog_item_get(year=year, item_id=pk)
    except CatalogItem.DoesNotExist:
        raise Http404
    return render(request, "public/catalog_item.html", {"item": item, "catalog": item.catalog})


@login_not_required
def decision_list(request):
    year = request.GET.get("year")
    page = keyset_page(request, selectors.public_decision_list(year=int(year) if year and year.isdigit() else None))
    return render(request, "public/decision_list.html", {"page": page})


@login_not_required
def decision_detail(request, pk: int):
    try:
        decision = selectors.public_decision_get(decision_id=pk)
    except Decision.DoesNotExist:
        raise Http404
    records = [r for r in decision.procedure_records.all() if r.round == decision.round]
    return render(request, "public/decision_detail.html", {
        "decision": decision, "records": records, "published_states": PUBLISHED_STATES,
        **disclosure_context(request, decision),
    })


@login_not_required
def execution_tracker(request):
    """决策执行情况: public decisions in execution, their reported progress and post-evaluations."""
    def number(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    department, year = number("department"), number("year")
    decisions = selectors.public_execution_tracker(department=department, year=year)
    page = keyset_page(request, decisions)
    return render(request, "public/execution_tracker.html", {
        "page": page, "facets": selectors.public_execution_tracker_facets(),
        "department": department, "year": year,
    })
