"""``manage.py rules_matrix``: every rule of the rulebook — its source article, kind (refused,
reason required, deadline), the policy table's value today, the service that enforces it and
the test that pins it. Printed from the registry the services use, so it cannot drift."""
from __future__ import annotations

import csv
import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import translation

from deadlines.selectors import rules_matrix, rules_matrix_counts

HEADER = ("规则", "来源", "内容", "依据", "类别", "政策表数值", "执行服务", "测试")


class Command(BaseCommand):
    help = "打印规则矩阵：每条规则的依据、类别、政策表数值、执行服务和测试（由规则登记表生成）。"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "csv", "markdown"), default="text")
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None,
                            help="the day whose policy values to print (YYYY-MM-DD; default today)")

    def handle(self, *args, format: str, on: dt.date | None, **options):
        translation.activate("zh-hans")
        rows = rules_matrix(on=on)
        lines = [(r.rule.code, r.rule.source, r.rule.summary, r.rule.article, r.rule.kind_label,
                  "；".join(f"{value}（{code}）" for code, value, _source in r.values) or "—",
                  r.rule.service or "—（未由本平台执行）", r.rule.test or "—") for r in rows]
        if format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(HEADER)
            writer.writerows(lines)
        elif format == "markdown":
            self.stdout.write("| " + " | ".join(HEADER) + " |")
            self.stdout.write("|" + "---|" * len(HEADER))
            for line in lines:
                self.stdout.write("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |")
        else:
            for line in lines:
                self.stdout.write(f"{line[0]:<16}{line[4]:<8}{line[1]:<10}{line[2]}")
                self.stdout.write(f"{'':<16}依据：{line[3]}；政策表：{line[5]}")
                self.stdout.write(f"{'':<16}执行：{line[6]}；测试：{line[7]}")
        counts = rules_matrix_counts(rows)
        self.stdout.write(
            f"共{len(rows)}条规则：拒绝办理{counts['refused']}条，须说明理由{counts['reason']}条，"
            f"计算期限{counts['deadline']}条；其中未由本平台执行{counts['not_enforced']}条。")
