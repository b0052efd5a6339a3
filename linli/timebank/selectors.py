"""Reads for the time bank's pages and API."""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from linli.ledger.models import Account, Transfer
from linli.org.choices import UnitKind
from linli.org.models import OrgUnit
from linli.timebank.choices import OPEN_STATES, ServiceState, VolunteerStatus
from linli.timebank.models import Flag, Gift, Service, Volunteer
from linli.timebank.services import person_account


def services(actor, *, state=None):
    qs = Service.objects.visible_to(actor).select_related(
        "elder__household__building__estate", "category", "volunteer__person"
    )
    return qs.filter(state=state) if state else qs


def volunteer_of(person):
    return Volunteer.objects.filter(person=person).prefetch_related("skills").first()


def my_requests(person):
    return (
        Service.objects.filter(Q(elder=person) | Q(payer=person))
        .select_related("category", "volunteer__person")
        .order_by("-starts_at")
    )


def my_services(volunteer):
    return volunteer.services.select_related("category", "elder__household").order_by("-starts_at")


def open_requests_for(volunteer, *, now=None, limit=30):
    """Open requests a volunteer may take, nearest first: own grid, own community, own street;
    those needing one of the volunteer's skills rank higher."""
    now = now or timezone.now()
    grid = volunteer.unit
    community_path = grid.path[: -grid.steplen] if grid.kind == UnitKind.GRID else grid.path
    street_path = community_path[: -grid.steplen]
    skills = set(volunteer.skills.values_list("pk", flat=True))
    rows = (
        Service.objects.filter(
            state=ServiceState.OPEN,
            starts_at__gte=now - datetime.timedelta(hours=2),
            elder__household__building__grid__path__startswith=street_path,
        )
        .exclude(elder_id=volunteer.person_id)
        .select_related("category", "elder__household__building__grid")[:500]
    )

    def score(service):
        path = service.elder.household.building.grid.path
        near = 3 if path == grid.path else 2 if path.startswith(community_path) else 1
        return (near + (2 if service.category_id in skills else 0), -service.starts_at.timestamp())

    return sorted(rows, key=score, reverse=True)[:limit]


def candidates_for(service, *, limit=10):
    """Active volunteers ranked for one request: same grid, same community, matching skill,
    lighter current load."""
    grid = service.elder.household.building.grid
    community_path = grid.path[: -grid.steplen]
    street_path = community_path[: -grid.steplen]
    volunteers = (
        Volunteer.objects.filter(
            status=VolunteerStatus.ACTIVE,
            person__isnull=False,
            unit__path__startswith=street_path,
        )
        .exclude(person_id=service.elder_id)
        .select_related("person", "unit")
        .annotate(
            load=Count("services", filter=Q(services__state__in=OPEN_STATES)),
            skilled=Count("skills", filter=Q(skills=service.category_id)),
        )[:300]
    )

    def score(v):
        near = 3 if v.unit.path == grid.path else 2 if v.unit.path.startswith(community_path) else 1
        return near + 2 * bool(v.skilled) - 0.5 * v.load

    ranked = sorted(volunteers, key=score, reverse=True)[:limit]
    for v in ranked:
        v.score = round(score(v), 1)
    return ranked


def account_summary(person):
    account = person_account(person)
    return {
        "balance": account.balance,
        "held": account.held,
        "available": account.balance - account.held,
        "hours": round((account.balance - account.held) / 60, 1),
        "ceiling": account.ceiling,
        "account": account,
    }


def statement(person, year):
    account = person_account(person)
    rows = Transfer.objects.filter(
        Q(debit=account) | Q(credit=account), created_at__year=year
    ).order_by("created_at", "pk")
    return account, [(t, t.amount if t.credit_id == account.pk else -t.amount) for t in rows]


def stats(actor, *, unit):
    """Figures for a street or city (or the whole platform for a superuser): volunteers, time
    deposited and spent per month, outstanding time (liability) per street, backing fund."""
    visible = Service.objects.visible_to(actor).filter(
        elder__household__building__grid__path__startswith=unit.path
    )
    volunteers = Volunteer.objects.visible_to(actor, "timebank.view_volunteer").filter(
        unit__path__startswith=unit.path
    )
    year_ago = timezone.now() - datetime.timedelta(days=365)
    codes = {s.code: s for s in _streets(unit)}
    deposited = (
        Transfer.objects.filter(
            kind__in=["deposit", "overflow"],
            debit__code__in=[f"timebank:issuance:{c}" for c in codes],
            created_at__gte=year_ago,
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(minutes=Sum("amount"))
        .order_by("month")
    )
    spent = (
        Transfer.objects.filter(
            kind="withdraw",
            credit__code__in=[f"timebank:spent:{c}" for c in codes],
            created_at__gte=year_ago,
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(minutes=Sum("amount"))
        .order_by("month")
    )
    liability = []
    for code, street in codes.items():
        held = (
            Account.objects.filter(
                code="timebank",
                person__household__building__estate__community__path__startswith=street.path,
            ).aggregate(s=Sum("balance"))["s"]
            or 0
        )
        pool = Account.objects.filter(code=f"timebank:pool:{code}").values_list(
            "balance", flat=True
        )
        issued = Account.objects.filter(code=f"timebank:issuance:{code}").values_list(
            "balance", flat=True
        )
        liability.append(
            {
                "street": street,
                "held_hours": round(held / 60, 1),
                "pool_hours": round((pool[0] if pool else 0) / 60, 1),
                "issued_hours": round(-(issued[0] if issued else 0) / 60, 1),
            }
        )
    return {
        "volunteers": volunteers.filter(status=VolunteerStatus.ACTIVE).count(),
        "pending_volunteers": volunteers.filter(status=VolunteerStatus.PENDING).count(),
        "services": visible.filter(state=ServiceState.CONFIRMED).count(),
        "open": visible.filter(state__in=OPEN_STATES).count(),
        "held_hours": round(sum(r["held_hours"] for r in liability), 1),
        "issued_hours": round(sum(r["issued_hours"] for r in liability), 1),
        "deposited": [(r["month"], round(r["minutes"] / 60)) for r in deposited],
        "spent": [(r["month"], round(r["minutes"] / 60)) for r in spent],
        "liability": liability,
    }


def _streets(unit):
    """The streets at, under or (for a community or grid) above ``unit``."""
    step = OrgUnit.steplen
    above = [unit.path[:i] for i in range(step, len(unit.path), step)]
    return OrgUnit.objects.filter(kind=UnitKind.STREET).filter(
        Q(path__startswith=unit.path) | Q(path__in=above)
    )


def flows(*, unit):
    """Time spent in one street by holders of another (通存通兑), in hours."""
    rows = (
        Transfer.objects.filter(kind="withdraw", credit__code__startswith="timebank:spent:")
        .values(
            "credit__code",
            "debit__person__household__building__estate__community__path",
        )
        .annotate(minutes=Sum("amount"))
    )
    streets = {s.path: s for s in OrgUnit.objects.filter(kind=UnitKind.STREET)}
    by_code = {s.code: s for s in streets.values()}
    out = []
    for row in rows:
        path = row["debit__person__household__building__estate__community__path"] or ""
        source = streets.get(path[: -OrgUnit.steplen]) if path else None
        target = by_code.get(row["credit__code"].rsplit(":", 1)[-1])
        # Redemption is city-wide: report the flows of the city ``unit`` belongs to.
        city = unit.path[: OrgUnit.steplen]
        if source and target and source.path.startswith(city):
            out.append({"from": source, "to": target, "hours": round(row["minutes"] / 60, 1)})
    return out


def flags(actor):
    return Flag.objects.visible_to(actor).filter(resolved_by__isnull=True).order_by("-created_at")


def gifts_pending(actor):
    return (
        Gift.objects.visible_to(actor).filter(state="pending").select_related("giver", "receiver")
    )


def pending_volunteers(actor):
    return (
        Volunteer.objects.visible_to(actor, "timebank.view_volunteer")
        .filter(status=VolunteerStatus.PENDING)
        .select_related("person", "organisation", "unit")
    )
