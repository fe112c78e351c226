from celery import shared_task

from .digests import digests_send
from .services import subscriptions_purge_unconfirmed


@shared_task(name="subscriptions.tasks.send_subscription_digests")
def send_subscription_digests() -> dict:
    """Daily: purge addresses that never confirmed, then queue each subscriber's digest."""
    purged = subscriptions_purge_unconfirmed()
    return {**digests_send(), "purged": purged}
