"""Reads of township meetings and the adviser registry (fixed-cost lists)."""
from __future__ import annotations

from django.db.models import Count, QuerySet

from core.models import User

from .models import AdviserOpinion, LegalAdviser, PublicLawyer, TownshipMeeting


def meetings_for(*, user: User, legal_without_sifasuo: bool = False, township: str = "") -> QuerySet[TownshipMeeting]:
    meetings = TownshipMeeting.objects.visible_to(user).select_related("township")
    if township:
        meetings = meetings.filter(township__code=township)
    if legal_without_sifasuo:
        meetings = meetings.legal_without_sifasuo()
    return meetings.order_by("-held_on", "-id")


def advisers_for(*, user: User, body: str = "") -> QuerySet[LegalAdviser]:
    advisers = LegalAdviser.objects.visible_to(user)
    if body:
        advisers = advisers.filter(body__code=body)
    return (advisers.select_related("body")
            .annotate(opinion_count=Count("opinions")).order_by("body__sort_order", "name", "id"))


def adviser_get(*, user: User, adviser_id: int) -> LegalAdviser:
    return LegalAdviser.objects.visible_to(user).select_related("body").prefetch_related(
        "evaluations", "evaluations__evaluated_by").get(pk=adviser_id)


def opinions_of_adviser(adviser: LegalAdviser) -> QuerySet[AdviserOpinion]:
    return adviser.opinions.select_related("content_type").order_by("-given_on", "-id")


def public_lawyers_for(*, user: User, body: str = "") -> QuerySet[PublicLawyer]:
    lawyers = PublicLawyer.objects.visible_to(user)
    if body:
        lawyers = lawyers.filter(body__code=body)
    return lawyers.select_related("body").order_by("body__sort_order", "name", "id")
