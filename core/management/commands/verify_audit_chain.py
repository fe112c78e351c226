"""Recompute the audit hash chain and hold it against every signed checkpoint.

Exit status 0 with ``OK n=<rows>`` when every row is intact and every checkpoint (from the
database, the checkpoint file ``HUZHOU_AUDIT_CHECKPOINT_FILE`` and each ``--checkpoints FILE``:
an export, a mirror's copy of the Atom feed) is validly signed and still matched by the table;
otherwise each problem — the first broken ``seq``, a deleted tail, a recomputed chain, a rolled-back
database — with the checkpoint it contradicts, and a non-zero exit status, so a scheduled job or a
monitoring check can alert on tampering.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.checkpoints import verify_anchors


class Command(BaseCommand):
    help = ("校验审计日志哈希链及全部已签署的检查点：完好时输出 OK n=<行数>，"
            "否则输出每处异常及其违背的检查点并以非零状态退出。")
    # A monitoring job must not fail because of unrelated system checks (URLs, templates).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000, help="每批读取的行数")
        parser.add_argument("--checkpoints", action="append", default=[], metavar="FILE",
                            help="另行保存的检查点（导出文件、检查点文件或 Atom 订阅的副本），可重复")

    def handle(self, *args, **options) -> None:
        report = verify_anchors(options["checkpoints"], batch_size=options["batch_size"])
        if report.problems:
            if len(report.problems) == 1 and report.problems[0].startswith("seq="):
                raise CommandError(f"审计日志哈希链校验失败：{report.problems[0]}")
            raise CommandError("审计日志校验失败：\n" + "\n".join(f"- {problem}" for problem in report.problems))
        self.stdout.write(f"OK n={report.checked}")
        if report.anchors:
            newest = max(report.anchors, key=lambda anchor: anchor.seq)
            self.stdout.write(f"检查点 {len(report.anchors)} 个，签名均有效；最新 seq={newest.seq}")
        for gap in report.gaps:
            self.stdout.write(f"恢复时缺失 seq={gap.first}–{gap.last}（由 seq={gap.marker_seq} 的恢复标记签署确认）")
