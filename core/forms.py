from django import forms

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
