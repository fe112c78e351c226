"""`make run`: the development server with a Celery worker and beat beside it.

The worker uses CELERY_BROKER_URL (by default kombu's filesystem transport under
var/broker, so no broker server is needed) and stops when the server stops."""
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.commands.runserver import Command as RunserverCommand


class Command(RunserverCommand):
    help = "启动开发服务器，并在旁边启动 Celery worker 与 beat"

    def inner_run(self, *args, **options):
        worker = None
        if os.environ.get("HUZHOU_NO_WORKER") != "1":
            options_folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS
            for key in ("data_folder_in", "data_folder_out", "processed_folder"):
                if key in options_folder:
                    Path(options_folder[key]).mkdir(parents=True, exist_ok=True)
            schedule = Path(settings.BASE_DIR) / "var" / "celerybeat-schedule"
            schedule.parent.mkdir(parents=True, exist_ok=True)
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "huzhou_rule", "worker", "-B", "--loglevel", "INFO",
                 "--concurrency", "1", "--schedule", str(schedule)],
                env=os.environ.copy(),
            )
            self.stdout.write(f"Celery worker + beat started (pid {worker.pid}, broker {settings.CELERY_BROKER_URL})")
        try:
            super().inner_run(*args, **options)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
