"""After a restore: compare the database with what was published and move every counter past it.

The newest validly signed checkpoint (``core.checkpoints``, from the database, the checkpoint
file and any copies given) says how far the audit chain had reached and the highest official
number of every counter (文号, 索引号, 审查建议编号, 立案编号) and id sequence when it was signed;
numbers are checkpointed right after they are issued. A database restored from an older backup
is behind it: those numbers may already be public and must never be issued again.

``reconcile`` reports what the database lost and, unless ``dry_run``, in one transaction:
continues the audit chain after the published head with a signed restore marker, advances each
counter and id sequence to the published value, and signs a new checkpoint.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from psycopg2 import sql

from .audit import chain_head, record_restore_marker
from .checkpoints import (
    checkpoint_create,
    collect_anchors,
    id_watermarks,
    latest_anchor,
)
from .models import AuditEvent
from .sequences import OFFICIAL_SEQUENCES, sequence_advance

#: At most this many lost numbers are named one by one per counter.
LISTED = 20


@dataclass
class Reconciliation:
    checkpoint: dict | None
    lines: list[str] = field(default_factory=list)
    lost_audit_rows: int = 0
    lost_numbers: int = 0
    advanced_ids: int = 0
    applied: bool = False


def _counter_value(label: str, key: dict) -> int:
    spec = OFFICIAL_SEQUENCES[label]
    return spec.model.objects.filter(**key).values_list("last", flat=True).first() or 0


def reconcile(paths: Iterable[str | Path] = (), *, dry_run: bool = False) -> Reconciliation:
    anchors = collect_anchors(paths)
    anchor = latest_anchor(anchors)
    result = Reconciliation(checkpoint=None)
    if anchor is None:
        result.lines.append("没有找到签名有效的检查点，无法判断恢复后缺失了什么。请用 --checkpoints 提供检查点文件或订阅副本。")
        return result
    result.checkpoint = {"document": anchor.document, "signature": anchor.signature}
    document = anchor.document
    result.lines.append(f"依据{anchor.describe()}")
    with transaction.atomic():
        # ---- audit chain
        head_seq, _hash, _time = chain_head()
        if head_seq < anchor.seq:
            result.lost_audit_rows = anchor.seq - head_seq
            result.lines.append(f"审计日志：数据库只到 seq={head_seq}，已公布的检查点到 seq={anchor.seq}，"
                                f"缺失 {result.lost_audit_rows} 行（seq={head_seq + 1}–{anchor.seq}）")
        else:
            local = AuditEvent.objects.filter(seq=anchor.seq).values_list("row_hash", flat=True).first()
            if local != anchor.row_hash:
                result.lines.append(f"审计日志：seq={anchor.seq} 的哈希与已公布的检查点不同——数据库与公布的记录不一致，"
                                    f"请先查明原因（verify_audit_chain）")
            else:
                result.lines.append(f"审计日志：完整（数据库到 seq={head_seq}，不早于检查点）")

        # ---- official numbers
        published = document.get("watermarks", {}).get("sequences", {})
        advances: list[tuple[str, dict, int]] = []
        for label, entries in sorted(published.items()):
            spec = OFFICIAL_SEQUENCES.get(label)
            if spec is None:
                result.lines.append(f"未知的编号序列 {label}（本版本没有），跳过")
                continue
            for entry in entries:
                key, last = entry["key"], int(entry["last"])
                current = _counter_value(label, key)
                if current >= last:
                    continue
                lost = list(range(current + 1, last + 1))
                result.lost_numbers += len(lost)
                names = [spec.describe(key, serial) if spec.describe else str(serial) for serial in lost[:LISTED]]
                more = f" 等 {len(lost)} 个" if len(lost) > LISTED else ""
                result.lines.append(f"{spec.label}：数据库已用至 {current}，已公布至 {last}；"
                                    f"缺失（已公布，不得再发）：{'、'.join(names)}{more}")
                advances.append((label, key, last))

        # ---- ids
        local_ids = id_watermarks()
        id_advances = []
        for name, published_last in sorted(document.get("watermarks", {}).get("ids", {}).items()):
            if local_ids.get(name, 0) < published_last:
                id_advances.append((name, published_last))
                result.lines.append(f"编号序列 {name}：数据库为 {local_ids.get(name, 0)}，已公布至 {published_last}")
        result.advanced_ids = len(id_advances)

        if not (result.lost_audit_rows or advances or id_advances):
            result.lines.append("数据库不落后于已公布的检查点，无需调整。")
            return result
        if dry_run:
            result.lines.append("（试运行：未作任何改动）")
            transaction.set_rollback(True)
            return result

        if result.lost_audit_rows:
            marker = record_restore_marker(
                checkpoint=result.checkpoint, local_head_seq=head_seq,
                reason=f"数据库从备份恢复，seq={head_seq + 1}–{anchor.seq} 已丢失；审计链自已公布的检查点续接")
            result.lines.append(f"已写入恢复标记 seq={marker.seq}，审计链自检查点续接")
        for label, key, last in advances:
            sequence_advance(label, key, last)
        with connection.cursor() as cursor:
            for name, last in id_advances:
                cursor.execute(sql.SQL("SELECT setval({}, %s, true)").format(sql.Literal(name)), [last])
        result.lines.append(f"已推进：编号 {len(advances)} 组、id 序列 {len(id_advances)} 个")
        result.applied = True
    checkpoint = checkpoint_create(force=True)
    result.lines.append(f"已签署新的检查点 seq={checkpoint.seq}")
    return result
