from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.core.models import Notification
from linli.council import choices as c
from linli.council import services
from linli.council.models import CoSign, Resolution, Task, Topic, Vote
from tests.council.conftest import NOW

pytestmark = pytest.mark.django_db


def _through_vote(world, council):
    staff = world.actor("community_a")
    topic = services.topic_propose(
        actor=world.actor("resident_a1"), council=council, title="楼道堆物", now=NOW
    )
    services.topic_cosign(actor=world.actor("A1b"), topic=topic, now=NOW)
    services.topic_cosign(actor=world.actor("A1c"), topic=topic, now=NOW)
    services.topic_decide(actor=staff, topic=topic, decision="accept")
    meeting = services.meeting_create(
        actor=staff,
        council=council,
        title="三月议事会",
        starts_at=NOW,
        place="社区活动室",
        topics=[Topic.objects.get(pk=topic.pk)],
    )
    resolution = services.resolution_propose(
        actor=staff, meeting=meeting, topic=topic, text="一周内清理", positions="物业：同意"
    )
    return staff, topic, meeting, resolution


def test_full_flow(world, council):
    staff, topic, meeting, resolution = _through_vote(world, council)
    assert Notification.objects.filter(user=world.users["A1b"], kind="council").exists()
    services.meeting_checkin(
        actor=world.actor("A1b"), meeting=meeting, token=meeting.checkin_token, now=NOW
    )
    services.vote_cast(actor=world.actor("A1b"), resolution=resolution, choice="for", now=NOW)
    resolution = services.resolution_close(actor=staff, resolution=resolution)
    assert resolution.status == c.ResolutionStatus.PASSED
    assert Topic.objects.get(pk=topic.pk).status == c.TopicStatus.DECIDED
    resolution = services.resolution_publish(actor=staff, resolution=resolution, now=NOW)
    assert resolution.objection_until == NOW + timedelta(days=7)
    objection = services.objection_file(
        actor=world.actor("A1c"),
        resolution=resolution,
        text="时间太短",
        now=NOW + timedelta(days=1),
    )
    services.objection_answer(actor=staff, objection=objection, answer="可延至两周")
    task = services.task_create(
        actor=staff,
        resolution=resolution,
        title="清理楼道",
        responsible="物业公司",
        due=date(2026, 3, 9),
    )
    with pytest.raises(ValidationError):
        services.task_rate(actor=world.actor("A1c"), task=task, stars=5)
    services.task_update(actor=staff, task=task, progress=50, note="已清理一半")
    task = services.task_update(actor=staff, task=task, progress=100, done=True)
    assert task.status == c.TaskStatus.DONE and "已清理一半" in task.notes
    services.task_rate(actor=world.actor("A1c"), task=task, stars=4)


def test_bad_input_changes_nothing(world, council):
    staff, topic, meeting, resolution = _through_vote(world, council)
    with pytest.raises(ValidationError, match="已不再征集"):
        services.topic_cosign(actor=world.actor("A1b"), topic=topic)
    # voting when absent
    with pytest.raises(ValidationError, match="未签到"):
        services.vote_cast(actor=world.actor("A1b"), resolution=resolution, choice="for")
    # voting when recused
    services.meeting_checkin(
        actor=world.actor("property_a"), meeting=meeting, token=meeting.checkin_token
    )
    services.resolution_recuse(
        actor=staff, resolution=resolution, seat=world.seats["pm"], reason="物业服务相关"
    )
    with pytest.raises(ValidationError, match="回避"):
        services.vote_cast(actor=world.actor("property_a"), resolution=resolution, choice="against")
    # not a member
    with pytest.raises(ValidationError):
        services.meeting_checkin(
            actor=world.actor("A1c"), meeting=meeting, token=meeting.checkin_token
        )
    with pytest.raises(ValidationError):
        services.meeting_checkin(actor=world.actor("A1b"), meeting=meeting, token="wrong")
    assert Vote.objects.count() == 0
    services.meeting_checkin(actor=world.actor("A1b"), meeting=meeting, token=meeting.checkin_token)
    services.vote_cast(actor=world.actor("A1b"), resolution=resolution, choice="for")
    with pytest.raises(ValidationError, match="已投过票"):
        services.vote_cast(actor=world.actor("A1b"), resolution=resolution, choice="against")
    assert Resolution.objects.get(pk=resolution.pk).votes_for == 1
    assert Resolution.objects.get(pk=resolution.pk).votes_against == 0
    resolution = services.resolution_close(actor=staff, resolution=resolution)
    services.resolution_publish(actor=staff, resolution=resolution, now=NOW)
    with pytest.raises(ValidationError, match="公示期已结束"):
        services.objection_file(
            actor=world.actor("A1c"), resolution=resolution, text="x", now=NOW + timedelta(days=8)
        )
    assert resolution.objections.count() == 0


def test_cosign_twice_and_threshold(world, council):
    topic = services.topic_propose(actor=world.actor("resident_a1"), council=council, title="t")
    assert topic.status == c.TopicStatus.PROPOSED
    services.topic_cosign(actor=world.actor("A1b"), topic=topic)
    with pytest.raises(ValidationError, match="已联署"):
        services.topic_cosign(actor=world.actor("A1b"), topic=topic)
    with pytest.raises(ValidationError):
        services.topic_cosign(actor=world.actor("resident_a1"), topic=topic)
    topic.refresh_from_db()
    assert topic.cosign_count == 1 and CoSign.objects.count() == 1
    with pytest.raises(ValidationError, match="门槛"):
        services.topic_decide(actor=world.actor("community_a"), topic=topic, decision="accept")
    services.topic_cosign(actor=world.actor("A1c"), topic=topic)
    topic.refresh_from_db()
    assert topic.status == c.TopicStatus.ELIGIBLE


def test_decline_needs_public_reason_and_merge(world, council):
    staff = world.actor("community_a")
    a = services.topic_propose(actor=staff, council=council, title="a")
    b = services.topic_propose(actor=staff, council=council, title="b")
    with pytest.raises(ValidationError):
        services.topic_decide(actor=staff, topic=a, decision="decline")
    services.topic_decide(actor=staff, topic=a, decision="merge", reason="重复", merge_into=b)
    assert Topic.objects.get(pk=a.pk).merged_into == b


def test_quorum_and_two_thirds(world, council):
    staff, _topic, meeting, resolution = _through_vote(world, council)
    with pytest.raises(ValidationError, match="法定人数"):
        services.resolution_close(actor=staff, resolution=resolution)
    council.majority = c.Majority.TWO_THIRDS
    council.save()
    for who in ("A1b", "property_a"):
        services.meeting_checkin(
            actor=world.actor(who), meeting=meeting, token=meeting.checkin_token
        )
    services.vote_cast(actor=world.actor("A1b"), resolution=resolution, choice="for")
    services.vote_cast(actor=world.actor("property_a"), resolution=resolution, choice="abstain")
    resolution.refresh_from_db()
    assert services.resolution_close(actor=staff, resolution=resolution).status == "rejected"


def test_overdue_tasks_notify_once(world, council):
    staff, _topic, meeting, resolution = _through_vote(world, council)
    services.meeting_checkin(actor=world.actor("A1b"), meeting=meeting, token=meeting.checkin_token)
    services.vote_cast(actor=world.actor("A1b"), resolution=resolution, choice="for")
    resolution = services.resolution_close(actor=staff, resolution=resolution)
    services.task_create(
        actor=staff, resolution=resolution, title="x", responsible="物业", due=date(2026, 3, 1)
    )
    assert services.tasks_flag_overdue(now=NOW) == 1
    assert services.tasks_flag_overdue(now=NOW) == 0
    assert Notification.objects.filter(user=world.users["A1b"], title__contains="逾期").exists()
    assert Task.objects.get().overdue_notified


def test_permissions(world, council, client_for):
    with pytest.raises(Http404):
        services.topic_propose(actor=world.actor("resident_b1"), council=council, title="x")
    topic = services.topic_propose(actor=world.actor("resident_a1"), council=council, title="x")
    with pytest.raises(PermissionDenied):
        services.topic_decide(
            actor=world.actor("resident_a1"), topic=topic, decision="decline", reason="r"
        )
    with pytest.raises(Http404):
        services.topic_decide(
            actor=world.actor("community_b"), topic=topic, decision="decline", reason="r"
        )
    c_a = client_for(world.users["resident_a1"])
    assert c_a.get(f"/m/council/topics/{topic.pk}/").status_code == 200
    assert c_a.get(f"/console/council/councils/{council.pk}/").status_code in (302, 404)
    c_b = client_for(world.users["resident_b1"])
    assert c_b.get(f"/m/council/topics/{topic.pk}/").status_code == 404
    assert c_b.get(f"/api/v1/council/topics/{topic.pk}").status_code == 404
    staff_b = client_for(world.users["community_b"])
    assert staff_b.get(f"/console/council/councils/{council.pk}/").status_code == 404
    staff_a = client_for(world.users["community_a"])
    assert staff_a.get(f"/console/council/councils/{council.pk}/").status_code == 200


def test_pages_pdf_and_ical(world, council, client_for):
    _staff, _topic, meeting, _resolution = _through_vote(world, council)
    client = client_for(world.users["community_a"])
    page = client.get(f"/console/council/meetings/{meeting.pk}/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    pdf = client.get(f"/m/council/meetings/{meeting.pk}/minutes.pdf")
    assert pdf.content[:4] == b"%PDF"
    ics = client.get(f"/council/ical/{council.ical_token}.ics").content.decode()
    assert "BEGIN:VEVENT" in ics and "三月议事会" in ics


def test_resident_cosign_twice_page_shows_message(world, council, client_for):
    topic = services.topic_propose(actor=world.actor("resident_a1"), council=council, title="t")
    client = client_for(world.users["A1b"])
    client.post(f"/m/council/topics/{topic.pk}/cosign/")
    page = client.post(f"/m/council/topics/{topic.pk}/cosign/", follow=True).content.decode()
    assert "已联署过" in page
    assert Topic.objects.get(pk=topic.pk).cosign_count == 1


def test_api_propose_cosign_and_scope(world, council, client_for):
    client = client_for(world.users["resident_a1"])
    made = client.post(
        "/api/v1/council/topics",
        {"council": council.pk, "title": "路灯"},
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert client.get(f"/api/v1/council/topics/{pk}").json()["status"] == "proposed"
    other = client_for(world.users["A1b"])
    assert other.post(f"/api/v1/council/topics/{pk}/cosign").json()["cosign_count"] == 1
    again = other.post(f"/api/v1/council/topics/{pk}/cosign")
    assert again.status_code == 400
    outsider = client_for(world.users["resident_b1"])
    assert outsider.get(f"/api/v1/council/topics/{pk}").status_code == 404
    assert outsider.get("/api/v1/council/councils").json() == []


def test_topic_from_event_is_idempotent_and_scoped(world, council):
    from types import SimpleNamespace

    event = SimpleNamespace(
        pk=77,
        title="井盖松动",
        description="3次上报",
        building=world.buildings["A1"],
        household=None,
    )
    staff = world.actor("community_a")
    topic = services.topic_from_event(actor=staff, event=event)
    assert topic.council == council and topic.status == c.TopicStatus.ELIGIBLE
    assert services.topic_from_event(actor=staff, event=event) == topic
    with pytest.raises(Http404):
        services.topic_from_event(actor=world.actor("community_b"), event=event)


def test_grid_bridge_when_installed(world, council):
    pytest.importorskip("linli.grid")
    from linli.council import bridges

    assert isinstance(
        bridges.recurring_event_suggestions(
            world.actor("community_a"), since=NOW - timedelta(days=90)
        ),
        list,
    )


def test_points_bridge_when_installed(world, council):
    pytest.importorskip("linli.points")
    from linli.council import bridges

    bridges.award_points(
        actor=world.actor("community_a"), user=world.users["A1b"], key="council:test:1", note="t"
    )
