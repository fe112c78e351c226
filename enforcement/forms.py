"""Input shape of the enforcement case pages. No rules beyond field validation: the
services decide what is allowed (ID numbers, officers' certificates, deadlines …)."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from core.models import User
from deadlines.models import ClockPause
from decisions.forms import DATE

from .models import Recusal
from .workflow import (
    CaseStatus,
    EnforcementKind,
    EnforcementWay,
    KeyArea,
    NoPenaltyGround,
    Outcome,
    PartyType,
    PenaltyType,
    RecordKind,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class SecretTextInput(forms.TextInput):
    """A text box that never writes its value back into the page (an ID number typed into
    a form that comes back with errors is typed again, not shown in the clear)."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.display_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.display_name


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + CaseStatus.choices)
    key_area = forms.ChoiceField(label=_("重点领域"), required=False, choices=[("", _("全部"))] + KeyArea.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class ClueForm(forms.Form):
    """登记线索: every field of the clue; the service checks the ID number."""

    title = forms.CharField(label=_("案由"), max_length=200)
    clue_source = forms.CharField(label=_("线索来源"), max_length=100, help_text=_("如：群众投诉（12345）、日常检查、上级交办"))
    clue_received_on = forms.DateField(label=_("线索登记日期"), widget=DATE)
    key_area = forms.ChoiceField(label=_("重点领域"), choices=KeyArea.choices)
    kind = forms.ChoiceField(label=_("执法类型"), choices=EnforcementKind.choices)
    ways = forms.MultipleChoiceField(label=_("执法方式"), choices=EnforcementWay.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    party_type = forms.ChoiceField(label=_("当事人类型"), choices=PartyType.choices)
    party_name = forms.CharField(label=_("当事人"), max_length=200)
    party_id_number = forms.CharField(label=_("身份证号或统一社会信用代码"), max_length=30,
                                      widget=SecretTextInput(attrs={"autocomplete": "off"}),
                                      help_text=_("表单有误退回时须重新填写。"))
    party_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    party_address = forms.CharField(label=_("住所或地址"), max_length=200, required=False)
    party_aliases = forms.CharField(label=_("当事人曾用名或别名"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("每行一个；公开时与姓名一样脱敏。"))
    facts = forms.CharField(label=_("线索内容（涉嫌违法事实）"), required=False, widget=TEXTAREA)
    complex_case = forms.BooleanField(label=_("疑难复杂案件"), required=False)
    public_interest = forms.BooleanField(label=_("涉及重大公共利益"), required=False)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("环节"), choices=RecordKind.choices)
    happened_at = forms.DateTimeField(label=_("时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    place = forms.CharField(label=_("地点"), max_length=200)
    summary = forms.CharField(label=_("情况记录"), widget=forms.Textarea(attrs={"rows": 5}))
    officers = OfficerChoiceField(label=_("执法人员（出示执法证件）"), queryset=User.objects.none(),
                                  widget=forms.CheckboxSelectMultiple)
    has_audio_video = forms.BooleanField(label=_("已全程音像记录"), required=False)
    files = MultipleFileField(label=_("记录文件（笔录、照片、音像记录说明等）"), required=False)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["officers"].queryset = officers

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["officer_ids"] = [u.pk for u in data.pop("officers")]
        return data


# ------------------------------------------------------------------ actions
class ConfirmForm(forms.Form):
    """An action without input."""


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)


class OpenForm(forms.Form):
    officer_ids = OfficerChoiceField(label=_("承办执法人员（不少于两人，持有效执法证件）"), queryset=User.objects.none(),
                                     widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("审批意见"), required=False, widget=TEXTAREA)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["officer_ids"].queryset = officers

    def service_data(self) -> dict:
        return {"officer_ids": [u.pk for u in self.cleaned_data["officer_ids"]], "note": self.cleaned_data["note"]}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=TEXTAREA)


class RecusalRequestForm(forms.Form):
    officer_id = PersonChoiceField(label=_("申请回避的执法人员"), queryset=User.objects.none())
    reason = forms.CharField(label=_("申请理由"), widget=TEXTAREA)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["officer_id"].queryset = officers

    def service_data(self) -> dict:
        return {"officer_id": self.cleaned_data["officer_id"].pk, "reason": self.cleaned_data["reason"]}


class RecusalDecideForm(forms.Form):
    DECISIONS = [("grant", _("准予回避")), ("refuse", _("驳回申请"))]

    recusal_id = forms.ModelChoiceField(label=_("回避申请"), queryset=Recusal.objects.none())
    decision = forms.ChoiceField(label=_("决定"), choices=DECISIONS, widget=forms.RadioSelect)
    replacement_id = PersonChoiceField(label=_("替换的执法人员"), queryset=User.objects.none(), required=False,
                                       help_text=_("准予回避后承办人员不足两人的，须指定持有效执法证件的人员。"))

    def __init__(self, *args, recusals=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if recusals is not None:
            self.fields["recusal_id"].queryset = recusals
            self.fields["recusal_id"].label_from_instance = lambda r: f"{r.officer.display_name}：{r.reason}"
        if officers is not None:
            self.fields["replacement_id"].queryset = officers

    def service_data(self) -> dict:
        replacement = self.cleaned_data.get("replacement_id")
        return {"recusal_id": self.cleaned_data["recusal_id"].pk, "granted": self.cleaned_data["decision"] == "grant",
                "replacement_id": replacement.pk if replacement else None}


class PauseForm(forms.Form):
    reason_kind = forms.ChoiceField(label=_("中止事由"), choices=ClockPause.Reason.choices)
    reason = forms.CharField(label=_("说明"), max_length=300, widget=TEXTAREA)


class NotifyForm(forms.Form):
    facts = forms.CharField(label=_("拟认定的违法事实"), widget=forms.Textarea(attrs={"rows": 4}))
    penalty_types = forms.MultipleChoiceField(label=_("拟处罚种类"), choices=PenaltyType.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    fine = forms.DecimalField(label=_("拟罚没金额（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2,
                              initial=Decimal("0"))
    basis = forms.CharField(label=_("处罚依据"), widget=TEXTAREA)


class HearingRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("当事人提出听证申请日期"), widget=DATE)


class HearingScheduleForm(forms.Form):
    hearing_on = forms.DateField(label=_("听证日期"), widget=DATE)
    notice_on = forms.DateField(label=_("听证通知送达日期"), widget=DATE, help_text=_("应当在举行听证的七日前通知当事人。"))
    chair_id = PersonChoiceField(label=_("听证主持人（非本案调查人员）"), queryset=User.objects.none())

    def __init__(self, *args, chairs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if chairs is not None:
            self.fields["chair_id"].queryset = chairs

    def service_data(self) -> dict:
        return {**self.cleaned_data, "chair_id": self.cleaned_data["chair_id"].pk}


class HearingHoldForm(forms.Form):
    record = forms.CharField(label=_("听证笔录摘要"), widget=forms.Textarea(attrs={"rows": 5}))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    decision_number = forms.CharField(label=_("决定书文号"), max_length=60, required=False)
    penalty_types = forms.MultipleChoiceField(label=_("处罚种类"), choices=PenaltyType.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    fine = forms.DecimalField(label=_("罚没金额（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2,
                              initial=Decimal("0"), required=False)
    no_penalty_ground = forms.ChoiceField(label=_("不予处罚的法定情形"), required=False,
                                          choices=[("", "—")] + NoPenaltyGround.choices)
    reason = forms.CharField(label=_("理由"), required=False, widget=TEXTAREA,
                             help_text=_("不予处罚或移送司法机关时必填。"))
    harm_statement = forms.CharField(label=_("首违不罚：危害后果轻微的事实"), required=False, widget=TEXTAREA)
    correction_statement = forms.CharField(label=_("首违不罚：当事人及时改正的事实"), required=False, widget=TEXTAREA)
    evidence_record_ids = forms.TypedMultipleChoiceField(
        label=_("首违不罚：证据（本案全过程记录）"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple)
    late_reason = forms.CharField(label=_("超过90日办理期限作出决定的理由"), required=False, widget=TEXTAREA,
                                  help_text=_("超过办理期限时必填，监督人员可见。"))

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_record_ids"].choices = [
            (r.pk, f"{r.get_kind_display()} {r.happened_at:%Y-%m-%d} {r.place}") for r in records]

    def service_data(self) -> dict:
        return {**self.cleaned_data, "fine": self.cleaned_data.get("fine") or Decimal("0")}


LATE_HELP = _("超过法定期限时必填，监督人员可见。")


class ServeForm(forms.Form):
    served_on = forms.DateField(label=_("送达日期"), widget=DATE)
    late_reason = forms.CharField(label=_("逾期送达的理由"), required=False, widget=TEXTAREA, help_text=LATE_HELP)


class PublishForm(forms.Form):
    late_reason = forms.CharField(label=_("逾期公开的理由"), required=False, widget=TEXTAREA, help_text=LATE_HELP)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("缴纳日期"), widget=DATE)
    amount = forms.DecimalField(label=_("实缴金额（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2)


class WithdrawForm(forms.Form):
    statement = forms.CharField(label=_("撤回说明"), widget=TEXTAREA)
    late_reason = forms.CharField(label=_("逾期撤回的理由"), required=False, widget=TEXTAREA, help_text=LATE_HELP)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看事由"), max_length=300,
                             help_text=_("查看完整个人信息将记入审计日志。"))


class MeasureConcludeForm(forms.Form):
    """The decision on preserved evidence or seized property (R18)."""

    entry_id = forms.TypedChoiceField(label=_("措施"), coerce=int)
    note = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("如：解除查封扣押、予以没收、移送司法机关。"))

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_id"].choices = [(e.pk, f"{e.get_kind_display()} {e.happened_at:%Y-%m-%d} {e.place}")
                                           for e in entries]
