"""Audit checkpoints (anchors): signed statements of the chain head and of the highest official
numbers issued, kept where the database cannot rewrite them.

A checkpoint's document::

    {"type": "huzhou-audit-checkpoint", "version": 1, "site": SITE_URL,
     "seq": 942, "row_hash": "…", "head_time": "2026-05-11T02:00:00.000000Z",
     "signed_at": "…", "watermarks": {"sequences": {"normative_docs.numbersequence": [{"key": {…}, "last": 5}]},
                                      "ids": {"decisions_decision_id_seq": 118, …}}}

signed with Ed25519 (``core.signing``). Each one is stored in ``AuditCheckpoint``, appended to
``HUZHOU_AUDIT_CHECKPOINT_FILE`` (outside the database), published at ``/transparency/`` and in
its Atom feed, and exportable with ``manage.py audit_checkpoint --export``. ``verify_anchors``
holds the table against every copy it is given; ``reconcile_after_restore`` uses the newest one
to advance numbers past anything published.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .audit import Gap, _lock_chain, chain_head, verify_chain
from .models import AuditCheckpoint
from .sequences import sequence_watermarks
from .signing import sign, verify

log = logging.getLogger(__name__)

DOCUMENT_TYPE = "huzhou-audit-checkpoint"


def _utc(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment else None


def id_watermarks() -> dict[str, int]:
    """The last value of every id sequence of the schema (one query)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences "
                       "WHERE schemaname = current_schema() AND last_value IS NOT NULL ORDER BY sequencename")
        return dict(cursor.fetchall())


def checkpoint_create(*, force: bool = False) -> AuditCheckpoint | None:
    """Sign the current head. Unless ``force``, nothing happens when the newest checkpoint
    already names this head (returns None). The copy outside the database is written after commit."""
    with transaction.atomic():
        _lock_chain()  # the head and the numbers must not move while they are read
        seq, row_hash, head_time = chain_head()
        latest = AuditCheckpoint.objects.order_by("-seq", "-signed_at").first()
        if not force and latest is not None and latest.seq == seq and latest.row_hash == row_hash:
            return None
        now = timezone.now()
        document = {
            "type": DOCUMENT_TYPE, "version": 1, "site": settings.SITE_URL,
            "seq": seq, "row_hash": row_hash, "head_time": _utc(head_time), "signed_at": _utc(now),
            "watermarks": {"sequences": sequence_watermarks(), "ids": id_watermarks()},
        }
        signature = sign(document)
        checkpoint = AuditCheckpoint.objects.create(
            seq=seq, row_hash=row_hash, head_time=head_time, signed_at=now, key_id=signature.key_id,
            document=document, signature=signature.value)
        transaction.on_commit(lambda: write_to_sink(checkpoint.signed_copy()))
    return checkpoint


def write_to_sink(copy: dict) -> None:
    path = settings.HUZHOU_AUDIT_CHECKPOINT_FILE
    if not path:
        return
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as sink:
            sink.write(json.dumps(copy, ensure_ascii=False, sort_keys=True) + "\n")
            sink.flush()
    except OSError:
        # The checkpoint is signed and in the database and feed; a missing file copy is an alert, not a stop.
        log.exception("audit checkpoint seq=%s could not be appended to %s", copy["document"]["seq"], path)


def export(path: str) -> int:
    """Every checkpoint in the database, oldest first, as JSON lines (the format of the sink)."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for checkpoint in AuditCheckpoint.objects.order_by("signed_at", "id").iterator():
            out.write(json.dumps(checkpoint.signed_copy(), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


# ---------------------------------------------------------------- copies from outside
def _copies_in_text(text: str) -> list[dict]:
    text = text.strip()
    if not text:
        return []
    if text.startswith("<"):  # a saved copy of the Atom feed: each entry's summary is one signed copy
        atom = "{http://www.w3.org/2005/Atom}"
        root = ET.fromstring(text)
        return [json.loads(entry.findtext(f"{atom}summary") or entry.findtext(f"{atom}content"))
                for entry in root.iter(f"{atom}entry")]
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def read_copies(path: str | Path) -> list[dict]:
    """Signed copies from a file: JSON lines (sink, export), a JSON list, or a saved Atom feed."""
    return _copies_in_text(Path(path).read_text(encoding="utf-8"))


@dataclass
class Anchor:
    """One checkpoint, however many copies of it were found."""

    document: dict
    signature: dict
    sources: set[str] = field(default_factory=set)
    signature_problem: str | None = None

    @property
    def seq(self) -> int:
        return int(self.document.get("seq", -1))

    @property
    def row_hash(self) -> str:
        return str(self.document.get("row_hash", ""))

    def describe(self) -> str:
        return (f"检查点（seq={self.seq}，哈希 {self.row_hash[:16]}…，签署于 {self.document.get('signed_at')}，"
                f"来源：{'、'.join(sorted(self.sources))}）")


def collect_anchors(paths: Iterable[str | Path] = (), *, include_database: bool = True,
                    include_sink: bool = True) -> list[Anchor]:
    """Every checkpoint known from the database, the sink file and ``paths``, oldest first,
    with its signature checked."""
    found: dict[str, Anchor] = {}

    def add(copy: dict, source: str) -> None:
        document, signature = copy.get("document") or {}, copy.get("signature") or {}
        anchor = found.setdefault(str(signature.get("value")) + str(document.get("seq")),
                                  Anchor(document=document, signature=signature))
        anchor.sources.add(source)

    if include_database:
        for checkpoint in AuditCheckpoint.objects.order_by("signed_at", "id"):
            add(checkpoint.signed_copy(), "数据库")
    sink = settings.HUZHOU_AUDIT_CHECKPOINT_FILE
    if include_sink and sink and Path(sink).exists():
        for copy in read_copies(sink):
            add(copy, "检查点文件")
    for path in paths:
        for copy in read_copies(path):
            add(copy, str(path))
    anchors = sorted(found.values(), key=lambda anchor: (anchor.seq, str(anchor.document.get("signed_at"))))
    for anchor in anchors:
        anchor.signature_problem = (verify(anchor.document, anchor.signature)
                                    or (None if anchor.document.get("type") == DOCUMENT_TYPE else "不是审计检查点"))
    return anchors


def latest_anchor(anchors: list[Anchor]) -> Anchor | None:
    valid = [anchor for anchor in anchors if anchor.signature_problem is None]
    return max(valid, key=lambda anchor: anchor.seq) if valid else None


@dataclass
class AnchorReport:
    checked: int
    anchors: list[Anchor]
    gaps: list[Gap]
    problems: list[str]


def verify_anchors(paths: Iterable[str | Path] = (), *, batch_size: int = 2000) -> AnchorReport:
    """Hold the table against every checkpoint: each signature must be valid, each checkpointed
    seq must still carry the signed hash, and the table must reach the newest checkpoint."""
    anchors = collect_anchors(paths)
    gaps: list[Gap] = []
    hashes_at: dict[int, str | None] = {anchor.seq: None for anchor in anchors}
    checked, chain_problem = verify_chain(batch_size, gaps=gaps, hashes_at=hashes_at)
    problems = []
    if chain_problem is not None:
        problems.append(f"seq={chain_problem.seq}：{chain_problem.problem}（此前 {checked} 行完好）")
    head_seq = chain_head()[0]
    checkpoint_signatures = set(AuditCheckpoint.objects.values_list("signature", flat=True))
    for anchor in anchors:
        if anchor.signature_problem:
            problems.append(f"{anchor.describe()}：{anchor.signature_problem}")
            continue
        if anchor.seq == 0:
            continue
        in_gap = next((gap for gap in gaps if gap.first <= anchor.seq <= gap.last), None)
        if in_gap is not None:
            continue  # lost in a restore and acknowledged by the signed marker
        actual = hashes_at.get(anchor.seq)
        if anchor.seq > head_seq:
            lost = anchor.seq - head_seq
            if anchor.signature.get("value") in checkpoint_signatures:
                problems.append(f"{anchor.describe()}：审计表只到 seq={head_seq}，缺少最新的 {lost} 行（尾部被删除）")
            else:
                problems.append(f"{anchor.describe()}：审计表只到 seq={head_seq}，且数据库中没有这个检查点——"
                                f"数据库被回滚或从较早的备份恢复，缺少 {lost} 行；请运行 reconcile_after_restore")
        elif actual is None and chain_problem is None:
            problems.append(f"{anchor.describe()}：审计表中没有 seq={anchor.seq} 这一行")
        elif actual is not None and actual != anchor.row_hash:
            problems.append(f"{anchor.describe()}：seq={anchor.seq} 的哈希在表中为 {actual[:16]}…，"
                            f"与签署的不同（链被改写后重新计算）")
    return AnchorReport(checked=checked, anchors=anchors, gaps=gaps, problems=problems)
