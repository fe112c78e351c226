from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField

from .models import Contract, ContractMilestone, ContractRecord
from .workflow import AttachmentKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # the value a date input understands, in any locale
        super().__init__(attrs, format=format)


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["title", "number", "counterparty", "contract_type", "amount", "term_start", "term_end",
                  "key_clauses", "dispute_resolution", "dispute_forum", "foreign_related", "confidentiality"]
        widgets = {"term_start": DateInput(), "term_end": DateInput(),
                   "key_clauses": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"contract_type": _("国有资产、财政资金、自然资源和公共资源、招商引资、合作开发、拆迁改造、政府投融资、"
                                         "政府借款等合同，签订前须经合法性审查（浙政办发〔2013〕37号）。")}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput())
    signed_by = forms.CharField(label=_("签订人"), max_length=50)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = ContractMilestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DateInput()}


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput())


class RecordForm(forms.ModelForm):
    class Meta:
        model = ContractRecord
        fields = ["kind", "occurred_on", "summary", "resolution"]
        widgets = {"occurred_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3}),
                   "resolution": forms.Textarea(attrs={"rows": 2})}


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FileForm(forms.Form):
    filed_on = forms.DateField(label=_("备案日期"), widget=DateInput())


class CleanupForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    done_on = forms.DateField(label=_("清理日期"), widget=DateInput())
    findings = forms.CharField(label=_("清理情况"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("文件类别"), choices=AttachmentKind.choices, initial=AttachmentKind.TEXT)
    files = MultipleFileField(label=_("文件"), help_text=_("PDF、PNG、JPG、DOCX、XLSX，可多选。"))
