"""Archive packages (决策档案, 案卷): one zip per archived record, checkable offline.

    record.html        the record, printable (every field, every step record, the history)
    evidence/NNN-name  every evidence file, as uploaded
    audit.json         the record's audit events with their hash-chain fields
    manifest.json      kind, object, time, who, each file's path, size and SHA-256, the newest
                       audit checkpoint, and an Ed25519 signature (``core.signing``) over it all

Each lifecycle registers a source (``register_archive_source``): how to fetch the record for a
user (so permissions are the record's own: what you may not see is a 404), when it counts as
archived, its step records and their files. ``manage.py verify_archive FILE`` checks a package
without the database. Personal data appear as on the staff pages (``mask``)."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import HASHED_FIELDS, compute_hash, record_event
from .exceptions import InvalidState
from .models import Attachment, AuditCheckpoint
from .selectors import history_for
from .services import attachment_path
from .signing import sign, verify

MANIFEST = "manifest.json"
DOCUMENT_TYPE = "huzhou-archive-package"


@dataclass(frozen=True)
class ArchiveSource:
    kind: str
    #: what people call it, e.g. "重大行政决策"
    label: str
    #: (user, pk) -> the record, raising DoesNotExist when the user may not see it
    get_for_user: Callable[[Any, int], models.Model]
    is_archived: Callable[[models.Model], bool]
    #: the Chinese reason shown when the record is not archived yet
    not_archived_message: str
    #: state code -> label, to show the history in words
    states: dict = field(default_factory=dict)
    #: (title, related records) sections of the printable record, e.g. the procedure records
    related: Callable[[models.Model], list[tuple[str, Iterable[models.Model]]]] = lambda obj: []
    #: (field name, value) -> what the package shows (masking of personal data)
    mask: Callable[[str, Any], Any] = lambda name, value: value
    #: fields never shown (secrets, internal counters)
    hidden_fields: frozenset[str] = field(default_factory=frozenset)
    #: field name -> {code: label} for fields holding codes (or lists of codes)
    value_labels: dict[str, dict] = field(default_factory=dict)
    #: record -> {key: label} for the keys of its structured ``details``
    detail_labels: Callable[[models.Model], dict] = lambda record: {}


ARCHIVE_SOURCES: dict[str, ArchiveSource] = {}


def register_archive_source(source: ArchiveSource) -> None:
    ARCHIVE_SOURCES[source.kind] = source


# ---------------------------------------------------------------- the printable record
def _display(obj: models.Model, model_field: models.Field, source: ArchiveSource) -> str:
    if model_field.choices:
        value = getattr(obj, f"get_{model_field.name}_display")()
    elif isinstance(model_field, models.ForeignKey):
        value = getattr(obj, model_field.name)
    else:
        value = getattr(obj, model_field.attname)
    value = source.mask(model_field.name, value)
    if value is None or value == "":
        return ""
    labels = source.value_labels.get(model_field.name)
    if labels and isinstance(value, (list, tuple)):
        return "、".join(str(labels.get(item, item)) for item in value)
    if labels and isinstance(value, str):
        return str(labels.get(value, value))
    if isinstance(value, dict) and value and model_field.name == "details":
        names = source.detail_labels(obj)
        return "\n".join(f"{names.get(key, key)}：{_plain(item)}" for key, item in value.items())
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, indent=1, default=str) if value else ""
    return str(value)


def _plain(value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


_ALWAYS_HIDDEN = {"id", "version", "content_type", "object_id"}


def _rows(obj: models.Model, source: ArchiveSource, parent: models.Model | None = None) -> list[tuple[str, str]]:
    rows = []
    for model_field in obj._meta.concrete_fields:
        if model_field.name in _ALWAYS_HIDDEN or model_field.name in source.hidden_fields:
            continue
        if parent is not None and model_field.is_relation and model_field.related_model is type(parent):
            continue  # the record it belongs to is the package itself
        shown = _display(obj, model_field, source)
        if shown:
            rows.append((str(model_field.verbose_name), shown))
    return rows


def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(". ") or "file"


# ---------------------------------------------------------------- building
@dataclass
class Package:
    filename: str
    content: bytes
    manifest: dict


def _audit_rows(obj) -> list[dict]:
    fields = [*HASHED_FIELDS, "prev_hash", "row_hash"]
    rows = []
    for row in history_for(obj).values(*fields):
        row["occurred_at"] = row["occurred_at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        rows.append(row)
    return rows


def _audit_lines(obj, source: ArchiveSource) -> list[dict]:
    lines = []
    for event in history_for(obj):
        states = " → ".join(str(source.states.get(code, code)) for code in (event.source_state, event.target_state)
                            if code)
        lines.append({"seq": event.seq, "time": event.occurred_at, "actor": event.actor_name or event.actor_username,
                      "department": event.actor_department, "action": event.action_label or event.action,
                      "states": states, "reason": source.mask("reason", event.reason)})
    return lines


def _attachments(obj, related: list[tuple[str, list[models.Model]]]) -> list[Attachment]:
    from django.contrib.contenttypes.models import ContentType

    subjects = [obj] + [record for _title, records in related for record in records]
    condition = models.Q(pk__in=[])
    for subject in subjects:
        condition |= models.Q(content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk)
    return list(Attachment.objects.filter(condition).order_by("uploaded_at", "id"))


def archive_package_build(*, kind: str, object_id: int, actor) -> Package:
    """The signed zip of one archived record; the download is written to the audit trail."""
    source = ARCHIVE_SOURCES[kind]
    obj = source.get_for_user(actor, object_id)
    if not source.is_archived(obj):
        raise InvalidState(source.not_archived_message, code="not_archived")
    related = [(title, list(records)) for title, records in source.related(obj)]
    files: dict[str, bytes] = {}
    evidence = []
    for number, attachment in enumerate(_attachments(obj, related), 1):
        path = f"evidence/{number:03d}-{_safe_name(attachment.original_name)}"
        data = attachment_path(attachment).read_bytes()
        files[path] = data
        evidence.append({"path": path, "name": attachment.original_name, "uploaded_at": attachment.uploaded_at,
                         "uploaded_by": attachment.uploaded_by, "sha256": attachment.sha256,
                         "intact": hashlib.sha256(data).hexdigest() == attachment.sha256})
    audit = _audit_rows(obj)
    files["audit.json"] = json.dumps(audit, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    now = timezone.now()
    files["record.html"] = render_to_string("core/archive_record.html", {
        "label": source.label, "obj": obj, "rows": _rows(obj, source), "generated_at": now, "actor": actor,
        "sections": [(title, [(str(record), _rows(record, source, parent=obj)) for record in records])
                     for title, records in related],
        "evidence": evidence, "audit": _audit_lines(obj, source),
    }).encode("utf-8")
    checkpoint = AuditCheckpoint.objects.order_by("-seq", "-signed_at").first()
    manifest = {
        "type": DOCUMENT_TYPE, "version": 1, "site": settings.SITE_URL, "kind": kind, "label": source.label,
        "object": {"type": obj._meta.label_lower, "id": obj.pk, "title": str(obj)},
        "created_at": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_by": actor.get_username(),
        "files": [{"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for path, data in sorted(files.items())],
        "audit": {"events": len(audit), "first_seq": audit[0]["seq"] if audit else None,
                  "last_seq": audit[-1]["seq"] if audit else None},
        "checkpoint": checkpoint.signed_copy() if checkpoint else None,
    }
    signed = {**manifest, "signature": sign(manifest).as_dict()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(signed, ensure_ascii=False, indent=1, sort_keys=True))
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
    content = buffer.getvalue()
    with transaction.atomic():
        record_event(actor=actor, event_type="export", obj=obj, action="archive_package_download",
                     action_label=_("下载档案包"),
                     details={"files": len(files), "bytes": len(content),
                              "sha256": hashlib.sha256(content).hexdigest()})
    return Package(filename=f"{kind}-{obj.pk}-archive.zip", content=content, manifest=signed)


# ---------------------------------------------------------------- checking offline
def verify_package(data: bytes, *, keys=None) -> tuple[dict, list[str]]:
    """(manifest, problems) of a package; no database needed. ``keys``: trusted public keys."""
    problems: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        signed = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        return {}, [f"不是有效的档案包：{error}"]
    manifest = {name: value for name, value in signed.items() if name != "signature"}
    if manifest.get("type") != DOCUMENT_TYPE:
        problems.append("manifest.json 不是档案包清单")
    reason = verify(manifest, signed.get("signature"), keys=keys)
    if reason:
        problems.append(f"清单签名：{reason}")
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    present = set(archive.namelist()) - {MANIFEST}
    for path in sorted(present - set(listed)):
        problems.append(f"{path}：不在清单中（被添加）")
    for path, entry in sorted(listed.items()):
        if path not in present:
            problems.append(f"{path}：清单中有、包中缺失（被删除）")
            continue
        content = archive.read(path)
        if hashlib.sha256(content).hexdigest() != entry["sha256"] or len(content) != entry["size"]:
            problems.append(f"{path}：SHA-256 与清单不符（被改动）")
    if "audit.json" in present:
        for row in json.loads(archive.read("audit.json")):
            hashed = {**row, "occurred_at": dt.datetime.fromisoformat(row["occurred_at"].replace("Z", "+00:00"))}
            if compute_hash(row["prev_hash"], hashed) != row["row_hash"]:
                problems.append(f"audit.json：seq={row['seq']} 的行哈希不符")
    checkpoint = manifest.get("checkpoint")
    if checkpoint:
        reason = verify(checkpoint.get("document"), checkpoint.get("signature"), keys=keys)
        if reason:
            problems.append(f"所附检查点：{reason}")
    return manifest, problems
