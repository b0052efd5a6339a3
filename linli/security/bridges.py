"""Calls into other modules, only where they are installed."""

from django.apps import apps

from linli.core.scoping import SYSTEM


def grid_installed():
    return apps.is_installed("linli.grid")


def care_alert(*, person, title, description, external_ref, device, at):
    """Open a care alert (and a grid event for the elder's helper) and record the smart-device
    check. Returns False when the grid module is absent so the caller falls back."""
    if not grid_installed():
        return False
    from linli.grid import services as grid

    grid.care_alert_open(
        actor=SYSTEM, person=person, title=title, description=description, external_ref=external_ref
    )
    grid.care_device_check(actor=SYSTEM, person=person, device_ref=device.code, at=at)
    return True
