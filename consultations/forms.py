from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PublicComment
from .services import BODY_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(label=_("意见内容"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("不超过5000字；经审核后公开（不公开联系方式）。"))
    name = forms.CharField(label=_("姓名或名称"), required=False, max_length=100, help_text=_("选填；填写的将与意见一并公开。"))
    email = forms.EmailField(label=_("电子邮箱"), required=False, max_length=254,
                             help_text=_("选填；不公开，公布采纳情况时将通知您。"))
    contact = forms.CharField(label=_("其他联系方式"), required=False, max_length=100, help_text=_("选填；不公开。"))
    #: Honeypot: hidden from people, filled in by robots.
    homepage = forms.CharField(label=_("请勿填写此项"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)


class ModerateForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审核结果"), coerce=lambda v: v == "1",
                                     choices=[("", "—"), ("1", _("公开")), ("0", _("不予公开"))])
    reason = forms.CharField(label=_("不予公开的理由"), required=False, max_length=300)


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label=_("采纳情况"), choices=[("", "—")] + PublicComment.Disposition.choices)
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("部分采纳、不予采纳的须说明理由。"))


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("意见采纳情况说明"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
