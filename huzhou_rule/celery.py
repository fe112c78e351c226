import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_rule.settings")

app = Celery("huzhou_rule")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
