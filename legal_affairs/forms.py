from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AdviserEvaluation, LegalAdviser, PublicLawyer, TownshipMeeting
from .services import OPINION_SUBJECTS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # the value a date input understands, in any locale
        super().__init__(attrs, format=format)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = TownshipMeeting
        fields = ["held_on", "session", "topics", "legal_matters", "sifasuo_head_attended", "absence_reason"]
        widgets = {"held_on": DateInput(), "topics": forms.Textarea(attrs={"rows": 3})}


class AdviserForm(forms.ModelForm):
    class Meta:
        model = LegalAdviser
        fields = ["name", "kind", "firm", "term_start", "term_end", "contract_reference"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}


class PublicLawyerForm(forms.ModelForm):
    class Meta:
        model = PublicLawyer
        fields = ["name", "certificate_number", "certified_on"]
        widgets = {"certified_on": DateInput()}


SUBJECT_LABELS = {"decision": _("重大行政决策"), "contract": _("行政合同"), "review": _("合法性审查任务")}


class OpinionForm(forms.Form):
    subject_kind = forms.ChoiceField(label=_("意见所附事项"), choices=[(k, SUBJECT_LABELS[k]) for k in OPINION_SUBJECTS])
    object_id = forms.IntegerField(label=_("事项编号"), min_value=1)
    given_on = forms.DateField(label=_("出具日期"), widget=DateInput())
    opinion = forms.CharField(label=_("法律意见"), widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label=_("评价等次"), choices=AdviserEvaluation.Grade.choices)
    comments = forms.CharField(label=_("评价意见"), widget=forms.Textarea(attrs={"rows": 3}))
