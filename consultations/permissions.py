"""Who manages a consultation: the same people who carry its subject through drafting —
the decision's 承办单位 (``decisions.permissions.can_edit``) or the document's 起草单位
(``normative_docs.permissions.can_draft``)."""
from __future__ import annotations

from decisions.models import Decision
from decisions.permissions import can_edit
from normative_docs.models import NormativeDocument
from normative_docs.permissions import can_draft


def can_manage(user, consultation_or_subject) -> bool:
    from .models import Consultation

    subject = consultation_or_subject
    if isinstance(subject, Consultation):
        subject = subject.subject
    if isinstance(subject, Decision):
        return can_edit(user, subject)
    if isinstance(subject, NormativeDocument):
        return can_draft(user, subject)
    return False


def visible_subject(user, consultation):
    """The subject as the user may see it inside (``visible_to``), or None: then the staff page is a 404."""
    model = consultation.content_type.model_class()
    return model.objects.visible_to(user).filter(pk=consultation.object_id).first()
