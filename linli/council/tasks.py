from celery import shared_task

from linli.core.jobs import periodic
from linli.council import services


@periodic(hours=1)
@shared_task
def flag_overdue_council_tasks():
    """Overdue follow-up tasks notify the chair and secretary once."""
    return services.tasks_flag_overdue()
