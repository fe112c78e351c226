from django import template

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The Chinese label of a lifecycle state code recorded in the audit trail."""
    from decisions.models import Catalog, CatalogAdjustment
    from decisions.workflow import DecisionStatus

    for choices in (DecisionStatus, Catalog.Status, CatalogAdjustment.Status):
        if value in choices.values:
            return str(choices(value).label)
    return value or "—"
