"""A form renderer that writes ``<select>`` elements in Python (decision record 0023).

Django renders each ``<option>`` through two template includes; a list page's filter form with the
bodies of the city (a hundred and more options) spent more time there than on its SQL. The markup is
the same as Django's ``select.html``/``select_option.html``/``attrs.html``. The one-line ``<input>``
widgets (``input.html`` under the text, number, search… templates: ~0.12 ms each through the templates, every
list's filter has two or three) are written in Python too; every other widget is rendered by the templates as
before."""
from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

SELECT_TEMPLATES = ("django/forms/widgets/select.html",)
#: the templates that are ``{% include "django/forms/widgets/input.html" %}`` and nothing else
INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "number", "email", "search", "url", "tel", "password", "hidden", "date", "time", "datetime",
    "color"))


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items() if value is not False)


def render_select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_input(widget: dict) -> str:
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"' \
           f'{value}{_attrs(widget["attrs"])}>'


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget", {})
        if template_name in SELECT_TEMPLATES and "optgroups" in widget:
            return render_select(widget)
        if template_name in INPUT_TEMPLATES and "type" in widget:
            return render_input(widget)
        return super().render(template_name, context, request)
