"""Masking of personal information (security.md §1): the unit rules on generated valid IDs,
and end to end — no valid 18-character ID and no mobile number on any public page, in the
logs or in the audit trail written while cases are decided and published."""
import json
import logging
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from core.models import AuditEvent
from enforcement import masking, services
from enforcement.models import PublicNotice
from enforcement.workflow import CaseStatus as C
from tests import factories

SEEDS = range(0, 1000)
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def gb11643_check(first17: str) -> str:
    """The check character computed independently of the module: weights 2^(17-i) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def x_seeds() -> list[int]:
    """Seeds whose generated ID ends in the check character X."""
    return [seed for seed in SEEDS if factories.valid_resident_id(seed).endswith("X")]


# ================================================================== resident IDs (GB 11643)
def test_generated_ids_are_valid_and_carry_the_gb11643_check_character():
    for seed in SEEDS:
        id_number = factories.valid_resident_id(seed)
        assert len(id_number) == 18
        assert id_number[17] == gb11643_check(id_number[:17]) == masking.id_check_character(id_number[:17])
        assert masking.is_resident_id(id_number)


def test_every_check_character_including_x_occurs_among_the_generated_ids():
    assert {factories.valid_resident_id(seed)[-1] for seed in SEEDS} == set("0123456789X")


def test_the_standards_example_id_ending_in_x_is_valid():
    assert masking.is_resident_id("11010519491231002X")
    assert masking.is_resident_id("11010519491231002x")


@pytest.mark.parametrize("seed", x_seeds()[:5])
def test_an_id_with_check_character_x_is_valid_and_masked(seed):
    id_number = factories.valid_resident_id(seed)
    assert masking.is_resident_id(id_number) and masking.is_resident_id(id_number.lower())
    assert masking.mask_id(id_number) == id_number[0] + "*" * 16 + "X"
    assert masking.mask_id(id_number, staff=True) == id_number[:6] + "*" * 8 + id_number[-4:]
    assert masking.mask_id(id_number, staff=True).endswith("X")


def test_a_wrong_check_character_is_not_a_valid_id():
    for seed in range(50):
        id_number = factories.valid_resident_id(seed)
        wrong = next(c for c in "0123456789X" if c != id_number[-1])
        assert not masking.is_resident_id(id_number[:17] + wrong)


@pytest.mark.parametrize("value", ["", "33050219800101001", "3305021980010100111", "330502198013010011",
                                   "330502198001320011", "030502198001010011", "33050217800101001X"])
def test_malformed_ids_are_not_resident_ids(value):
    assert not masking.is_resident_id(value)


@pytest.mark.parametrize("seed", [0, 1, 2, 17, 365, 999])
def test_mask_id_public_form_keeps_first_and_last_character(seed):
    id_number = factories.valid_resident_id(seed)
    masked = masking.mask_id(id_number)
    assert masked == id_number[0] + "****************" + id_number[-1]
    assert len(masked) == 18 and not masking.contains_unmasked_id(masked)


@pytest.mark.parametrize("seed", [0, 1, 2, 17, 365, 999])
def test_mask_id_staff_form_keeps_first_six_and_last_four(seed):
    id_number = factories.valid_resident_id(seed)
    masked = masking.mask_id(id_number, staff=True)
    assert masked == id_number[:6] + "********" + id_number[-4:]
    assert not masking.contains_unmasked_id(masked)


def test_mask_id_trims_whitespace_before_masking():
    id_number = factories.valid_resident_id(5)
    assert masking.mask_id(f"  {id_number} ") == masking.mask_id(id_number)


def test_unified_social_credit_code_of_an_organisation_is_public():
    assert masking.mask_id("91330500MA2B12345X") == "91330500MA2B12345X"
    assert masking.mask_id("91330500MA2B12345X", staff=True) == "91330500MA2B12345X"


# ================================================================== names, phones, addresses
@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*"), ("", "")])
def test_mask_name_keeps_a_persons_surname(name, masked):
    assert masking.mask_name(name, "person") == masked


def test_mask_name_shows_an_organisation():
    assert masking.mask_name("湖州某某食品有限公司", "organisation") == "湖州某某食品有限公司"


@pytest.mark.parametrize(("value", "masked"), [
    ("13812345678", "138****5678"),
    ("19912345678", "199****5678"),
    ("138 1234 5678", "138****5678"),
    ("138-1234-5678", "138****5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("+8613812345678", "+86138****5678"),
    ("0572-2345678", "0572-****78"),
    ("057212345678", "0572-****78"),
    ("010-12345678", "010-****78"),
    ("(0572)2345678", "0572-****78"),
    ("", ""),
])
def test_mask_phone_masks_mobile_and_fixed_numbers(value, masked):
    assert masking.mask_phone(value) == masked


def test_mask_phone_leaves_short_service_numbers():
    assert masking.mask_phone("12315") == "12315"


def test_mask_address_keeps_the_area_and_hides_the_street_and_number():
    masked = masking.mask_address("浙江省湖州市吴兴区爱山街道人民路88号")
    assert masked == "浙江省湖州市吴兴区爱山街道****"
    assert "人民路" not in masked and "88" not in masked
    assert masking.mask_address("人民路88号") == "****"
    assert masking.mask_address("") == ""


# ================================================================== free text
def test_mask_text_masks_ids_phones_and_bank_numbers_in_free_text():
    id_number, x_id = factories.valid_resident_id(1), factories.valid_resident_id(x_seeds()[0])
    text = (f"当事人张三（身份证号码{id_number}，手机13812345678，座机0572-2345678）"
            f"与李四（公民身份号码：{x_id.lower()}）通过账户6222021234567890123收款，"
            f"另一账户6217 0000 0000 0000。联系人电话：+8613912345678。")
    masked = masking.mask_text(text)
    assert id_number not in masked and x_id.lower() not in masked and x_id not in masked
    assert "13812345678" not in masked and "2345678" not in masked and "13912345678" not in masked
    assert "6222021234567890123" not in masked and "6217 0000 0000 0000" not in masked
    assert not masking.contains_unmasked_id(masked) and not MOBILE.search(masked)
    assert "张三" in masked and id_number[0] + "*" * 16 + id_number[-1] in masked


def test_mask_text_masks_an_id_written_right_after_latin_letters():
    id_number = factories.valid_resident_id(3)
    assert id_number not in masking.mask_text(f"ID{id_number}")
    assert id_number[:-1] not in masking.mask_text(f"ID{id_number}")


def test_mask_text_masks_an_id_with_a_wrong_check_character_too():
    id_number = factories.valid_resident_id(4)
    typo = id_number[:17] + ("1" if id_number[-1] != "1" else "2")
    assert typo not in masking.mask_text(f"身份证{typo}")


def test_mask_text_keeps_dates_amounts_and_decision_numbers():
    text = "2026年5月11日作出湖市监罚〔2026〕12号决定，罚款5000.00元。"
    assert masking.mask_text(text) == text


def test_mask_text_is_idempotent():
    text = f"身份证{factories.valid_resident_id(9)}，电话13812345678"
    assert masking.mask_text(masking.mask_text(text)) == masking.mask_text(text)


def test_contains_unmasked_id_finds_clear_ids_also_with_a_wrong_check_character():
    # a mistyped check character still identifies the person (issue 13: masking errs on the safe side)
    id_number = factories.valid_resident_id(11)
    assert masking.contains_unmasked_id(f"<td>{id_number}</td>")
    assert masking.contains_unmasked_id(f"身份证号{id_number.lower()}。")
    assert not masking.contains_unmasked_id(masking.mask_id(id_number))
    assert masking.contains_unmasked_id(f"<td>{id_number[:17]}{'0' if id_number[-1] != '0' else '1'}</td>")
    assert not masking.contains_unmasked_id("")


# ================================================================== end to end
def _decided_with_personal_data_in_facts(*, seed: int, officer, head) -> int:
    """A penalty whose facts carry the party's ID and phone numbers, as an officer may type them."""
    id_number = factories.valid_resident_id(seed)
    case = factories.case_in_state(C.INVESTIGATING, officer=officer, head_user=head, seed=seed,
                                   party_phone=f"139{seed:08d}")
    facts = (f"当事人张三（身份证号{id_number}，联系电话139{seed:08d}，另留电话+86 137{seed:08d}、0572-2{seed:06d}）"
             f"在其经营的超市销售超过保质期的食品，货款经账户622202{seed:013d}收取。")
    services.case_notify(actor=officer, case_id=case.pk, facts=facts, penalty_types=["fine"], fine=Decimal("3000"),
                         basis=f"《中华人民共和国食品安全法》第一百二十四条（当事人身份证{id_number.lower()}）")
    services.case_decide(actor=head, case_id=case.pk, outcome="penalty", decision_number=f"湖市监罚〔2026〕{seed}号",
                         penalty_types=["fine"], fine=Decimal("3000"))
    return case.pk


def _public_urls(notices: list[PublicNotice]) -> list[str]:
    body_id = notices[0].case.body_id
    urls = [reverse("public:home"), reverse("enforcement_public:bodies"),
            reverse("enforcement_public:body-detail", args=[body_id]), reverse("enforcement_public:notices"),
            reverse("enforcement_public:notices") + f"?body={body_id}&year=2026",
            *[reverse("enforcement_public:notice-detail", args=[n.pk]) for n in notices]]
    for name in ("enforcement_reports:index", "enforcement_reports:guidance-list"):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:  # pragma: no cover - the reports pages are optional here
            pass
    return urls


def _leaks(text: str, secrets: list[str]) -> list[str]:
    found = [s for s in secrets if s in text or s.lower() in text]
    if masking.contains_unmasked_id(text):
        found.append("valid resident ID")
    found += MOBILE.findall(text)
    return found


@pytest.mark.django_db
@time_machine.travel("2026-05-11 10:00 +0800", tick=False)
def test_no_unmasked_id_or_mobile_on_public_pages_in_logs_or_in_the_audit_trail(client, caplog):
    caplog.set_level(logging.DEBUG)
    officer = factories.enforcement_officer()
    head = factories.enforcement_officer(head=True)
    seeds = [1, 2, x_seeds()[0], x_seeds()[1], 77, 512]
    case_ids = []
    for seed in seeds[:3]:
        case_ids.append(factories.case_in_state(C.DECIDED, officer=officer, head_user=head, seed=seed,
                                                party_phone=f"138{seed:08d}").pk)
    for seed in seeds[3:]:
        case_ids.append(_decided_with_personal_data_in_facts(seed=seed, officer=officer, head=head))
    secrets = [factories.valid_resident_id(s) for s in seeds] + [f"13{d}{s:08d}" for s in seeds for d in "789"]

    notices = [services.case_publish_notice(actor=officer, case_id=pk) for pk in case_ids]
    responses = {url: client.get(url) for url in _public_urls(notices)}

    for url, response in responses.items():
        assert response.status_code == 200, url
        assert _leaks(response.content.decode(), secrets) == [], url
    for notice in notices:
        stored = " ".join([notice.title, notice.party_masked, notice.id_masked, notice.content])
        assert _leaks(stored, secrets) == []
    for notice, seed in zip(notices[3:], seeds[3:]):  # the ID typed into the facts is there, masked
        assert masking.mask_id(factories.valid_resident_id(seed)) in notice.content
    first_detail = responses[reverse("enforcement_public:notice-detail", args=[notices[0].pk])]
    assert "3****************" in first_detail.content.decode()
    for record in caplog.records:
        assert _leaks(record.getMessage() + str(record.__dict__.get("exc_text") or ""), secrets) == []
    events = AuditEvent.objects.filter(object_type="enforcement.case", object_id__in=[str(pk) for pk in case_ids])
    assert events.filter(action="register_clue").count() == len(case_ids)
    assert events.filter(action="notice_publish").count() == len(case_ids)
    for event in AuditEvent.objects.all():
        text = " ".join([event.object_label, event.action_label, event.reason,
                         json.dumps(event.details, ensure_ascii=False)])
        assert _leaks(text, secrets) == [], (event.action, text)


@pytest.mark.django_db
@time_machine.travel("2026-05-11 10:00 +0800", tick=False)
def test_an_organisations_notice_shows_its_credit_code_and_name(client):
    officer = factories.enforcement_officer()
    case = factories.case_in_state(C.DECIDED, officer=officer, party_type="organisation",
                                   party_name="湖州某某食品有限公司", party_id_number="91330500MA2B12345X")
    notice = services.case_publish_notice(actor=officer, case_id=case.pk)
    body = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk])).content.decode()
    assert "湖州某某食品有限公司" in body and "91330500MA2B12345X" in body
