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


class Inputs(forms.Form):
    q = forms.CharField(label="名称", required=False, max_length=50)
    year = forms.IntegerField(min_value=2000, max_value=2100)
    mail = forms.EmailField(widget=forms.EmailInput(attrs={"placeholder": '<"x"> & y', "autofocus": True,
                                                             "disabled": False}))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    day = forms.DateField(widget=forms.DateInput)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    note = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize("data", [{}, {"q": 'a "quoted" <b>&', "year": "12", "mail": "x@", "hidden": "h<1>",
                                       "when": "2026-03-01T09:30", "day": "2026-13-01", "secret": "p&w",
                                       "note": "<n>"}])
def test_the_python_input_is_the_template_input(data):
    fast = str(Inputs(data or None, renderer=FastSelectRenderer()))
    slow = str(Inputs(data or None, renderer=DjangoTemplates()))
    assert fast == slow
    assert ('value="a &quot;quoted&quot; &lt;b&gt;&amp;"' in fast) is bool(data)
