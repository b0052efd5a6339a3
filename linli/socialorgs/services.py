"""Every write of the social-organisation module."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit, notify
from linli.core.locking import lock_rows
from linli.core.scoping import authorize
from linli.org.choices import OrganisationKind
from linli.socialorgs import bridges
from linli.socialorgs.choices import CHECKLIST, AppState, Legal, SignupState
from linli.socialorgs.models import (
    Activity,
    Application,
    Deliverable,
    Instalment,
    Profile,
    Purchase,
    Report,
    Signup,
    StatusChange,
)

CHECK_IN_EARLY_MINUTES = 60


# --- registry and incubation ----------------------------------------------------------------


@transaction.atomic
def profile_save(*, actor, organisation, **fields):
    authorize(actor, "socialorgs.manage_org", organisation)
    profile, _created = Profile.objects.get_or_create(
        organisation=organisation,
        defaults={"field": fields.get("field", "other"), "legal": fields.get("legal", Legal.FILED)},
    )
    before = profile.legal
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if profile.legal != before or _created:
        StatusChange.objects.create(profile=profile, legal=profile.legal, by=actor.user)
    return profile


@transaction.atomic
def application_submit(*, actor, unit, name, field, applicant, phone, plan, checklist):
    authorize(actor, "socialorgs.review", unit)
    app = Application(
        unit=unit,
        name=name,
        field=field,
        applicant=applicant,
        phone=phone,
        plan=plan,
        checklist={k: bool(checklist.get(k)) for k, _l in CHECKLIST},
    )
    app.full_clean()
    app.save()
    return app


@transaction.atomic
def application_review(*, actor, application, approve, note=""):
    """The community reviews first, then the street decides; approval files the organisation."""
    authorize(actor, "socialorgs.review", application)
    app = Application.objects.select_for_update().get(pk=application.pk)
    from linli.org.choices import UnitKind
    from linli.org.models import OrgUnit

    street_level = (
        any(
            OrgUnit.objects.get(pk=g.unit_id).kind in (UnitKind.STREET, UnitKind.DISTRICT)
            for g in actor.grants_with("socialorgs.review")
        )
        or actor.is_superuser
    )
    if not approve:
        if not note.strip():
            raise ValidationError(_("请填写不通过的理由"))
        app.state, app.decision = AppState.REJECTED, note
    elif app.state == AppState.SUBMITTED:
        missing = [label for key, label in CHECKLIST if not app.checklist.get(key)]
        if missing:
            raise ValidationError(_("材料不全：%(m)s") % {"m": "、".join(missing)})
        app.state = AppState.COMMUNITY_OK
        app.decision = note
    elif app.state == AppState.COMMUNITY_OK:
        if not street_level:
            raise PermissionDenied
        from linli.org import services as org
        from linli.org.models import Organisation

        app.organisation = org.organisation_create(
            actor=actor,
            unit=app.unit,
            kind=OrganisationKind.SOCIAL,
            code=org.unique_code(Organisation, f"so-{app.pk}"),
            name=app.name,
            contact_name=app.applicant,
            contact_phone=app.phone,
        )
        Profile.objects.create(
            organisation=app.organisation,
            field=app.field,
            legal=Legal.INCUBATING,
            leader=app.applicant,
        )
        app.state, app.decision = AppState.APPROVED, note
    else:
        raise ValidationError(_("该申请已处理"))
    app.save()
    audit.record(actor, "socialorgs.application_review", app, approve=approve, state=app.state)
    return app


# --- activities -----------------------------------------------------------------------------


@transaction.atomic
def activity_publish(*, actor, organisation, venue=None, **fields):
    """Publish an activity; with ``venue`` (a shared resource) the place is booked through the
    sharing module for the organisation."""
    authorize(actor, "socialorgs.manage_org", organisation)
    activity = Activity(organisation=organisation, **fields)
    if activity.signup_closes > activity.starts_at:
        raise ValidationError(_("报名须在活动开始前截止"))
    activity.full_clean(exclude=["booking"])
    activity.save()
    if venue is not None:
        activity.booking = bridges.book_venue(actor, activity, venue)
        activity.place = activity.place or str(venue)
        activity.save(update_fields=["booking", "place"])
    audit.record(actor, "socialorgs.activity_publish", activity)
    return activity


def _person(actor):
    from linli.org.models import Person

    if not actor.person_id:
        raise PermissionDenied
    return Person.objects.get(pk=actor.person_id)


@transaction.atomic
def signup(*, actor, activity, now=None):
    """Sign up; when the places are taken, join the waiting list in order."""
    now = now or timezone.now()
    person = _person(actor)
    authorize(actor, "socialorgs.view_activity", activity)
    if not (activity.signup_opens <= now <= activity.signup_closes):
        raise ValidationError(_("不在报名时间内"))
    # The activity row is the counter of confirmed places; locking it serialises sign-ups.
    activity = lock_rows(Activity, [activity.pk])[activity.pk]
    if (
        Signup.objects.filter(activity=activity, person=person)
        .exclude(state=SignupState.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("您已报名"))
    full = activity.confirmed >= activity.capacity
    state = SignupState.WAITING if full else SignupState.CONFIRMED
    existing = Signup.objects.filter(activity=activity, person=person).first()
    try:
        with transaction.atomic():
            if existing:
                existing.state, existing.created_at = state, now
                existing.save(update_fields=["state", "created_at"])
                made = existing
            else:
                made = Signup.objects.create(
                    activity=activity, person=person, state=state, created_at=now
                )
            if not full:
                activity.confirmed += 1
                activity.save(update_fields=["confirmed"])
    except IntegrityError as exc:
        raise ValidationError(_("您已报名")) from exc
    return made


@transaction.atomic
def signup_cancel(*, actor, signup_obj):
    activity = lock_rows(Activity, [signup_obj.activity_id])[signup_obj.activity_id]
    row = Signup.objects.select_for_update().get(pk=signup_obj.pk)
    if row.person_id != actor.person_id:
        authorize(actor, "socialorgs.manage_org", activity.organisation)
    if row.state not in (SignupState.CONFIRMED, SignupState.WAITING):
        raise ValidationError(_("不能取消"))
    was_confirmed = row.state == SignupState.CONFIRMED
    row.state = SignupState.CANCELLED
    row.save(update_fields=["state"])
    if was_confirmed:
        first = (
            Signup.objects.select_for_update()
            .filter(activity=activity, state=SignupState.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.state = SignupState.CONFIRMED
            first.save(update_fields=["state"])
            _tell(first, _("候补成功：%(t)s") % {"t": activity.title})
        else:
            activity.confirmed -= 1
            activity.save(update_fields=["confirmed"])
    return row


def _tell(row, title):
    from linli.accounts.models import User

    notify.notify(list(User.objects.filter(person_id=row.person_id)), title, kind="socialorgs")


@transaction.atomic
def check_in(*, actor, code, now=None):
    """The resident scans the QR at the door: attendance is recorded and points awarded."""
    now = now or timezone.now()
    person = _person(actor)
    activity = Activity.objects.filter(code=code).first()
    if activity is None:
        raise ValidationError(_("二维码无效"))
    early = timezone.timedelta(minutes=CHECK_IN_EARLY_MINUTES)
    if not (activity.starts_at - early <= now <= activity.ends_at):
        raise ValidationError(_("不在签到时间内"))
    row = Signup.objects.select_for_update().filter(activity=activity, person=person).first()
    if row is None or row.state not in (SignupState.CONFIRMED, SignupState.ATTENDED):
        raise ValidationError(_("您没有报名这个活动（或仍在候补）"))
    if row.state == SignupState.ATTENDED:
        return row
    row.state, row.checked_in_at = SignupState.ATTENDED, now
    row.save(update_fields=["state", "checked_in_at"])
    bridges.award_attendance(actor, row)
    return row


@transaction.atomic
def rate(*, actor, signup_obj, stars):
    if signup_obj.person_id != actor.person_id or signup_obj.state != SignupState.ATTENDED:
        raise ValidationError(_("签到参加后才能评价"))
    if stars not in (1, 2, 3, 4, 5):
        raise ValidationError(_("请选择 1 到 5 星"))
    signup_obj.rating = stars
    signup_obj.save(update_fields=["rating"])
    return signup_obj


# --- purchase of services -------------------------------------------------------------------


@transaction.atomic
def purchase_create(
    *, actor, buyer, organisation, title, budget, starts, ends, deliverables=(), instalments=()
):
    authorize(actor, "socialorgs.review", buyer)
    purchase = Purchase(
        buyer=buyer, organisation=organisation, title=title, budget=budget, starts=starts, ends=ends
    )
    purchase.full_clean()
    purchase.save()
    for name, target in deliverables:
        Deliverable.objects.create(purchase=purchase, name=name, target=target)
    for milestone, pct, amount in instalments:
        Instalment.objects.create(
            purchase=purchase, milestone=milestone, percent_done=pct, amount=amount
        )
    return purchase


def progress(purchase):
    """Per deliverable: done, target, percent; and the overall percent (mean of the parts)."""
    rows = []
    for d in purchase.deliverables.all():
        done = d.reports.aggregate(s=Sum("amount"))["s"] or 0
        rows.append(
            {
                "name": d.name,
                "done": done,
                "target": d.target,
                "pct": min(100, round(done * 100 / d.target)) if d.target else 100,
            }
        )
    overall = round(sum(r["pct"] for r in rows) / len(rows)) if rows else 0
    return rows, overall


@transaction.atomic
def report_submit(*, actor, deliverable, amount, note="", evidence=None, now=None):
    purchase = deliverable.purchase
    authorize(actor, "socialorgs.manage_org", purchase.organisation)
    if amount < 1:
        raise ValidationError(_("数量须大于 0"))
    report = Report(
        purchase=purchase,
        deliverable=deliverable,
        amount=amount,
        note=note,
        at=now or timezone.now(),
    )
    if evidence:
        report.evidence = evidence
    report.save()
    return report


@transaction.atomic
def instalment_pay(*, actor, instalment, now=None):
    """Pay an instalment once its milestone's share of the deliverables is reached."""
    purchase = instalment.purchase
    authorize(actor, "socialorgs.review", purchase)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.paid_at:
        raise ValidationError(_("已支付"))
    _rows, overall = progress(purchase)
    if overall < instalment.percent_done:
        raise ValidationError(
            _("完成度 %(o)s%% 未达到 %(n)s%%") % {"o": overall, "n": instalment.percent_done}
        )
    instalment.paid_at = now or timezone.now()
    instalment.save(update_fields=["paid_at"])
    audit.record(actor, "socialorgs.instalment_pay", purchase, amount=str(instalment.amount))
    return instalment


@transaction.atomic
def evaluate(*, actor, purchase, score):
    authorize(actor, "socialorgs.review", purchase)
    if not 0 <= score <= 100:
        raise ValidationError(_("评分须在 0 到 100 之间"))
    purchase.score = score
    purchase.save(update_fields=["score"])
    return purchase


def reports_overdue(*, today=None):
    """Purchases running without a report in their reporting period: tell the organisation."""
    today = today or timezone.localdate()
    count = 0
    for purchase in Purchase.objects.filter(starts__lte=today, ends__gte=today, score__isnull=True):
        last = purchase.reports.order_by("-at").values_list("at", flat=True).first()
        since = timezone.localtime(last).date() if last else purchase.starts
        if (today - since).days > purchase.report_every_days:
            from linli.accounts.models import RoleGrant

            users = [g.user for g in RoleGrant.objects.filter(organisation=purchase.organisation)]
            notify.notify(
                users,
                _("购买服务项目报告逾期：%(t)s") % {"t": purchase.title},
                kind=f"socialorgs.overdue.{today:%Y%m}",
            )
            count += 1
    return count
