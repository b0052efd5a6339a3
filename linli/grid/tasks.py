from celery import shared_task

from linli.core.jobs import periodic
from linli.grid import services


@periodic(minutes=10)
@shared_task
def grid_sweep():
    """Due-soon warnings and escalation of overdue events."""
    return services.events_sweep()
