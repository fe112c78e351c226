"""The Python-written <select> is the markup Django's templates write, escaping included."""
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from core.form_renderer import FastSelectRenderer


class Filter(forms.Form):
    body = forms.ChoiceField(label="单位", required=False, choices=[("", "全部"), ("1", "湖州市<司法局>"),
                                                                 ("2", 'a "quoted" & body')])
    grouped = forms.ChoiceField(choices=[("市级", [("3", "市政府")]), ("4", "其他")])
    many = forms.MultipleChoiceField(choices=[("5", "甲"), ("6", "乙")], required=False)


@pytest.mark.parametrize("data", [{}, {"body": "2", "grouped": "3", "many": ["5", "6"]}])
def test_the_python_select_is_the_template_select(data):
    fast = str(Filter(data or None, renderer=FastSelectRenderer()))
    slow = str(Filter(data or None, renderer=DjangoTemplates()))
    assert fast == slow
    assert "湖州市&lt;司法局&gt;" in fast
