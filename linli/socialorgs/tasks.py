from celery import shared_task

from linli.core.jobs import periodic
from linli.socialorgs import services


@periodic(hours=24)
@shared_task
def socialorgs_reports_overdue():
    return services.reports_overdue()
