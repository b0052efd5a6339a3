"""Calls into other modules, only where they are installed."""

from django.apps import apps


def award_points(*, actor, user, key, note=""):
    """Taking part (co-signing an adopted topic, attending) earns points where points exist."""
    if not apps.is_installed("linli.points") or not getattr(user, "person_id", None):
        return None
    from linli.points.services import award

    return award(actor=actor, person=user.person, rule_code="council", key=key, note=note)


def renovation_start(*, actor, resolution, url):
    if not apps.is_installed("linli.renovation"):
        return None
    from linli.renovation.services import project_create

    council = resolution.meeting.council
    return project_create(
        actor=actor,
        estate=council.estate,
        title=resolution.topic.title,
        source={
            "kind": "council.resolution",
            "id": resolution.pk,
            "label": resolution.topic.title,
            "url": url,
        },
    )


def renovation_available():
    return apps.is_installed("linli.renovation")


def recurring_event_suggestions(actor, *, since):
    """(estate, category, count) rows from the grid, or nothing without the grid module."""
    if not apps.is_installed("linli.grid"):
        return []
    from linli.grid.selectors import recurring_events

    return list(recurring_events(actor, since=since, min_count=3))


def grid_event_or_404(actor, pk):
    """The grid event behind the console's "提交议事会" button, as the actor may see it."""
    from django.http import Http404

    if not apps.is_installed("linli.grid"):
        raise Http404
    from linli.core.scoping import get_visible_or_404
    from linli.grid.models import Event

    return get_visible_or_404(Event, actor, pk=pk)
