from celery import shared_task

from linli.core.jobs import periodic
from linli.sharing import services


@periodic(minutes=15)
@shared_task(name="sharing.no_shows_mark")
def no_shows_mark():
    return services.no_shows_mark()


@periodic(minutes=30)
@shared_task(name="sharing.reminders_send")
def reminders_send():
    return services.reminders_send()
