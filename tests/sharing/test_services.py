import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.core.models import Notification
from linli.core.scoping import SYSTEM, Actor
from linli.org import services as org
from linli.org.choices import UnitKind
from linli.sharing import selectors, services
from linli.sharing.choices import Reach, Status
from linli.sharing.models import Booking, Seat, WaitlistEntry
from tests.factories import make_user
from tests.sharing.conftest import NOW, at, make_resource

pytestmark = pytest.mark.django_db


def book(world, who, resource, start, end, **kw):
    return services.booking_create(
        actor=world.actor(who), resource=resource, start=start, end=end, now=NOW, **kw
    )


def test_resident_of_b_books_a_resource_is_approved_checks_in_and_counts(world, gym):
    booking = book(world, "resident_b1", gym, at(2, 10), at(2, 12), purpose="羽毛球")
    assert booking.status == Status.PENDING
    assert booking.borrower_unit == world.units["cB"]
    assert booking.seats.count() == 2
    assert Notification.objects.filter(user=world.users["community_a"]).exists()
    services.booking_decide(actor=world.actor("community_a"), booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert Notification.objects.filter(user=world.users["resident_b1"]).exists()
    with pytest.raises(ValidationError):
        services.booking_check_in(actor=world.actor("community_a"), booking=booking, now=NOW)
    services.booking_check_in(actor=world.actor("community_a"), booking=booking, now=at(2, 9, 45))
    booking.refresh_from_db()
    assert booking.status == Status.CHECKED_IN
    rows = selectors.reciprocity(world.actor("street"), at(1, 0), at(31, 0))
    assert [(g.name, r.name, h) for g, r, h in rows] == [("A社区", "B社区", 2.0)]


@pytest.mark.parametrize(
    "start,end,message",
    [
        (at(2, 6), at(2, 7), "开放时间"),
        (at(2, 19), at(2, 21), "开放时间"),
        (at(1, 10), at(1, 11), "提前 2 小时"),
        (at(30, 10), at(30, 11), "14 天"),
        (at(2, 10), at(2, 13), "最长 120 分钟"),
        (at(2, 10, 30), at(2, 11, 30), "60 分钟"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, gym, start, end, message):
    with pytest.raises(ValidationError) as exc:
        book(world, "resident_b1", gym, start, end)
    assert message in " ".join(exc.value.messages)
    assert not Booking.objects.exists() and not Seat.objects.exists()


def test_blackout_date_closes_the_day(world, gym):
    services.exception_set(
        actor=world.actor("community_a"), resource=gym, date=datetime.date(2026, 12, 3), note="检修"
    )
    with pytest.raises(ValidationError):
        book(world, "resident_b1", gym, at(3, 10), at(3, 11))
    assert selectors.day_availability(gym, datetime.date(2026, 12, 3)) == []
    assert len(selectors.day_availability(gym, datetime.date(2026, 12, 4))) == 12


def test_overlapping_own_booking_and_weekly_limit(world, gym):
    book(world, "resident_b1", gym, at(2, 10), at(2, 11))
    with pytest.raises(ValidationError, match="已有预约"):
        book(world, "resident_b1", gym, at(2, 10), at(2, 12))
    book(world, "resident_b1", gym, at(3, 10), at(3, 11))
    with pytest.raises(ValidationError, match="每周最多"):
        book(world, "resident_b1", gym, at(4, 10), at(4, 11))
    assert Booking.objects.count() == 2


def test_capacity_is_never_exceeded_and_waitlist_gets_the_freed_place(world, gym):
    first = book(world, "resident_b1", gym, at(2, 10), at(2, 11), places=2)
    with pytest.raises(ValidationError, match="名额已满"):
        book(world, "resident_a1", gym, at(2, 10), at(2, 11))
    services.waitlist_join(
        actor=world.actor("resident_a1"), resource=gym, start=at(2, 10), end=at(2, 11), now=NOW
    )
    services.booking_cancel(actor=world.actor("resident_b1"), booking=first, now=NOW)
    entry = WaitlistEntry.objects.get()
    assert entry.offered_at is not None
    assert Notification.objects.filter(
        user=world.users["resident_a1"], kind="sharing.waitlist"
    ).exists()
    assert book(world, "resident_a1", gym, at(2, 10), at(2, 11)).status == Status.PENDING


def test_quota_between_communities(world, gym):
    services.quota_set(
        actor=world.actor("community_a"),
        owner_unit=world.units["cA"],
        borrower_unit=world.units["cB"],
        monthly_hours=2,
    )
    book(world, "resident_b1", gym, at(2, 10), at(2, 12))
    other = make_resource(world, code="room", needs_approval=False)
    with pytest.raises(ValidationError, match="配额"):
        book(world, "resident_b1", other, at(5, 10), at(5, 11))
    # Residents of the owning community are not limited by the quota.
    book(world, "resident_a1", other, at(5, 10), at(5, 12))


def test_repeat_no_shows_block_future_bookings(world):
    gym = make_resource(world, max_per_week=10, needs_approval=False, capacity=5)
    for day in (2, 3, 4):
        book(world, "resident_b1", gym, at(day, 10), at(day, 11))
    assert services.no_shows_mark(now=at(5, 9)) == 3
    with pytest.raises(ValidationError, match="未到场"):
        services.booking_create(
            actor=world.actor("resident_b1"),
            resource=gym,
            start=at(8, 10),
            end=at(8, 11),
            now=at(5, 9),
        )


def test_cancellation_rules(world, gym):
    booking = book(world, "resident_b1", gym, at(2, 10), at(2, 11))
    with pytest.raises(ValidationError, match="小时内不能自行取消"):
        services.booking_cancel(actor=world.actor("resident_b1"), booking=booking, now=at(2, 9))
    services.booking_cancel(actor=world.actor("community_a"), booking=booking, now=at(2, 9))
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and not booking.seats.exists()
    with pytest.raises(ValidationError):
        services.booking_cancel(actor=world.actor("community_a"), booking=booking, now=at(2, 9))


def test_reminders_go_out_once(world, gym):
    booking = book(world, "resident_b1", gym, at(2, 10), at(2, 11))
    services.booking_decide(actor=world.actor("community_a"), booking=booking, approve=True)
    assert services.reminders_send(now=NOW) == 0  # 25 hours ahead: not yet
    assert services.reminders_send(now=at(1, 12)) == 1
    assert services.reminders_send(now=at(1, 13)) == 0


def test_who_may_book_and_approve(world, gym):
    own_only = make_resource(world, code="kinder", reach=Reach.COMMUNITY)
    assert set(selectors.resources_for_booking(world.actor("resident_b1"))) == {gym}
    assert set(selectors.resources_for_booking(world.actor("resident_a1"))) == {gym, own_only}
    with pytest.raises(Http404):
        book(world, "resident_b1", own_only, at(2, 10), at(2, 11))
    far = org.unit_create(
        actor=SYSTEM,
        parent=world.units["other_street"],
        kind=UnitKind.COMMUNITY,
        code="far",
        name="远方社区",
    )
    outsider = make_user("outsider", "resident", far)
    with pytest.raises(Http404):
        services.booking_create(
            actor=Actor(outsider),
            resource=gym,
            start=at(2, 10),
            end=at(2, 11),
            now=NOW,
        )
    booking = book(world, "resident_b1", gym, at(2, 10), at(2, 11))
    with pytest.raises(Http404):
        services.booking_decide(actor=world.actor("community_b"), booking=booking, approve=True)
    with pytest.raises(PermissionDenied):
        services.booking_decide(actor=world.actor("resident_b1"), booking=booking, approve=True)
    with pytest.raises(Http404):
        services.booking_decide(actor=world.actor("resident_a1"), booking=booking, approve=True)


def test_organisation_books_for_an_event(world):
    clinic = make_resource(world, code="clinic", unit="cB", needs_approval=False)
    booking = services.booking_create(
        actor=world.actor("social_a"),
        resource=clinic,
        start=at(2, 10),
        end=at(2, 12),
        on_behalf_of=world.orgs["social"],
        purpose="义诊进社区",
        now=NOW,
    )
    assert booking.borrower_unit == world.units["cA"]
    with pytest.raises(PermissionDenied):
        services.booking_create(
            actor=world.actor("social_a"),
            resource=clinic,
            start=at(3, 10),
            end=at(3, 11),
            on_behalf_of=world.orgs["social2"],
            now=NOW,
        )


def test_utilisation_by_hour_of_week(world, gym):
    booking = book(world, "resident_b1", gym, at(2, 10), at(2, 11))
    services.booking_decide(actor=world.actor("community_a"), booking=booking, approve=True)
    grid = selectors.utilisation(
        world.actor("street"), datetime.date(2026, 11, 30), datetime.date(2026, 12, 7)
    )
    assert grid[(2, 10)] == (1.0, 2.0)  # Wednesday 10:00: one of two places
    assert grid[(3, 10)] == (0.0, 2.0)
    assert (2, 7) not in grid


def test_system_actor_cannot_book_as_nobody(world, gym):
    with pytest.raises(ValidationError):
        services.booking_create(actor=SYSTEM, resource=gym, start=at(2, 10), end=at(2, 11), now=NOW)


def test_oversubscribed_slot_goes_by_verifiable_lottery(world):
    from linli.lottery.selectors import draw_verify
    from linli.sharing import draws

    gym = make_resource(world, capacity=2, needs_approval=True)
    row = draws.slot_lottery_open(
        actor=world.actor("community_a"), resource=gym, start=at(2, 10), end=at(2, 11), now=NOW
    )
    with pytest.raises(ValidationError, match="抽签"):
        book(world, "resident_b1", gym, at(2, 10), at(2, 11))
    racers = [make_user(f"l{i}", "resident", world.units["cB"]) for i in range(5)]
    for user in racers:
        draws.slot_lottery_enter(actor=Actor(user), slot_lottery=row)
    with pytest.raises(ValidationError, match="已报名"):
        draws.slot_lottery_enter(actor=Actor(racers[0]), slot_lottery=row)
    booked = draws.slot_lottery_run(actor=world.actor("community_a"), slot_lottery=row, now=NOW)
    assert len(booked) == 2 and all(b.status == Status.CONFIRMED for b in booked)
    row.draw.refresh_from_db()
    assert draw_verify(row.draw)
    winners = {e.ref for e in row.draw.entries.filter(won=True)}
    assert winners == {f"user-{b.booker_id}" for b in booked}
    assert WaitlistEntry.objects.filter(resource=gym).count() == 3
