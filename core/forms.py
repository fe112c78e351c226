from django import forms
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError


def call_service(form: forms.Form, call):
    """Run one service call for a page. A refusal puts its Chinese messages on
    the form and returns (False, None); success returns (True, result)."""
    try:
        return True, call()
    except DomainError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False, None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (evidence, filing materials, contract documents): a list of the
    uploaded files, each cleaned as a single ``FileField`` would; [] when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ConfirmForm(forms.Form):
    """Before a publication or another act that cannot be undone, the person ticks that they have
    read what will happen (the page lists what becomes public); unticked, nothing is done."""

    confirmed = forms.BooleanField(
        required=True, label=_("我已核对上述内容，确认办理"),
        error_messages={"required": _("请先确认：勾选“我已核对上述内容，确认办理”后再提交。")})


def with_confirmation(form_class: type[forms.Form]) -> type[forms.Form]:
    """``form_class`` with the confirmation box of ``ConfirmForm`` added at its end."""
    return type(f"Confirmed{form_class.__name__}", (form_class,), {"confirmed": ConfirmForm.base_fields["confirmed"]})
