import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from linli.core.models import Notification
from linli.core.scoping import SYSTEM
from linli.grid import selectors, services
from linli.grid.choices import Action, Level, State, Tier, VisitMethod
from linli.grid.models import CareGroup, Event
from tests.grid.conftest import report

GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def photo():
    return SimpleUploadedFile("p.gif", GIF, "image/gif")


def walk_to_feedback(w, event, handler="grid_a1"):
    services.event_accept(actor=w.actor("community_a"), event=event)
    services.event_dispatch(actor=w.actor("community_a"), event=event, assignee=w.users[handler])
    services.event_handle(actor=w.actor(handler), event=event, note="已联系物业更换灯泡")
    return services.event_feedback(actor=w.actor(handler), event=event, note="灯已修好")


def test_full_workflow_from_report_to_rating(gw):
    event = report(gw)
    assert event.grid == gw.units["gA1"] and event.state == State.REPORTED
    walk_to_feedback(gw, event, handler="secretary_a1")
    # 核查 is by someone other than the handler, even one who may check.
    with pytest.raises(ValidationError):
        services.event_check(actor=gw.actor("secretary_a1"), event=event, passed=True)
    with pytest.raises(PermissionDenied):
        services.event_check(actor=gw.actor("grid_a1"), event=event, passed=True)
    services.event_check(actor=gw.actor("community_a"), event=event, passed=True)
    services.event_rate(actor=gw.actor("resident_a1"), event=event, rating=5, note="很快")
    event.refresh_from_db()
    assert event.state == State.CLOSED and event.closed_on_time and event.rating == 5
    actions = list(event.steps.values_list("action", flat=True))
    assert actions == [
        Action.REPORT,
        Action.ACCEPT,
        Action.DISPATCH,
        Action.HANDLE,
        Action.FEEDBACK,
        Action.CHECK_PASS,
        Action.CLOSE,
        Action.RATE,
    ]
    assert all(s.actor_name for s in event.steps.all())
    now = timezone.now()
    figures = selectors.kpi(
        gw.actor("street"),
        unit_path=gw.units["street"].path,
        start=now - datetime.timedelta(days=30),
        end=now + datetime.timedelta(days=30),
    )
    assert figures["closure_rate"] == 100.0 and figures["satisfaction"] == 5
    assert figures["in_grid_rate"] == 100.0 and figures["rework_rate"] == 0.0


def test_failed_check_sends_it_back_and_counts_a_rework(gw):
    event = walk_to_feedback(gw, report(gw))
    with pytest.raises(ValidationError):
        services.event_check(actor=gw.actor("community_a"), event=event, passed=False)
    services.event_check(actor=gw.actor("community_a"), event=event, passed=False, note="灯还是暗")
    event.refresh_from_db()
    assert (event.state, event.reworks) == (State.HANDLING, 1)


def test_rejection_needs_a_reason(gw):
    event = report(gw)
    with pytest.raises(ValidationError):
        services.event_reject(actor=gw.actor("community_a"), event=event, reason=" ")
    services.event_reject(actor=gw.actor("community_a"), event=event, reason="属于私人装修纠纷")
    event.refresh_from_db()
    assert event.state == State.REJECTED


def test_self_close_needs_evidence_and_own_report(gw):
    event = report(gw, actor_name="grid_a1")
    with pytest.raises(ValidationError):
        services.event_self_close(actor=gw.actor("grid_a1"), event=event, note="已清理", photo=None)
    services.event_self_close(actor=gw.actor("grid_a1"), event=event, note="已清理", photo=photo())
    event.refresh_from_db()
    assert event.state == State.CLOSED and event.closed_level == Level.GRID


def test_overdue_events_escalate_by_themselves(gw):
    event = report(gw)
    services.event_accept(actor=gw.actor("community_a"), event=event)
    Event.objects.filter(pk=event.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.events_sweep()["escalated"] == 1
    event.refresh_from_db()
    assert event.level == Level.COMMUNITY and event.due_at > timezone.now()
    assert Notification.objects.filter(user=gw.users["community_a"], kind="grid.escalated").exists()
    later = timezone.now() + datetime.timedelta(days=30)
    services.events_sweep(now=later)
    event.refresh_from_db()
    assert event.level == Level.STREET
    assert Notification.objects.filter(user=gw.users["street"], kind="grid.escalated").exists()
    assert event.steps.filter(action=Action.ESCALATE).count() == 2


def test_due_soon_warns_once(gw):
    event = report(gw)
    services.event_accept(actor=gw.actor("community_a"), event=event)
    services.event_dispatch(
        actor=gw.actor("community_a"), event=event, assignee=gw.users["grid_a1"]
    )
    Event.objects.filter(pk=event.pk).update(due_at=timezone.now() + datetime.timedelta(hours=2))
    assert services.events_sweep()["warned"] == 1
    assert services.events_sweep()["warned"] == 0
    assert Notification.objects.filter(user=gw.users["grid_a1"], kind="grid.due_soon").count() == 1


def test_extensions_are_approved_by_someone_else_and_capped_at_15_days(gw):
    event = report(gw)
    services.event_accept(actor=gw.actor("community_a"), event=event)
    services.event_dispatch(
        actor=gw.actor("community_a"), event=event, assignee=gw.users["grid_a1"]
    )
    due = Event.objects.get(pk=event.pk).due_at
    ext = services.extension_request(
        actor=gw.actor("grid_a1"), event=event, days=10, reason="等配件"
    )
    services.extension_decide(actor=gw.actor("community_a"), extension=ext, approve=True)
    event.refresh_from_db()
    assert event.due_at == due + datetime.timedelta(days=10)
    with pytest.raises(ValidationError):
        services.extension_request(actor=gw.actor("grid_a1"), event=event, days=6, reason="再等")


def test_routing_by_coordinates(gw):
    inside = report(gw, building=None, lat="39.12", lng="117.20")
    assert inside.grid == gw.units["gA1"]
    with pytest.raises(ValidationError):
        report(gw, building=None, lat="31.23", lng="121.47")
    # A point outside every boundary falls back to the building chosen.
    fallback = report(gw, building="A2", lat="31.23", lng="121.47")
    assert fallback.grid == gw.units["gA2"]


def test_residents_report_only_in_their_own_community(gw):
    with pytest.raises(PermissionDenied):
        report(gw, actor_name="resident_b1", building="A1")


def test_grid_workers_see_and_act_only_in_their_grid(gw):
    event = report(gw)
    assert selectors.events(gw.actor("grid_a2")).count() == 0
    assert selectors.events(gw.actor("grid_a1")).count() == 1
    services.event_accept(actor=gw.actor("community_a"), event=event)
    with pytest.raises(ValidationError):
        services.event_dispatch(
            actor=gw.actor("community_a"), event=event, assignee=gw.users["grid_a2"]
        )
    services.event_dispatch(
        actor=gw.actor("community_a"), event=event, assignee=gw.users["grid_a1"]
    )
    with pytest.raises(Http404):
        services.event_handle(actor=gw.actor("grid_a2"), event=event, note="x")


def test_system_events_are_idempotent(gw):
    one = services.event_open_from_system(
        actor=SYSTEM,
        title="烟感告警",
        description="1栋101烟感",
        category_code="safety",
        urgency="emergency",
        building=gw.buildings["A1"],
        external_ref="alarm:1",
    )
    two = services.event_open_from_system(
        actor=SYSTEM,
        title="烟感告警",
        description="1栋101烟感",
        category_code="safety",
        urgency="emergency",
        building=gw.buildings["A1"],
        external_ref="alarm:1",
    )
    assert one.pk == two.pk


def test_care_visits_alerts_and_device_checks(gw):
    person = gw.people["A1"]
    record = services.care_register(
        actor=gw.actor("community_a"),
        person=person,
        groups=CareGroup.objects.filter(code="alone"),
        tier=Tier.HIGH,
        helper=gw.users["grid_a1"],
        contact_name="女儿",
        contact_phone="13900000002",
    )
    today = timezone.localdate()
    assert (
        selectors.care_records(
            gw.actor("grid_a1"), overdue=True, today=today + datetime.timedelta(days=1)
        ).count()
        == 1
    )
    visit = services.visit_record(
        actor=gw.actor("grid_a1"),
        record=record,
        method=VisitMethod.IN_PERSON,
        note="身体好",
        needs="水龙头漏水",
    )
    record.refresh_from_db()
    assert record.next_visit_due == today + datetime.timedelta(days=7)
    assert (
        selectors.care_records(
            gw.actor("grid_a1"), overdue=True, today=today + datetime.timedelta(days=8)
        ).count()
        == 1
    )
    event = services.visit_need_to_event(
        actor=gw.actor("grid_a1"), visit=visit, category=gw.category
    )
    assert event.household == person.household
    with pytest.raises(Http404):
        services.visit_record(actor=gw.actor("grid_a2"), record=record, method="phone")
    alert = services.care_alert_open(
        actor=SYSTEM,
        person=person,
        title="水表12小时无用水",
        description="0.00 m³",
        external_ref="meter:1:2026-06-01",
    )
    again = services.care_alert_open(
        actor=SYSTEM,
        person=person,
        title="水表12小时无用水",
        description="0.00 m³",
        external_ref="meter:1:2026-06-01",
    )
    assert alert.pk == again.pk and alert.event.grid == gw.units["gA1"]
    assert (
        Notification.objects.filter(user=gw.users["grid_a1"], kind="grid.care_alert").count() == 1
    )
    check = services.care_device_check(
        actor=SYSTEM, person=person, device_ref="meter-1", at=timezone.now()
    )
    assert check.method == VisitMethod.DEVICE
    assert (
        services.care_alert_open(
            actor=SYSTEM, person=gw.people["B1"], title="x", description="", external_ref="y"
        )
        is None
    )


def test_recurring_events_by_estate_and_category(gw):
    for n in range(3):
        report(gw, title=f"路灯坏了{n}")
    report(gw, building="A2", category=gw.category)
    rows = selectors.recurring_events(
        gw.actor("community_a"), since=timezone.now() - datetime.timedelta(days=30)
    )
    assert [(e.code, c.code, n) for e, c, n in rows] == [("est-a", "repair", 4)]
