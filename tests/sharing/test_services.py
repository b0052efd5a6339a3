import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from linli.core.scoping import SYSTEM
from linli.sharing import selectors, services
from linli.sharing.choices import Audience, BookingState
from linli.sharing.models import Booking, Quota, Seat
from tests.sharing.conftest import book, tomorrow_at


def test_other_community_books_is_approved_and_checks_in(sw):
    booking = book(sw, "resident_b1", sw.hall, 10)
    assert booking.state == BookingState.PENDING and booking.community == sw.units["cB"]
    with pytest.raises(Http404):
        services.booking_decide(actor=sw.actor("community_b"), booking=booking, approve=True)
    services.booking_decide(actor=sw.actor("community_a"), booking=booking, approve=True)
    with pytest.raises(ValidationError):
        services.booking_check_in(actor=sw.actor("community_a"), booking=booking)
    services.booking_check_in(actor=sw.actor("community_a"), booking=booking, now=booking.start)
    rows, totals = selectors.reciprocity(
        street=sw.units["street"], since=timezone.now() - datetime.timedelta(days=1)
    )
    assert [(a.code, b.code, h) for a, b, h in rows] == [("comm-a", "comm-b", 1.0)]
    assert {t["community"].code: (t["given"], t["received"]) for t in totals} == {
        "comm-a": (1.0, 0),
        "comm-b": (0, 1.0),
    }


@pytest.mark.parametrize(
    ("hour", "minutes", "code"),
    [(6, 60, "hours"), (19, 120, "hours"), (10, 180, "duration"), (10, 45, "slot")],
)
def test_bookings_outside_the_rules_change_nothing(sw, hour, minutes, code):
    with pytest.raises(ValidationError) as exc:
        book(sw, "resident_b1", sw.clinic, hour, minutes)
    assert exc.value.error_list[0].code == code
    assert not Booking.objects.exists() and not Seat.objects.exists()


def test_notice_window(sw):
    start = timezone.now() + datetime.timedelta(minutes=30)
    start = start.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.booking_create(
            actor=sw.actor("resident_b1"),
            resource=sw.clinic,
            start=start,
            end=start + datetime.timedelta(hours=1),
        )
    far = tomorrow_at(10) + datetime.timedelta(days=40)
    with pytest.raises(ValidationError):
        services.booking_create(
            actor=sw.actor("resident_b1"),
            resource=sw.clinic,
            start=far,
            end=far + datetime.timedelta(hours=1),
        )


def test_overlap_capacity_and_closures(sw):
    book(sw, "resident_a1", sw.hall, 10)
    with pytest.raises(ValidationError) as exc:
        book(sw, "resident_b1", sw.hall, 10)
    assert exc.value.error_list[0].code == "full"
    with pytest.raises(ValidationError) as exc:
        book(sw, "resident_a1", sw.hall, 10)
    assert exc.value.error_list[0].code == "overlap"
    services.closure_set(actor=SYSTEM, resource=sw.clinic, day=tomorrow_at(9).date(), note="消毒")
    with pytest.raises(ValidationError):
        book(sw, "resident_b1", sw.clinic, 14)


def test_quota_per_community_per_month(sw):
    Quota.objects.create(resource=sw.clinic, community=sw.units["cB"], hours_per_month=1)
    book(sw, "resident_b1", sw.clinic, 9)
    with pytest.raises(ValidationError) as exc:
        book(sw, "resident_b1", sw.clinic, 11)
    assert exc.value.error_list[0].code == "quota"
    # The owner community has no quota on its own resource.
    book(sw, "resident_a1", sw.clinic, 11)


def test_audience_community_only(sw):
    sw.clinic.audience = Audience.COMMUNITY
    sw.clinic.save()
    with pytest.raises(ValidationError):
        book(sw, "resident_b1", sw.clinic, 9)
    assert sw.clinic not in selectors.resources_for_booking(sw.actor("resident_b1"))
    assert sw.clinic in selectors.resources_for_booking(sw.actor("resident_a1"))


def test_repeat_no_shows_limit_future_bookings(sw):
    for n in range(3):
        past = tomorrow_at(9) - datetime.timedelta(days=10 + n)
        Booking.objects.create(
            resource=sw.clinic,
            person=sw.people["B1"],
            community=sw.units["cB"],
            start=past,
            end=past + datetime.timedelta(hours=1),
            state=BookingState.APPROVED,
        )
    assert services.no_shows_mark() == 3
    with pytest.raises(ValidationError) as exc:
        book(sw, "resident_b1", sw.clinic, 9)
    assert exc.value.error_list[0].code == "no_show"


def test_waiting_list_gets_the_freed_place(sw):
    first = book(sw, "resident_a1", sw.hall, 15)
    start = tomorrow_at(15)
    wait = services.wait_join(
        actor=sw.actor("resident_b1"),
        resource=sw.hall,
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    services.booking_cancel(actor=sw.actor("resident_a1"), booking=first)
    wait.refresh_from_db()
    assert wait.booking is not None and wait.booking.person == sw.people["B1"]


def test_slot_lottery_books_the_winners(sw):
    draw = services.slot_draw_create(
        actor=sw.actor("community_a"),
        resource=sw.clinic,
        start=tomorrow_at(16),
        end=tomorrow_at(17),
    )
    for name in ("resident_a1", "resident_b1"):
        services.slot_draw_enter(actor=sw.actor(name), slot_draw=draw)
    booked = services.slot_draw_run(actor=sw.actor("community_a"), slot_draw=draw)
    assert len(booked) == 2
    assert {b.source for b in booked} == {f"lottery:{draw.draw.code}"}
    from linli.lottery.selectors import draw_verify

    draw.draw.refresh_from_db()
    assert draw_verify(draw.draw)


def test_org_books_for_an_event(sw):
    booking = book(sw, "social_a", sw.clinic, 13, on_behalf_of=sw.orgs["social"], places=3)
    assert booking.on_behalf_of == sw.orgs["social"] and booking.places == 3
    with pytest.raises(ValidationError):
        book(sw, "resident_b1", sw.clinic, 13)
