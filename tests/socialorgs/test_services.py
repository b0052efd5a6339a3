import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from linli.socialorgs import selectors, services
from linli.socialorgs.choices import AppState, SignupState
from linli.socialorgs.models import Activity, Signup
from tests.socialorgs.conftest import publish


def test_waiting_list_fills_a_freed_place(so):
    activity = publish(so, actor=None, org="association", capacity=1)
    first = services.signup(actor=so.actor("resident_a1"), activity=activity)
    second = services.signup(actor=so.actor("resident_b1"), activity=activity)
    assert (first.state, second.state) == (SignupState.CONFIRMED, SignupState.WAITING)
    with pytest.raises(ValidationError):
        services.signup(actor=so.actor("resident_a1"), activity=activity)
    services.signup_cancel(actor=so.actor("resident_a1"), signup_obj=first)
    second.refresh_from_db()
    assert second.state == SignupState.CONFIRMED
    assert Activity.objects.get(pk=activity.pk).confirmed == 1


def test_qr_check_in_records_attendance_and_awards_points(so):
    pytest.importorskip("linli.points")
    from linli.points.services import person_account, rules_ensure

    rules_ensure()
    activity = publish(so, starts_in=datetime.timedelta(minutes=30))
    services.signup(actor=so.actor("resident_a1"), activity=activity)
    services.check_in(actor=so.actor("resident_a1"), code=activity.code)
    services.check_in(actor=so.actor("resident_a1"), code=activity.code)
    assert Signup.objects.get(activity=activity).state == SignupState.ATTENDED
    assert person_account(so.people["A1"]).balance == 5
    with pytest.raises((ValidationError, Http404)):
        services.check_in(actor=so.actor("resident_b1"), code=activity.code)
    stats = selectors.stats(so.actor("community_a"))
    assert stats["attended"] == 1


def test_a_manager_cannot_touch_another_organisation(so):
    activity = publish(so)
    with pytest.raises(Http404):
        services.activity_publish(
            actor=so.actor("social_a"),
            organisation=so.orgs["social2"],
            title="x",
            place="y",
            starts_at=timezone.now(),
            ends_at=timezone.now() + datetime.timedelta(hours=1),
            capacity=1,
            signup_opens=timezone.now(),
            signup_closes=timezone.now(),
        )
    other = publish(so, actor="community_b", org="social2")
    seen = set(
        Activity.objects.visible_to(so.actor("social_a"), "socialorgs.manage_org").values_list(
            "pk", flat=True
        )
    )
    assert activity.pk in seen and other.pk not in seen
    assert [p.organisation for p in selectors.profiles(so.actor("social_a"))] == [so.orgs["social"]]


def test_incubation_is_reviewed_by_community_then_street(so):
    checklist = {k: True for k in ("charter", "members", "leader", "venue", "plan")}
    app = services.application_submit(
        actor=so.actor("community_a"),
        unit=so.units["cA"],
        name="银发读书会",
        field="culture",
        applicant="赵老师",
        phone="13900001111",
        plan="每周读书分享",
        checklist=checklist,
    )
    services.application_review(actor=so.actor("community_a"), application=app, approve=True)
    app.refresh_from_db()
    assert app.state == AppState.COMMUNITY_OK
    with pytest.raises(PermissionDenied):
        services.application_review(actor=so.actor("community_a"), application=app, approve=True)
    services.application_review(actor=so.actor("street"), application=app, approve=True)
    app.refresh_from_db()
    assert app.state == AppState.APPROVED and app.organisation.profile.legal == "incubating"
    incomplete = services.application_submit(
        actor=so.actor("community_a"),
        unit=so.units["cA"],
        name="x",
        field="other",
        applicant="y",
        phone="1",
        plan="z",
        checklist={"charter": True},
    )
    with pytest.raises(ValidationError):
        services.application_review(
            actor=so.actor("community_a"), application=incomplete, approve=True
        )


def test_purchase_instalments_follow_the_deliverables(so):
    purchase = services.purchase_create(
        actor=so.actor("street"),
        buyer=so.units["street"],
        organisation=so.orgs["social"],
        title="居家养老上门服务",
        budget=300000,
        starts=timezone.localdate(),
        ends=timezone.localdate() + datetime.timedelta(days=365),
        deliverables=[("上门探访", 600), ("健康讲座", 40)],
        instalments=[("启动", 0, 90000), ("中期", 50, 120000), ("结项", 100, 90000)],
    )
    start, middle, _end = purchase.instalments.order_by("percent_done")
    services.instalment_pay(actor=so.actor("street"), instalment=start)
    with pytest.raises(ValidationError):
        services.instalment_pay(actor=so.actor("street"), instalment=middle)
    visits, talks = purchase.deliverables.order_by("pk")
    services.report_submit(actor=so.actor("social_a"), deliverable=visits, amount=300)
    services.report_submit(actor=so.actor("social_a"), deliverable=talks, amount=20)
    services.instalment_pay(actor=so.actor("street"), instalment=middle)
    with pytest.raises(Http404):
        services.report_submit(actor=so.actor("community_b"), deliverable=visits, amount=1)
    later = timezone.localdate() + datetime.timedelta(days=200)
    assert services.reports_overdue(today=later) == 1
    assert services.reports_overdue(today=timezone.localdate()) == 0
