from django.core.management.base import BaseCommand

from search.indexing import index_all


class Command(BaseCommand):
    help = "重建全站检索索引（只收录公开内容，删除不再公开的条目）"

    def handle(self, *args, **options):
        for kind, count in index_all().items():
            self.stdout.write(f"{kind}: {count}")
