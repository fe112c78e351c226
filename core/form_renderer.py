"""A form renderer that writes ``<select>`` elements in Python (decision record 0023).

Django renders each ``<option>`` through two template includes; a list page's filter form with the
bodies of the city (a hundred and more options) spent more time there than on its SQL. The markup is
the same as Django's ``select.html``/``select_option.html``/``attrs.html``; every other widget is
rendered by the templates as before."""
from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

SELECT_TEMPLATES = ("django/forms/widgets/select.html",)


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


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in SELECT_TEMPLATES and "optgroups" in context.get("widget", {}):
            return render_select(context["widget"])
        return super().render(template_name, context, request)
