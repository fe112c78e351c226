"""Filters of the workbench pages."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Department
from deadlines.selectors import WORK_KINDS


class MyDeadlinesFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项类别"), required=False)
    department = forms.TypedChoiceField(label=_("责任单位"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, departments, **kwargs):
        """``departments``: the person's clocks, whose responsible departments are offered."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部"))] + list(WORK_KINDS.items())
        ids = departments.order_by().values_list("department_id", flat=True).distinct()
        self.fields["department"].choices = [("", _("全部"))] + [
            (d.pk, d.name) for d in Department.objects.filter(pk__in=ids).only("id", "name").order_by("sort_order", "id")]
