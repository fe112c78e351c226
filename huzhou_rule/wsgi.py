import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_rule.settings")
if os.environ.get("HUZHOU_EMBEDDED_DB") == "1":  # `make run` without DATABASE_URL
    from huzhou_rule.embedded_db import ensure_database_url

    ensure_database_url()

application = get_wsgi_application()
