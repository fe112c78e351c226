"""Load the demo accounts and Huzhou demo content. Idempotent: a second run changes nothing."""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from consultations import demo as consultations_demo
from core.models import Department, Role, User
from deadlines.services import reminders_deliver_due
from decisions import demo as decisions_demo
from enforcement import demo as enforcement_demo
from normative_docs import demo as normative_demo
from search.indexing import index_all
from search.models import SearchEntry
from subscriptions import demo as subscriptions_demo
from workbench import demo_bodies as bodies_demo

DEMO_ACCOUNTS = [
    # username, full name, department code, roles, is_superuser
    ("demo_staff", "张承办", "hz-drc", [Role.STAFF, Role.HEAD], False),
    ("demo_staff2", "李承办", "hz-nrp", [Role.STAFF], False),
    ("demo_reviewer", "王审查", "hz-justice", [Role.REVIEWER], False),
    ("demo_review_lead", "赵科长", "hz-justice", [Role.REVIEWER, Role.HEAD], False),
    ("demo_office", "陈秘书", "hz-office", [Role.OFFICE], False),
    ("demo_supervisor", "周监督", "hz-justice", [Role.SUPERVISOR], False),
    # 三员分立: three administrators, none a superuser, none holding two of the roles
    ("demo_admin", "系统管理员", "hz-justice", [Role.ADMIN], False),
    ("demo_security_admin", "安全管理员", "hz-justice", [Role.SECURITY_ADMIN], False),
    ("demo_audit_admin", "审计管理员", "hz-justice", [Role.AUDIT_ADMIN], False),
    ("demo_officer", "孙执法", "hz-amr", [Role.STAFF], False),
    ("demo_officer2", "吴执法", "hz-amr", [Role.STAFF], False),
    ("demo_enforcement_head", "郑局长", "hz-amr", [Role.STAFF, Role.HEAD], False),
]


class Command(BaseCommand):
    help = "载入演示账号与演示数据（可重复执行，不会重复创建）"

    def handle(self, *args, **options):
        if User.objects.filter(username="demo_staff").exists():
            self.stdout.write("演示数据已存在，未作改动。")
            if not User.objects.filter(username="demo_township").exists():  # loaded before issue 16
                with transaction.atomic():
                    bodies_demo.create_accounts(settings.DEMO_PASSWORD)
                    bodies_demo.load()
                self.stdout.write(self.style.SUCCESS("已补充各层级演示数据。"))
        else:
            with transaction.atomic():
                self._create_accounts()
                decisions_demo.load(office=User.objects.get(username="demo_office"),
                                    reviewer=User.objects.get(username="demo_reviewer"))
                normative_demo.load(staff=User.objects.get(username="demo_staff"),
                                    reviewer=User.objects.get(username="demo_reviewer"))
                enforcement_demo.load(officer=User.objects.get(username="demo_officer"),
                                      officer2=User.objects.get(username="demo_officer2"),
                                      head=User.objects.get(username="demo_enforcement_head"),
                                      reviewer=User.objects.get(username="demo_reviewer"))
                consultations_demo.load()  # after the decision and normative demos opened their comment periods
                subscriptions_demo.load()
                bodies_demo.create_accounts(settings.DEMO_PASSWORD)
                bodies_demo.load()  # every level: district, township, 司法所, contracts, advisers (issue 16)
            # The demo replays past dates; reminders whose moment has passed arrive now, as after a catch-up sweep.
            while reminders_deliver_due():
                pass
            self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
        if not SearchEntry.objects.exists():  # searchable at once (/search/?q=湖州), not after the next repair
            index_all()
        self.stdout.write("演示账号（密码为环境变量 DEMO_PASSWORD，默认 Huzhou#Demo2026）：")
        accounts = [row[:4] for row in DEMO_ACCOUNTS] + bodies_demo.ACCOUNTS
        for username, name, code, roles in accounts:
            labels = "、".join(str(Role(r).label) for r in roles)
            self.stdout.write(f"  {username:22} {name}  {Department.objects.get(code=code).name}  {labels}")

    def _create_accounts(self) -> None:
        for username, name, code, roles, superuser in DEMO_ACCOUNTS:
            user = User(username=username, full_name=name, department=Department.objects.get(code=code),
                        roles=list(roles), is_staff=superuser or Role.ADMIN in roles, is_superuser=superuser)
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            if Role.ADMIN in roles:  # accounts and reference data in the Django admin, not the audit trail
                from django.contrib.auth.models import Permission

                user.user_permissions.set(Permission.objects.exclude(content_type__model="auditevent")
                                          .exclude(content_type__app_label__in=["axes", "otp_totp", "authtoken"]))
