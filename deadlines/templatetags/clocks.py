from django import template

from deadlines.selectors import may_see_clock

register = template.Library()


@register.filter
def clock_opens_for(clock, user) -> bool:
    """``{% if c|clock_opens_for:user %}``: whether the clock's page opens for ``user`` (the rule of the
    page itself), so that a table of an item's clocks links only to the pages that do not answer 404."""
    return may_see_clock(user, clock)
