"""Calls into other modules, each only where that module is installed."""

from django.apps import apps


def award_points(actor, service):
    """A confirmed service also earns points where the community turned that on."""
    if not apps.is_installed("linli.points"):
        return None
    from decimal import Decimal

    from linli.points.services import award

    hours = (Decimal(service.served_minutes) / 60).quantize(Decimal("0.01"))
    return award(
        actor=actor,
        person=service.volunteer.person,
        rule_code="timebank_service",
        key=f"timebank:{service.pk}",
        quantity=hours,
        ref=f"timebank.service:{service.pk}",
        note=str(service),
    )
