"""The URLs of views without arguments, reversed once per process.

A page reverses thirty or more of them (the header, the footer, the side navigation: ~17 µs each through
``reverse``, ~30 µs through ``{% url %}``); they change only with the URLconf, the script prefix and (with
translated patterns) the language, which are the key. The ``{% url %}`` tag of every template
(``core.templatetags.huzhou``, a builtin) and the side navigation read them from here; a URL with arguments
or ``as`` is reversed each time as before — except one whole-number argument (a row's primary key, one
link per row of every list): its view's URL is learned once as the text around the number
(``reverse_with_id``), checked against ``reverse`` for several numbers, and a view whose URL writes a number
otherwise (a converter of fixed width, a range) is reversed each time."""
from __future__ import annotations

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

_URLS: dict[tuple, str] = {}
MAX_URLS = 2048  # view names come from code: a bound that is never reached, not a cache policy


def reverse_static(view_name: str, current_app: str | None = None) -> str:
    key = (view_name, current_app, get_urlconf(), get_script_prefix(), get_language())
    url = _URLS.get(key)
    if url is None:
        url = reverse(view_name, current_app=current_app)
        if len(_URLS) >= MAX_URLS:
            _URLS.clear()
        _URLS[key] = url
    return url


#: (view name, current app, URLconf, script prefix, language) -> (text before the number, text after it), or
#: None when the view's URL is not that
_AROUND_ID: dict[tuple, tuple[str, str] | None] = {}
_PROBE = 8_734_295_107_362_514  # a number no URL contains by itself
_CHECKS = (0, 7, 42, 123_456)


def _around_id(view_name: str, current_app: str | None) -> tuple[str, str] | None:
    try:
        url = reverse(view_name, args=[_PROBE], current_app=current_app)
        if url.count(str(_PROBE)) != 1:
            return None
        before, after = url.split(str(_PROBE))
        if any(reverse(view_name, args=[n], current_app=current_app) != f"{before}{n}{after}" for n in _CHECKS):
            return None
    except NoReverseMatch:
        return None
    return before, after


def reverse_with_id(view_name: str, number: int, current_app: str | None = None) -> str:
    """``reverse(view_name, args=[number])`` for a whole number (not a bool, not negative)."""
    key = (view_name, current_app, get_urlconf(), get_script_prefix(), get_language())
    try:
        around = _AROUND_ID[key]
    except KeyError:
        if len(_AROUND_ID) >= MAX_URLS:
            _AROUND_ID.clear()
        around = _AROUND_ID[key] = _around_id(view_name, current_app)
    if around is None or number < 0:
        return reverse(view_name, args=[number], current_app=current_app)
    return f"{around[0]}{number}{around[1]}"


@receiver(setting_changed)
def _forget(*, setting, **_kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGE_CODE", "LANGUAGES"):
        _URLS.clear()
        _AROUND_ID.clear()


class StaticURLNode(URLNode):
    """Django's ``{% url %}``; without arguments, or with one whole number, and without ``as``, from
    ``reverse_static`` and ``reverse_with_id``."""

    def render(self, context):
        if self.kwargs or self.asvar or len(self.args) > 1:
            return super().render(context)
        number = None
        if self.args:
            number = self.args[0].resolve(context)
            if type(number) is not int:  # not a bool, not a string of digits
                return super().render(context)
        try:  # current_app as Django's URLNode finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        view_name = self.view_name.resolve(context)
        url = reverse_static(view_name, current_app) if number is None else reverse_with_id(view_name, number,
                                                                                           current_app)
        return conditional_escape(url) if context.autoescape else url
