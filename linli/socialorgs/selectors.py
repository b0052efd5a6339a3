"""Reads for the social-organisation pages."""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from linli.socialorgs.choices import SignupState
from linli.socialorgs.models import Activity, Profile, Purchase, Signup


def profiles(actor):
    return Profile.objects.visible_to(actor).select_related("organisation__unit")


def activities(actor, *, upcoming=False, now=None):
    qs = Activity.objects.visible_to(actor, "socialorgs.view_activity").select_related(
        "organisation"
    )
    if upcoming:
        qs = qs.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")
    return qs


def my_signups(person):
    return (
        Signup.objects.filter(person=person)
        .select_related("activity")
        .order_by("-activity__starts_at")
    )


def stats(actor, *, year=None):
    """Organisations by field and status, members, activities and participants per month,
    spend per field, purchase projects on track."""
    from linli.socialorgs.services import progress

    year = year or timezone.localdate().year
    orgs = profiles(actor)
    by_field = list(
        orgs.values("field").annotate(n=Count("id"), members=Sum("members")).order_by("-n")
    )
    by_legal = list(orgs.values("legal").annotate(n=Count("id")).order_by("legal"))
    acts = Activity.objects.visible_to(actor, "socialorgs.view_profile").filter(
        starts_at__year=year
    )
    monthly = list(
        acts.annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(
            activities=Count("id", distinct=True),
            participants=Count("signups", filter=Q(signups__state=SignupState.ATTENDED)),
        )
        .order_by("month")
    )
    purchases = Purchase.objects.visible_to(actor, "socialorgs.view_purchase").select_related(
        "organisation__profile"
    )
    spend, on_track = {}, []
    today = timezone.localdate()
    for p in purchases:
        field = getattr(getattr(p.organisation, "profile", None), "field", "other")
        spend[field] = spend.get(field, 0) + float(p.budget)
        _rows, overall = progress(p)
        elapsed = max(0, min(1, (today - p.starts).days / max((p.ends - p.starts).days, 1)))
        on_track.append((p, overall, round(elapsed * 100), overall >= elapsed * 100 - 10))
    return {
        "orgs": orgs.count(),
        "members": orgs.aggregate(s=Sum("members"))["s"] or 0,
        "by_field": by_field,
        "by_legal": by_legal,
        "monthly": monthly,
        "attended": sum(m["participants"] for m in monthly),
        "spend": sorted(spend.items(), key=lambda kv: -kv[1]),
        "purchases": on_track,
    }


def recent_attendance(actor, days=30):
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        Signup.objects.visible_to(actor)
        .filter(state=SignupState.ATTENDED, checked_in_at__gte=since)
        .count()
    )
