"""Forms of the deadline pages. They parse input only; what is allowed is decided
by ``deadlines.services``."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Department
from core.workdays import local_today

from . import rules
from .models import ClockPause, DeadlineKind, NotificationPreference

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClockPauseForm(forms.Form):
    reason_kind = forms.ChoiceField(label=_("中止事由"), choices=[("", "—")] + ClockPause.Reason.choices)
    reason = forms.CharField(label=_("具体情况"), max_length=300,
                             help_text=_("写明中止的事实和依据，例如“当事人申请补正材料，通知书文号……”。"))
    paused_on = forms.DateField(label=_("中止日期"), widget=DATE_WIDGET,
                                help_text=_("中止当日计入期限，自次日起不计算。"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "pause")
        super().__init__(*args, **kwargs)
        self.fields["paused_on"].initial = local_today


class ClockResumeForm(forms.Form):
    resumed_on = forms.DateField(label=_("恢复日期"), widget=DATE_WIDGET,
                                 help_text=_("中止事由消除之日；自次日起继续计算。"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "resume")
        super().__init__(*args, **kwargs)
        self.fields["resumed_on"].initial = local_today


class ClockExtendForm(forms.Form):
    length = forms.IntegerField(label=_("延长期限"), min_value=1,
                                help_text=_("与原期限单位相同，且不超过原期限；只能延长一次。"))
    reason = forms.CharField(label=_("延长理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "extend")
        super().__init__(*args, **kwargs)


class OverdueFilterForm(forms.Form):
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=Department.objects.none(), required=False,
                                        empty_label=_("全部"))
    rule = forms.ChoiceField(label=_("期限规则"), required=False)
    kind = forms.ChoiceField(label=_("期限性质"), required=False,
                             choices=[("", _("全部"))] + DeadlineKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.only("id", "name").order_by("sort_order", "id")
        self.fields["rule"].choices = [("", _("全部"))] + sorted(
            ((code, _(rule.label)) for code, rule in rules.RULES.items()), key=lambda c: c[1])

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        department = self.cleaned_data.get("department")
        return {"department": department.pk if department else None, "rule": self.cleaned_data.get("rule") or None,
                "kind": self.cleaned_data.get("kind") or None}


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(label=_("邮件提醒方式"), choices=NotificationPreference.EmailMode.choices,
                                   widget=forms.RadioSelect)
