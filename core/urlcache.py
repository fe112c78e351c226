"""The URLs of views without arguments, reversed once per process.

A page reverses thirty or more of them (the header, the footer, the side navigation: ~17 µs each through
``reverse``, ~30 µs through ``{% url %}``); they change only with the URLconf, the script prefix and (with
translated patterns) the language, which are the key. The ``{% url %}`` tag of every template
(``core.templatetags.huzhou``, a builtin) and the side navigation read them from here; a URL with arguments
or ``as`` is reversed each time as before."""
from __future__ import annotations

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.urls import get_script_prefix, get_urlconf, reverse
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


@receiver(setting_changed)
def _forget(*, setting, **_kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGE_CODE", "LANGUAGES"):
        _URLS.clear()


class StaticURLNode(URLNode):
    """Django's ``{% url %}``; without arguments and without ``as``, from ``reverse_static``."""

    def render(self, context):
        if self.args or self.kwargs or self.asvar:
            return super().render(context)
        try:  # current_app as Django's URLNode finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = reverse_static(self.view_name.resolve(context), current_app)
        return conditional_escape(url) if context.autoescape else url
