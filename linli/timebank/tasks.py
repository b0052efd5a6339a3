from celery import shared_task

from linli.core.jobs import periodic
from linli.timebank import services


@periodic(hours=1)
@shared_task
def timebank_reminders():
    return services.reminders_due()
