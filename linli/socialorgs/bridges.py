"""Calls into points and sharing, each only where that module is installed."""

from django.apps import apps


def award_attendance(actor, signup):
    if not apps.is_installed("linli.points"):
        return None
    from linli.points.services import award

    return award(
        actor=actor,
        person=signup.person,
        rule_code="socialorgs_activity",
        key=f"socialorgs:attend:{signup.pk}",
        ref=f"socialorgs.activity:{signup.activity_id}",
        note=signup.activity.title,
    )


def book_venue(actor, activity, venue):
    """Book the shared venue for the activity on behalf of the organisation."""
    if not apps.is_installed("linli.sharing"):
        return None
    from linli.sharing.services import booking_create

    return booking_create(
        actor=actor,
        resource=venue,
        start=activity.starts_at,
        end=activity.ends_at,
        places=1,
        purpose=activity.title,
        on_behalf_of=activity.organisation,
        source=f"socialorgs.activity:{activity.pk}",
    )
