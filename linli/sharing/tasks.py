from celery import shared_task

from linli.core.jobs import periodic
from linli.sharing import services


@periodic(minutes=30)
@shared_task
def sharing_housekeeping():
    """Reminders a day ahead; bookings past their end without a check-in become no-shows."""
    return {"reminded": services.reminders_due(), "no_shows": services.no_shows_mark()}
