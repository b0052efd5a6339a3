"""Reads for pages and the API; each starts from what the actor may see."""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from linli.ledger import selectors as ledger_selectors
from linli.points.choices import AwardState, RedemptionState
from linli.points.models import Activity, Award, Item, Redemption, Rule
from linli.points.services import community_of, person_account


def rules_for_person(person):
    """The rules in force for a resident, one per code (community over street over default)."""
    from linli.points.services import rule_for

    codes = Rule.objects.filter(active=True).values_list("code", flat=True).distinct()
    rules = [rule_for(person, code) for code in sorted(set(codes))]
    return [r for r in rules if r is not None]


def rules(actor):
    return Rule.objects.visible_to(actor).select_related("unit") | Rule.objects.filter(
        unit__isnull=True
    )


def summary(person):
    account = person_account(person)
    return {
        "balance": account.balance,
        "available": account.balance - account.held,
        "held": account.held,
        "earned": ledger_selectors.total_issued(credit=account, kind="earn"),
    }


def history(person, limit=50):
    account = person_account(person)
    return [
        {"transfer": t, "amount": ledger_selectors.signed(account, t)}
        for t in ledger_selectors.history(account, limit=limit)
    ]


def activities(actor, *, upcoming=False, now=None):
    qs = Activity.objects.visible_to(actor).select_related("rule", "unit")
    if upcoming:
        qs = qs.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")
    return qs.annotate(checkin_count=Count("checkins"))


def awards(actor, *, state=None):
    qs = Award.objects.visible_to(actor).select_related(
        "person", "rule", "person__household__building__estate"
    )
    return qs.filter(state=state) if state else qs


def catalogue(actor):
    today = timezone.localdate()
    return (
        Item.objects.visible_to(actor)
        .filter(active=True)
        .exclude(available_from__gt=today)
        .exclude(available_until__lt=today)
        .select_related("unit", "estate")
    )


def items(actor):
    return (
        Item.objects.visible_to(actor)
        .select_related("unit", "estate")
        .annotate(
            redeemed=Count("redemptions", filter=Q(redemptions__state=RedemptionState.FULFILLED))
        )
    )


def redemptions(actor, *, state=None):
    qs = Redemption.objects.visible_to(actor).select_related("item", "person")
    return qs.filter(state=state) if state else qs


def my_redemptions(person):
    return Redemption.objects.filter(person=person).select_related("item")


def leaderboard(actor, *, unit_path, by="person", limit=20, year=None):
    """Points earned (granted awards) in the year, by resident or by grid, under ``unit_path``."""
    year = year or timezone.localdate().year
    qs = Award.objects.visible_to(actor, "points.view_award").filter(
        state=AwardState.GRANTED,
        earned_on__year=year,
        person__household__building__grid__path__startswith=unit_path,
    )
    if by == "grid":
        rows = qs.values(
            "person__household__building__grid__name", "person__household__building__grid__code"
        )
    else:
        rows = qs.values("person_id", "person__name")
    return rows.annotate(points=Sum("points")).order_by("-points")[:limit]


def community_ranking(person, *, limit=20, year=None):
    """The resident's own community's ranking, names shortened for privacy."""
    community = community_of(person)
    if community is None:
        return [], None
    year = year or timezone.localdate().year
    rows = list(
        Award.objects.filter(
            state=AwardState.GRANTED,
            earned_on__year=year,
            person__household__building__estate__community=community,
        )
        .values("person_id", "person__name")
        .annotate(points=Sum("points"))
        .order_by("-points", "person_id")
    )
    mine = next((i + 1 for i, r in enumerate(rows) if r["person_id"] == person.pk), None)
    top = [
        {
            "rank": i + 1,
            "name": _short(r["person__name"]),
            "points": r["points"],
            "me": r["person_id"] == person.pk,
        }
        for i, r in enumerate(rows[:limit])
    ]
    return top, mine


def _short(name):
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def stats(actor, *, unit_path, year=None):
    year = year or timezone.localdate().year
    awards_qs = Award.objects.visible_to(actor).filter(
        earned_on__year=year, person__household__building__grid__path__startswith=unit_path
    )
    granted = awards_qs.filter(state=AwardState.GRANTED)
    by_category = (
        granted.values("rule__category").annotate(points=Sum("points"), n=Count("id"))
    ).order_by("-points")
    return {
        "issued": granted.aggregate(s=Sum("points"))["s"] or 0,
        "earners": granted.values("person").distinct().count(),
        "pending": awards_qs.filter(state=AwardState.PENDING).count(),
        "redeemed": Redemption.objects.visible_to(actor)
        .filter(state=RedemptionState.FULFILLED, created_at__year=year)
        .aggregate(s=Sum("points"))["s"]
        or 0,
        "by_category": list(by_category),
    }


def monthly(actor, *, unit_path, months=12):
    """Points earned per month and category, and points redeemed per month."""
    from django.db.models.functions import TruncMonth

    since = timezone.now() - timedelta(days=31 * months)
    earned = (
        Award.objects.visible_to(actor)
        .filter(
            state=AwardState.GRANTED,
            created_at__gte=since,
            person__household__building__grid__path__startswith=unit_path,
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month", "rule__category")
        .annotate(points=Sum("points"))
        .order_by("month")
    )
    redeemed = (
        Redemption.objects.visible_to(actor)
        .filter(state=RedemptionState.FULFILLED, closed_at__gte=since)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(points=Sum("points"))
        .order_by("month")
    )
    return list(earned), list(redeemed)
