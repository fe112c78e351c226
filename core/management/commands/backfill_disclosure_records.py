"""Give every item published before disclosure records existed its 索引号, in order of publication."""
from django.core.management.base import BaseCommand

from core.disclosure import disclosure_backfill


class Command(BaseCommand):
    help = "为已公布的政府信息补编索引号（按公布先后；可重复执行）"

    def handle(self, *args, **options):
        count = disclosure_backfill()
        self.stdout.write(f"已补编索引号 {count} 条。")
