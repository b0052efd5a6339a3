"""Links into other modules, each only where that module is installed."""

from django.apps import apps
from django.urls import reverse


def council_topic_url(actor, event):
    """The council page that raises this event as a topic, for staff who may manage councils."""
    if not apps.is_installed("linli.council") or not actor.has_perm("council.manage_council"):
        return None
    return reverse("console:council:topic_from_event", kwargs={"event_pk": event.pk})
