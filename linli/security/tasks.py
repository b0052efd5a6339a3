from celery import shared_task

from linli.core.jobs import periodic

from . import services


@periodic(minutes=1)
@shared_task
def security_devices_check():
    """Inactivity timeouts and no-data rules (water-meter care alerts)."""
    return services.devices_check()


@periodic(minutes=1)
@shared_task
def security_alarms_escalate():
    return services.alarms_escalate()


@periodic(hours=24)
@shared_task
def security_access_logs_purge():
    """Access logs are kept only for the retention period (DOMAIN §6)."""
    return services.access_logs_purge()
