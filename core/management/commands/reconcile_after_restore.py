"""After restoring the database from a backup: report what it lost against the newest published
checkpoint and advance every counter past what was published, so nothing official is issued twice.

    manage.py reconcile_after_restore --dry-run                       # report only
    manage.py reconcile_after_restore --checkpoints saved-feed.xml    # plus copies kept elsewhere

Run it as the owner role (it sets id sequences), before the application takes traffic again.
Checkpoints are read from the database, HUZHOU_AUDIT_CHECKPOINT_FILE and every --checkpoints file
(an export, the checkpoint file of another machine, a saved copy of /transparency/feed/)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.restore import reconcile


class Command(BaseCommand):
    help = "数据库恢复后：对照最新的已公布检查点报告缺失内容，并将审计序号、文号、索引号、建议编号、id 等推进到已公布之后。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--checkpoints", action="append", default=[], metavar="FILE",
                            help="另行保存的检查点（导出文件、检查点文件或 Atom 订阅的副本），可重复")
        parser.add_argument("--dry-run", action="store_true", help="只报告，不作改动")

    def handle(self, *args, **options) -> None:
        result = reconcile(options["checkpoints"], dry_run=options["dry_run"])
        for line in result.lines:
            self.stdout.write(line)
        if result.checkpoint is None:
            raise CommandError("没有可依据的检查点")
        self.stdout.write(f"合计：审计日志缺失 {result.lost_audit_rows} 行，已公布编号缺失 {result.lost_numbers} 个，"
                          f"id 序列落后 {result.advanced_ids} 个；{'已调整' if result.applied else '未改动'}")
