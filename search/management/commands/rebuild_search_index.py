import time

from django.core.management.base import BaseCommand

from search.indexing import analyze, cluster_by_publication, index_all


class Command(BaseCommand):
    help = "重建全站检索索引（只收录公开内容，删除不再公开的条目）"

    def add_arguments(self, parser):
        parser.add_argument("--cluster", action="store_true",
                            help="then order the table by publication day (CLUSTER; the search waits while it runs: "
                                 "for a new index)")

    def handle(self, *args, cluster=False, **options):
        started = time.monotonic()
        counts = index_all()
        seconds = time.monotonic() - started
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"{sum(counts.values())} entries in {seconds:.0f} s "
                          f"({sum(counts.values()) / max(seconds, 0.001):.0f} entries/s)")
        if cluster:
            started = time.monotonic()
            cluster_by_publication()
            self.stdout.write(f"ordered by publication day in {time.monotonic() - started:.0f} s")
        analyze()
