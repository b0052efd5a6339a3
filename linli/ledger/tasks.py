from celery import shared_task

from linli.core.jobs import periodic
from linli.ledger import services


@periodic(minutes=5)
@shared_task
def holds_expire():
    """Release reservations nobody posted in time (e.g. a redemption never collected)."""
    return services.holds_expire_due()
