"""Masking of personal information in what enforcement publishes (security.md §1).

* An 18-character resident ID (GB 11643) shows first and last character to the public
  (``3****************X``) and the first 6 and last 4 to staff; in full only through the
  audited reveal.
* Mobile and fixed phone numbers, bank account numbers and the street part of addresses are
  masked; a natural person's name keeps the surname (``张**``); organisations' names and
  unified social credit codes (public by law) are shown.
* ``mask_text`` finds such numbers inside free text, so a number typed into the facts never
  leaks, however it is written (spaces, hyphens, full-width digits, an ``ID`` prefix): the one
  detector in ``core.pii`` (issue 13).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from core import pii

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])(?![0-9A-Za-z])")


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def is_resident_id(value: str) -> bool:
    value = (value or "").upper()
    return bool(ID_PATTERN.fullmatch(value)) and id_check_character(value[:17]) == value[17]


def mask_id(value: str, *, staff: bool = False) -> str:
    value = (value or "").strip()
    if len(value) != 18 or not ID_PATTERN.fullmatch(value):
        return value  # unified social credit codes of organisations are public
    if staff:
        return value[:6] + "*" * 8 + value[-4:]
    return value[0] + "*" * 16 + value[-1]


def mask_name(name: str, party_type: str) -> str:
    if party_type != "person" or not name:
        return name
    return pii.mask_person_name(name)


def mask_phone(value: str) -> str:
    return pii.mask_numbers(value or "")


_AREA = re.compile(
    r"^((?:[^省市区县镇乡]{1,8}(?:省|自治区))?(?:[^省市区县镇乡]{1,8}市)?(?:[^省市区县镇乡]{1,8}(?:区|县|市))?"
    r"(?:[^省市区县镇乡]{1,8}(?:街道|镇|乡))?)"
)


def mask_address(value: str) -> str:
    """Keep the administrative areas (省、市、区县、乡镇街道), hide the street and number:
    浙江省湖州市吴兴区爱山街道人民路88号 → 浙江省湖州市吴兴区爱山街道****."""
    if not value:
        return ""
    match = _AREA.match(value)
    return (match.group(1) if match else "") + "****"


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """Mask every resident ID, phone and bank account number inside free text (``core.pii``),
    and the persons' ``names`` given (a case's party name and aliases: ``party_names``)."""
    return pii.mask_text(text or "", names=names)


def party_names(case) -> list[str]:
    """The names to mask of a case's party: the name and every alias, for a natural person."""
    if case.party_type != "person":
        return []
    aliases = [line.strip() for line in (case.party_aliases or "").splitlines() if line.strip()]
    return [case.party_name, *aliases]


def contains_unmasked_id(text: str) -> bool:
    """True when the text holds a resident ID in the clear, however it is written."""
    return any(f.kind == pii.RESIDENT_ID for f in pii.find_numbers(text or ""))
