"""Demo e-mail subscription: a confirmed reader of decisions, the library, consultations and a
search, whose next digest covers the year so far, so the next digest run (beat, 08:30) queues one."""
import datetime as dt

from core.workdays import local_today

from . import services
from .models import Subscription


def load() -> None:
    subscription = services.subscription_request(
        email="reader@example.com", topics=["decisions", "library", "consultations", "search"], search_query="停车",
        client_key="demo")
    services.subscription_confirm(signed_token=services.confirm_token(subscription))
    Subscription.objects.filter(pk=subscription.pk).update(digest_from=dt.date(local_today().year, 1, 1))
