"""Reads of administrative contracts: the register per body, one contract with what its page shows."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.models import Attachment, Department, User

from .models import Contract, ContractCleanup


def contract_list_for_user(*, user: User, body: Department | None = None, status: str | None = None,
                           year: int | None = None) -> QuerySet[Contract]:
    """The register (合同台账): what the user may see, per body, newest first."""
    contracts = Contract.objects.visible_to(user).select_related("body", "department")
    if body is not None:
        contracts = contracts.filter(body=body)
    if status:
        contracts = contracts.filter(status=status)
    if year:
        contracts = contracts.filter(term_start__year__lte=year, term_end__year__gte=year)
    return contracts.order_by("-updated_at", "-id")


def contract_get_for_user(*, user: User, contract_id: int) -> Contract:
    return (Contract.objects.visible_to(user).select_related("body", "department", "created_by")
            .prefetch_related("milestones", "records", "records__recorded_by",
                              Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
            .get(pk=contract_id))


def register_bodies(*, user: User) -> QuerySet[Department]:
    """Bodies whose register the filter offers: every decision body."""
    return Department.objects.filter(is_decision_body=True).only("id", "code", "name", "level").order_by(
        "sort_order", "id")


def cleanups_of(*, body: Department) -> QuerySet[ContractCleanup]:
    return ContractCleanup.objects.filter(body=body).select_related("recorded_by").order_by("-year")
