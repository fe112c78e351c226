"""The demo shows one open consultation with approved comments and one closed consultation
whose summary and dispositions are published."""

import pytest
from django.urls import reverse

from consultations.models import Consultation, ConsultationStatus, PublicComment

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_and_an_answered_consultation(demo, client):
    statuses = {c.pk: c.status for c in Consultation.objects.all()}
    open_pk = next(pk for pk, status in statuses.items() if status == ConsultationStatus.OPEN)
    answered_pk = next(pk for pk, status in statuses.items() if status == ConsultationStatus.SUMMARY_PUBLISHED)
    open_page = client.get(reverse("consultations:detail", args=[open_pk])).content.decode()
    answered_page = client.get(reverse("consultations:detail", args=[answered_pk])).content.decode()

    assert PublicComment.objects.filter(consultation_id=open_pk, status=PublicComment.Status.APPROVED).count() == 2
    assert "建议在园区规划中预留人才公寓" in open_page and "提交意见" in open_page
    assert "希望园区建设期间做好周边道路交通组织" not in open_page  # still awaiting review
    assert "征求意见期间共收到社会公众意见3条" in answered_page and "部分采纳" in answered_page
