"""List (and with --delete remove) uploaded files that no attachment row refers to.

Such files come from uploads whose process was killed between writing and committing, or from a
database restored to a moment before they were uploaded. Staged files younger than --min-age
minutes belong to uploads still in flight and are left alone. Rows whose file is missing (a
restored uploads folder older than the database) are reported too, never changed."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from core import storage
from core.models import Attachment


def scan(*, min_age: dt.timedelta) -> tuple[list[Path], list[Attachment]]:
    """(orphan files, rows without a file)."""
    root = storage.root()
    known = set(Attachment.objects.values_list("stored_path", flat=True).iterator(chunk_size=5000))
    cutoff = time.time() - min_age.total_seconds()
    orphans = []
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root).as_posix()
            if relative.startswith(storage.STAGING + "/"):
                if path.stat().st_mtime < cutoff:
                    orphans.append(path)
            elif relative not in known:
                orphans.append(path)
    missing = [attachment for attachment in Attachment.objects.only("id", "stored_path", "original_name").iterator()
               if not storage.final_path(attachment.stored_path).exists()]
    return orphans, missing


class Command(BaseCommand):
    help = "列出（加 --delete 则删除）上传目录中没有附件记录对应的文件；同时报告文件缺失的附件记录。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--delete", action="store_true", help="删除找到的孤立文件")
        parser.add_argument("--min-age", type=int, default=60, metavar="MINUTES",
                            help="暂存区中早于此分钟数的文件才算孤立（默认 60）")

    def handle(self, *args, **options) -> None:
        orphans, missing = scan(min_age=dt.timedelta(minutes=options["min_age"]))
        root = storage.root()
        for path in orphans:
            self.stdout.write(f"孤立文件：{path.relative_to(root).as_posix()}（{path.stat().st_size} 字节）")
            if options["delete"]:
                path.unlink(missing_ok=True)
        for attachment in missing:
            self.stdout.write(f"缺少文件：附件 #{attachment.pk} {attachment.original_name}（{attachment.stored_path}）")
        action = "已删除" if options["delete"] else "找到"
        self.stdout.write(f"{action}孤立文件 {len(orphans)} 个；缺少文件的附件记录 {len(missing)} 条")
