"""Links to a subject's consultations from pages this app does not own."""
from django import template

from consultations import selectors

register = template.Library()


@register.simple_tag
def consultations_for(subject, public: bool = False):
    """``{% consultations_for decision as rows %}``; ``public=True`` on public pages."""
    return selectors.consultations_for_subject(subject, public=public)
