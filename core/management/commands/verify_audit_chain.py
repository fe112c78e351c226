"""Recompute the audit hash chain and report the first broken row.

Exit status 0 with ``OK n=<rows>`` when every row is intact; otherwise the
first bad ``seq`` and what is wrong with it, and a non-zero exit status, so a
scheduled job or a monitoring check can alert on tampering.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链：完好时输出 OK n=<行数>，否则输出第一处异常的序号和问题并以非零状态退出。"
    # A monitoring job must not fail because of unrelated system checks (URLs, templates).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000, help="每批读取的行数")

    def handle(self, *args, **options) -> None:
        checked, problem = verify_chain(batch_size=options["batch_size"])
        if problem is not None:
            raise CommandError(
                f"审计日志哈希链校验失败：seq={problem.seq}：{problem.problem}（此前 {checked} 行完好）"
            )
        self.stdout.write(f"OK n={checked}")
