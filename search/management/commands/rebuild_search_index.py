import time

from django.core.management.base import BaseCommand
from django.db import connection

from search.indexing import index_all


class Command(BaseCommand):
    help = "重建全站检索索引（只收录公开内容，删除不再公开的条目）"

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = index_all()
        seconds = time.monotonic() - started
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"{sum(counts.values())} entries in {seconds:.0f} s "
                          f"({sum(counts.values()) / max(seconds, 0.001):.0f} entries/s)")
        with connection.cursor() as cursor:  # the search sizes its date windows from ANALYZE's statistics
            cursor.execute("ANALYZE search_searchentry")
