"""The append-only, hash-chained audit trail (决策过程记录).

Rows are written in the business transaction by ``record_event``. Writers are
serialised by a transaction-level advisory lock so that ``seq`` is gap-free and
each row can carry the hash of the one before it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from .middleware import current_request_id
from .models import AuditEvent

GENESIS_HASH = "0" * 64
_AUDIT_LOCK_KEY = 7_130_2019  # any constant; shared by every writer of the chain

HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_username", "actor_name", "actor_roles", "actor_department",
    "event_type", "object_type", "object_id", "object_label", "action", "action_label",
    "source_state", "target_state", "reason", "details", "request_id",
)


def canonical_row(row: dict) -> bytes:
    values = {}
    for name in HASHED_FIELDS:
        value = row[name]
        if name == "occurred_at":
            value = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compute_hash(prev_hash: str, row: dict) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_row(row)).hexdigest()


def _object_ref(obj) -> tuple[str, str, str]:
    return obj._meta.label_lower, str(obj.pk), str(obj)[:300]


def _lock_chain() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])


def chain_head() -> tuple[int, str, dt.datetime | None]:
    """(seq, row_hash, occurred_at) of the newest row; (0, genesis, None) for an empty chain."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "row_hash", "occurred_at").first()
    return last if last else (0, GENESIS_HASH, None)


def record_event(
    *,
    actor,
    event_type: str,
    obj,
    action: str,
    action_label: str = "",
    source_state: str = "",
    target_state: str = "",
    reason: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the business transaction")
    _lock_chain()
    last_seq, prev_hash, _time = chain_head()
    return _append(seq=last_seq + 1, prev_hash=prev_hash, actor=actor, event_type=event_type, obj=obj, action=action,
                   action_label=action_label, source_state=source_state, target_state=target_state, reason=reason,
                   details=details)


def _append(*, seq: int, prev_hash: str, actor, event_type: str, obj, action: str, action_label: str = "",
            source_state: str = "", target_state: str = "", reason: str = "", details: dict | None = None) -> AuditEvent:
    object_type, object_id, object_label = _object_ref(obj) if obj is not None else ("core.auditevent", "", "审计日志")
    department = getattr(actor, "department", None) if actor is not None else None
    row = {
        "seq": seq,
        "occurred_at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_username": actor.get_username() if actor is not None else "system",
        "actor_name": getattr(actor, "full_name", "") if actor is not None else "系统",
        "actor_roles": ",".join(getattr(actor, "roles", []) or []) if actor is not None else "",
        "actor_department": department.name if department is not None else "",
        "event_type": event_type,
        "object_type": object_type,
        "object_id": object_id,
        "object_label": object_label,
        "action": action,
        "action_label": str(action_label)[:100],  # the column's length: a long rule name is cut, not refused
        "source_state": source_state or "",
        "target_state": target_state or "",
        "reason": reason or "",
        "details": json.loads(json.dumps(details or {}, ensure_ascii=False, default=str)),
        "request_id": current_request_id.get(),
    }
    row_hash = compute_hash(prev_hash, row)
    return AuditEvent.objects.create(prev_hash=prev_hash, row_hash=row_hash, **row)


#: Choice classes whose labels name the lifecycle states recorded in audit rows, registered by the
#: lifecycles (``register_state_choices``); the first that knows a code names it.
STATE_CHOICES: list = []


#: event type → the choices its states come from, when the row is recorded on another object than
#: the one whose state changed (a filing's states recorded on its document: event "filing").
EVENT_STATE_CHOICES: dict[str, object] = {}


def register_state_choices(*choices, event_type: str = "") -> None:
    if event_type:
        EVENT_STATE_CHOICES[event_type] = choices[0]
        return
    STATE_CHOICES.extend(choices)


def _model_for(object_type: str):
    """The model an audit row's ``object_type`` names, also under a label it had before it moved."""
    for model in apps.get_models():
        if object_type in (model._meta.label_lower, *getattr(model, "audit_former_labels", ())):
            return model
    return None


def state_label(value: str, object_type: str = "", event_type: str = "") -> str:
    """The label of a lifecycle state code recorded in the audit trail ("—" when blank): from the
    choices of the recorded object's own fields first (``submitted`` is a different state of a filing
    and of a decision), then from the registered lifecycles."""
    if not value:
        return "—"
    own = EVENT_STATE_CHOICES.get(event_type)
    if own is not None and value in own.values:
        return str(own(value).label)
    model = _model_for(object_type) if object_type else None
    if model is not None:
        fields = sorted((f for f in model._meta.concrete_fields if f.choices), key=lambda f: f.name != "status")
        for field in fields:
            labels = {str(code): label for code, label in field.flatchoices}
            if value in labels:
                return str(labels[value])
    for choices in STATE_CHOICES:
        if value in choices.values:
            return str(choices(value).label)
    return value


def state_change(event: AuditEvent) -> str:
    """What an audit row's change of state was, in words ("审查中 → 已通过"); "" when it changed none."""
    if not (event.source_state or event.target_state):
        return ""
    return (f"{state_label(event.source_state, event.object_type, event.event_type)} → "
            f"{state_label(event.target_state, event.object_type, event.event_type)}")


def record_transition(*, obj, action: str, action_label: str, source: str, target: str, actor, reason: str = "",
                      details: dict | None = None) -> AuditEvent:
    return record_event(actor=actor, event_type="transition", obj=obj, action=action, action_label=action_label,
                        source_state=source, target_state=target, reason=reason, details=details)


# ---------------------------------------------------------------- restore markers
RESTORE_EVENT = "restore"


def _marker_statement(*, gap_from: int, gap_to: int, prev_hash: str) -> dict:
    return {"type": "huzhou-audit-restore-marker", "gap_from": gap_from, "gap_to": gap_to, "prev_hash": prev_hash}


def record_restore_marker(*, checkpoint: dict, local_head_seq: int, reason: str) -> AuditEvent:
    """After a restore the table ends before a published checkpoint: continue the chain from that
    checkpoint instead of re-using its numbers. The marker row takes ``checkpoint seq + 1``, links to
    the checkpoint's hash, names the lost seqs and carries the checkpoint and a signature of the gap,
    so ``verify_chain`` accepts exactly this gap and no other. Runs in the caller's transaction."""
    from .signing import sign

    _lock_chain()
    document = checkpoint["document"]
    gap_from, gap_to = local_head_seq + 1, int(document["seq"])
    statement = _marker_statement(gap_from=gap_from, gap_to=gap_to, prev_hash=document["row_hash"])
    return _append(seq=gap_to + 1, prev_hash=document["row_hash"], actor=None, event_type=RESTORE_EVENT, obj=None, action="restore_reconcile", action_label="恢复后续接审计链",
                   reason=reason, details={**statement, "checkpoint": checkpoint, "signature": sign(statement).as_dict()})


def restore_marker_problem(row: dict, *, expected_seq: int) -> str | None:
    """None when ``row`` is a valid restore marker for a gap starting at ``expected_seq``."""
    from .signing import verify

    details = row.get("details") or {}
    if row.get("event_type") != RESTORE_EVENT or not isinstance(details, dict):
        return "not a marker"
    statement = _marker_statement(gap_from=expected_seq, gap_to=row["seq"] - 1, prev_hash=row["prev_hash"])
    if any(details.get(name) != value for name, value in statement.items()):
        return "恢复标记与缺口不符"
    checkpoint = details.get("checkpoint") or {}
    document = checkpoint.get("document") or {}
    if document.get("seq") != row["seq"] - 1 or document.get("row_hash") != row["prev_hash"]:
        return "恢复标记所引用的检查点与缺口不符"
    return verify(document, checkpoint.get("signature")) or verify(statement, details.get("signature"))


@dataclass
class ChainProblem:
    seq: int
    problem: str


@dataclass
class Gap:
    """Seqs lost in a restore and acknowledged by a signed restore marker."""

    first: int
    last: int
    marker_seq: int


def verify_chain(batch_size: int = 2000, *, gaps: list[Gap] | None = None,
                 hashes_at: dict[int, str] | None = None) -> tuple[int, ChainProblem | None]:
    """Recompute the chain in seq order. Returns (rows checked, first problem).

    A jump in ``seq`` is accepted only at a valid restore marker (appended to ``gaps``).
    ``hashes_at``: seq -> row_hash collected for these seqs (to compare with checkpoints)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    fields = list(HASHED_FIELDS) + ["prev_hash", "row_hash"]
    with transaction.atomic():
        rows: Iterator[dict] = AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=batch_size)
        for row in rows:
            if row["seq"] != expected_seq:
                if row["seq"] < expected_seq or restore_marker_problem(row, expected_seq=expected_seq) is not None:
                    return checked, ChainProblem(expected_seq, f"缺少序号 {expected_seq}（下一行为 {row['seq']}）")
                if gaps is not None:
                    gaps.append(Gap(expected_seq, row["seq"] - 1, row["seq"]))
                expected_prev = row["prev_hash"]
                expected_seq = row["seq"]
            if row["prev_hash"] != expected_prev:
                return checked, ChainProblem(row["seq"], "前一行哈希不匹配（行被删除、插入或重排）")
            if compute_hash(expected_prev, row) != row["row_hash"]:
                return checked, ChainProblem(row["seq"], "内容哈希不匹配（行被篡改）")
            if hashes_at is not None and row["seq"] in hashes_at:
                hashes_at[row["seq"]] = row["row_hash"]
            expected_prev = row["row_hash"]
            expected_seq += 1
            checked += 1
    return checked, None
