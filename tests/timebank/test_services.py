import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.ledger import selectors as ledger_selectors
from linli.timebank import selectors, services
from linli.timebank.choices import FlagKind, GiftState, ServiceState
from linli.timebank.models import Flag, Hardship, Policy
from tests.timebank.conftest import DAY, confirm_and_review, resident, serve


def held(w, key):
    return selectors.account_summary(w.people[key])["balance"]


def test_only_confirmed_reviewed_time_is_deposited_once(tb):
    service = serve(tb, tb.people["elder58"], minutes=90)
    assert held(tb, "vol") == 0
    services.service_confirm(actor=tb.actor("grid_a1"), service=service)
    assert held(tb, "vol") == 0
    services.service_review(actor=tb.actor("community_a"), service=service, approve=True)
    assert held(tb, "vol") == 90
    with pytest.raises(ValidationError):
        services.service_review(actor=tb.actor("community_a"), service=service, approve=True)
    assert held(tb, "vol") == 90
    assert ledger_selectors.check() == []


def test_weights_stamp_category_and_policy_versions(tb):
    service = confirm_and_review(tb, serve(tb, tb.people["elder58"], minutes=60, category="rehab"))
    assert service.coins == 90  # 1.5 coins per hour
    assert service.category_version == 1 and service.policy_version == 1


def test_the_first_confirmer_cannot_also_review(tb):
    service = serve(tb, tb.people["elder58"])
    services.service_confirm(actor=tb.actor("community_a"), service=service)
    with pytest.raises(ValidationError):
        services.service_review(actor=tb.actor("community_a"), service=service, approve=True)


def test_volunteer_cannot_confirm_own_service_and_strangers_cannot_act(tb):
    service = serve(tb, tb.people["elder58"])
    with pytest.raises((ValidationError, PermissionDenied, Http404)):
        services.service_confirm(actor=tb.actor("vol"), service=service)
    with pytest.raises(Http404):
        services.service_confirm(actor=tb.actor("grid_b1"), service=service)


def test_check_in_without_the_home_qr_needs_a_reason(tb):
    service = services.request_create(
        actor=tb.actor("grid_a1"),
        elder=tb.people["elder61"],
        category_code="companion",
        start=DAY,
        minutes=60,
    )
    services.service_accept(actor=tb.actor("vol"), service=service)
    with pytest.raises(ValidationError):
        services.service_check_in(actor=tb.actor("vol"), service=service, code="wrong")
    done = services.service_check_in(
        actor=tb.actor("vol"), service=service, manual_reason="老人手机没电", now=DAY
    )
    assert done.state == ServiceState.IN_SERVICE and done.manual_reason


def fund_from_pool(tb, minutes_by_elder):
    """The volunteer earns time, donates it, and staff allocate it from the pool to elders."""
    total = sum(minutes_by_elder.values())
    confirm_and_review(tb, serve(tb, tb.people["elder58"], minutes=total))
    services.gift_create(actor=tb.actor("vol"), giver=tb.people["vol"], minutes=total)
    for key, minutes in minutes_by_elder.items():
        services.pool_allocate(
            actor=tb.actor("community_a"), elder=tb.people[key], minutes=minutes, reason="困难"
        )


def test_withdrawal_is_age_gated(tb):
    young, old = tb.people["elder58"], tb.people["elder61"]
    fund_from_pool(tb, {"elder61": 120, "elder58": 120})
    start = DAY + datetime.timedelta(days=3)

    def book(elder):
        return services.request_create(
            actor=tb.actor("grid_a1"),
            elder=elder,
            category_code="companion",
            start=start,
            minutes=60,
            payer=elder,
            now=DAY,
        )

    with pytest.raises(ValidationError):
        book(young)
    paid = book(old)
    assert paid.hold.amount == 60
    assert selectors.account_summary(old)["available"] == 60
    # Hardship lets the 58-year-old spend from 55 under this policy.
    Hardship.objects.create(person=young, reason="低保")
    assert book(young).hold.amount == 60
    assert ledger_selectors.check() == []


def test_paid_service_posts_what_was_served(tb):
    old = tb.people["elder61"]
    fund_from_pool(tb, {"elder61": 120})
    service = serve(
        tb, old, start=DAY + datetime.timedelta(days=2), minutes=60, payer=old, served=45
    )
    confirm_and_review(tb, service)
    summary = selectors.account_summary(old)
    assert (summary["balance"], summary["held"]) == (75, 0)
    assert ledger_selectors.check() == []


def test_daily_cap_sends_the_excess_to_the_pool(tb):
    first = confirm_and_review(tb, serve(tb, tb.people["elder58"], minutes=300))
    second = confirm_and_review(
        tb,
        serve(tb, tb.people["elder61"], start=DAY + datetime.timedelta(hours=6), minutes=300),
    )
    assert (first.coins, first.overflow) == (300, 0)
    assert (second.coins, second.overflow) == (180, 120)  # 8 h a day
    assert held(tb, "vol") == 480


def test_lifetime_cap_overflows_to_the_pool(tb):
    Policy.objects.filter(unit=tb.units["street"]).update(lifetime_cap_minutes=100)
    first = confirm_and_review(tb, serve(tb, tb.people["elder58"], minutes=90))
    second = confirm_and_review(
        tb, serve(tb, tb.people["elder61"], start=DAY + datetime.timedelta(days=1), minutes=60)
    )
    assert (first.coins, second.coins, second.overflow) == (90, 10, 50)
    assert held(tb, "vol") == 100
    assert ledger_selectors.check() == []


def test_gift_to_relative_waits_for_approval_and_circular_gifts_are_flagged(tb):
    confirm_and_review(tb, serve(tb, tb.people["elder58"], minutes=120))
    vol, elder = tb.people["vol"], tb.people["elder58"]
    gift = services.gift_create(
        actor=tb.actor("vol"), giver=vol, receiver=elder, relation="母亲", minutes=60
    )
    assert selectors.account_summary(elder)["balance"] == 0
    assert selectors.account_summary(vol)["available"] == 60
    services.gift_decide(actor=tb.actor("community_a"), gift=gift, approve=True)
    assert selectors.account_summary(elder)["balance"] == 60
    back = services.gift_create(
        actor=tb.actor("elder58"), giver=elder, receiver=vol, relation="儿子", minutes=30
    )
    assert Flag.objects.filter(kind=FlagKind.CIRCULAR_GIFT).count() == 1
    services.gift_decide(actor=tb.actor("community_a"), gift=back, approve=False)
    back.refresh_from_db()
    assert back.state == GiftState.REFUSED
    assert selectors.account_summary(elder)["available"] == 60


def test_under_18_cannot_register(tb):
    kid = resident(tb, "kid", "小明", "20120101", room="404")
    with pytest.raises(ValidationError):
        services.volunteer_register(actor=tb.actor("kid"), person=kid, today=DAY.date())


def test_each_role_sees_only_its_part(tb):
    serve(tb, tb.people["elder58"])
    visible = {
        name: selectors.services(tb.actor(name)).count()
        for name in ("community_a", "community_b", "grid_a1", "grid_b1", "street", "elder58")
    }
    assert visible == {
        "community_a": 1,
        "community_b": 0,
        "grid_a1": 1,
        "grid_b1": 0,
        "street": 1,
        "elder58": 1,
    }
    service = selectors.services(tb.actor("community_a")).get()
    services.service_confirm(actor=tb.actor("grid_a1"), service=service)
    with pytest.raises(Http404):
        services.service_review(actor=tb.actor("community_b"), service=service, approve=True)
