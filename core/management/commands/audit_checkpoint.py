"""Sign a checkpoint of the audit chain head now, or export every checkpoint to a file.

    manage.py audit_checkpoint                 # sign the head if it moved since the last checkpoint
    manage.py audit_checkpoint --force         # sign even if it did not
    manage.py audit_checkpoint --export FILE   # all checkpoints, JSON lines (keep a copy off-site)
"""
from __future__ import annotations

from django.core.management.base import BaseCommand

from core.checkpoints import checkpoint_create, export
from core.models import AuditCheckpoint


class Command(BaseCommand):
    help = "签署审计日志链头检查点（每小时由定时任务执行），或将全部检查点导出到文件。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="链头未变也签署新的检查点")
        parser.add_argument("--export", metavar="FILE", help="将全部检查点（JSON Lines）导出到文件")

    def handle(self, *args, **options) -> None:
        if options["export"]:
            count = export(options["export"])
            self.stdout.write(f"已导出 {count} 个检查点到 {options['export']}")
            return
        checkpoint = checkpoint_create(force=options["force"])
        if checkpoint is None:
            latest = AuditCheckpoint.objects.order_by("-seq", "-signed_at").first()
            self.stdout.write(f"链头未变（seq={latest.seq}），未签署新的检查点")
            return
        self.stdout.write(f"已签署检查点 seq={checkpoint.seq} hash={checkpoint.row_hash} key={checkpoint.key_id}")
