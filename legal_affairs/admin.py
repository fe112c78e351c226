from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import LegalAdviser, PublicLawyer, TownshipMeeting


@admin.register(TownshipMeeting)
class TownshipMeetingAdmin(ReadOnlyAdmin):
    list_display = ("township", "held_on", "session", "legal_matters", "sifasuo_head_attended")
    list_select_related = ("township",)


@admin.register(LegalAdviser)
class LegalAdviserAdmin(ReadOnlyAdmin):
    list_display = ("name", "body", "kind", "term_start", "term_end")
    list_select_related = ("body",)


@admin.register(PublicLawyer)
class PublicLawyerAdmin(ReadOnlyAdmin):
    list_display = ("name", "body", "certificate_number", "active")
    list_select_related = ("body",)
