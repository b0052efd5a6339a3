"""Calls into other modules, only where they are installed."""

from django.apps import apps

from linli.core.scoping import SYSTEM


def grid_installed():
    return apps.is_installed("linli.grid")


def care_alert(*, person, title, description, external_ref, device, at):
    """Open a care alert (and a grid event for the elder's helper) when the person is on the
    grid's special-care register. Returns False otherwise, so the caller falls back to its own
    care contacts."""
    if not grid_installed():
        return False
    from linli.grid import services as grid

    alert = grid.care_alert_open(
        actor=SYSTEM, person=person, title=title, description=description, external_ref=external_ref
    )
    return alert is not None
