from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Topic
from .services import SEARCH_QUERY_MAX_LENGTH


class TopicsForm(forms.Form):
    topics = forms.MultipleChoiceField(label=_("订阅内容"), choices=Topic.choices,
                                       widget=forms.CheckboxSelectMultiple)
    search_query = forms.CharField(label=_("检索关键词"), required=False, max_length=SEARCH_QUERY_MAX_LENGTH,
                                   help_text=_("选择“按关键词检索的新内容”时填写，例如“停车”或文号。"))


class SubscribeForm(TopicsForm):
    email = forms.EmailField(label=_("电子邮箱"), max_length=254,
                             help_text=_("我们只保存您的邮箱和订阅内容；退订后邮箱即被删除。"))
    #: Honeypot: hidden from people, filled in by robots.
    homepage = forms.CharField(label=_("请勿填写此项"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    field_order = ["email", "topics", "search_query", "homepage"]
