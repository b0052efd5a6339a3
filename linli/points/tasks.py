from celery import shared_task
from django.utils import timezone

from linli.core.jobs import periodic
from linli.points import services


@periodic(hours=1)
@shared_task
def points_expiry():
    """From 1 January, points earned two years ago expire (idempotent per resident and year);
    in December residents are warned about last year's points."""
    today = timezone.localdate()
    expired = services.expire_year(year=today.year - 2)
    warned = services.expiry_warn(year=today.year - 1) if today.month == 12 else 0
    return {"expired": expired, "warned": warned}


@periodic(hours=1)
@shared_task
def redemptions_expire():
    return services.redemptions_expire_due()
