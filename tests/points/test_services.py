import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from linli.core.scoping import SYSTEM
from linli.ledger import selectors as ledger_selectors
from linli.ledger.selectors import check
from linli.points import selectors, services
from linli.points.choices import AwardState, Per, RedemptionState
from linli.points.models import Award, Rule
from tests.points.conftest import give


def balance(person):
    return ledger_selectors.balance(services.person_account(person))


def test_award_hook_is_idempotent_and_respects_daily_limit(points_world):
    w = points_world
    person = w.people["A1"]
    first = services.award(actor=SYSTEM, person=person, rule_code="council", key="mtg-1")
    assert first.points == 5 and balance(person) == 5
    assert services.award(actor=SYSTEM, person=person, rule_code="council", key="mtg-1") == first
    services.award(actor=SYSTEM, person=person, rule_code="council", key="mtg-2")
    # The default council rule allows 10 a day: a third award the same day gives nothing.
    assert services.award(actor=SYSTEM, person=person, rule_code="council", key="mtg-3") is None
    assert balance(person) == 10
    assert services.award(actor=SYSTEM, person=person, rule_code="no-such", key="x") is None
    assert check() == []


def test_community_rule_overrides_the_default_and_is_versioned(points_world):
    w = points_world
    services.rule_save(
        actor=w.actor("community_a"),
        unit=w.units["cA"],
        code="council",
        name="议事会参会",
        category="council",
        points=8,
        per=Per.TIME,
    )
    a = services.award(actor=SYSTEM, person=w.people["A1"], rule_code="council", key="k1")
    b = services.award(actor=SYSTEM, person=w.people["B1"], rule_code="council", key="k2")
    assert (a.points, b.points) == (8, 5)
    rule = services.rule_save(
        actor=w.actor("community_a"), unit=w.units["cA"], code="council", points=9
    )
    assert rule.version == 2
    with pytest.raises(Http404):
        services.rule_save(actor=w.actor("community_b"), unit=w.units["cA"], code="x", points=1)


def test_qr_checkin_awards_once(points_world):
    w = points_world
    actor = w.actor("resident_a1")
    services.checkin(actor=actor, code=w.activity.code)
    assert balance(w.people["A1"]) == 1
    with pytest.raises(ValidationError):
        services.checkin(actor=actor, code=w.activity.code)
    assert balance(w.people["A1"]) == 1
    # A resident of another community cannot use community A's activity.
    with pytest.raises(ValidationError):
        services.checkin(actor=w.actor("resident_b1"), code=w.activity.code)
    with pytest.raises(ValidationError):
        services.checkin(actor=actor, code="nonsense")


def test_hourly_activity_awards_the_hours_between_in_and_out(points_world):
    w = points_world
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    act = services.activity_create(
        actor=SYSTEM,
        unit=w.units["cA"],
        rule=Rule.objects.get(unit=None, code="volunteer"),
        title="敬老院志愿服务",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
    )
    actor = w.actor("resident_a1")
    services.checkin(actor=actor, code=act.code, now=start + datetime.timedelta(minutes=5))
    assert balance(w.people["A1"]) == 0
    services.checkin(actor=actor, code=act.code, now=start + datetime.timedelta(hours=2, minutes=5))
    assert balance(w.people["A1"]) == 20  # 2 h × 10


def test_checkin_outside_the_window_is_refused(points_world):
    w = points_world
    with pytest.raises(ValidationError):
        services.checkin(
            actor=w.actor("resident_a1"),
            code=w.activity.code,
            now=timezone.now() + datetime.timedelta(days=1),
        )


def test_claim_needs_evidence_then_approval(points_world):
    w = points_world
    rule = Rule.objects.get(unit=None, code="mutual_help")
    actor = w.actor("resident_a1")
    with pytest.raises(ValidationError):
        services.claim_submit(actor=actor, rule=rule, note="帮邻居搬东西")
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")
    claim = services.claim_submit(actor=actor, rule=rule, note="帮邻居搬东西", evidence=photo)
    assert claim.state == AwardState.PENDING and balance(w.people["A1"]) == 0
    with pytest.raises(ValidationError):
        services.claim_decide(actor=w.actor("community_a"), award_obj=claim, approve=False)
    # Community B's staff cannot see community A's claim at all.
    with pytest.raises(Http404):
        services.claim_decide(actor=w.actor("community_b"), award_obj=claim, approve=True)
    services.claim_decide(actor=w.actor("community_a"), award_obj=claim, approve=True)
    assert balance(w.people["A1"]) == 5
    with pytest.raises(ValidationError):
        services.claim_decide(actor=w.actor("community_a"), award_obj=claim, approve=True)
    assert balance(w.people["A1"]) == 5


def test_redeem_holds_points_and_stock_then_property_fulfils(points_world):
    w = points_world
    person = w.people["A1"]
    give(person, 40, "seed")
    actor = w.actor("resident_a1")
    r = services.redeem(actor=actor, item=w.voucher)
    summary = selectors.summary(person)
    assert (summary["balance"], summary["available"]) == (40, 10)
    w.voucher.refresh_from_db()
    assert w.voucher.stock == 1
    # Not enough points left for a second one: refused, stock untouched.
    with pytest.raises(ValidationError):
        services.redeem(actor=actor, item=w.voucher)
    w.voucher.refresh_from_db()
    assert w.voucher.stock == 1
    # Property of estate B cannot see estate A's vouchers.
    done = services.fulfil(actor=w.actor("property_a"), code=r.code)
    assert done.state == RedemptionState.FULFILLED
    assert balance(person) == 10
    with pytest.raises(ValidationError):
        services.fulfil(actor=w.actor("property_a"), code=r.code)
    with pytest.raises(ValidationError):
        services.redemption_cancel(actor=actor, redemption=r)
    assert check() == []


def test_cancel_returns_points_and_stock(points_world):
    w = points_world
    give(w.people["A1"], 30, "seed")
    r = services.redeem(actor=w.actor("resident_a1"), item=w.voucher)
    services.redemption_cancel(actor=w.actor("resident_a1"), redemption=r)
    w.voucher.refresh_from_db()
    assert w.voucher.stock == 2 and selectors.summary(w.people["A1"])["available"] == 30


def test_uncollected_redemptions_expire(points_world):
    w = points_world
    give(w.people["A1"], 30, "seed")
    r = services.redeem(actor=w.actor("resident_a1"), item=w.voucher)
    assert services.redemptions_expire_due() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    assert services.redemptions_expire_due(now=later) == 1
    r.refresh_from_db()
    assert r.state == RedemptionState.CANCELLED
    assert selectors.summary(w.people["A1"])["available"] == 30


def test_points_of_a_year_expire_at_the_end_of_the_next(points_world):
    w = points_world
    services.policy_set(actor=w.actor("street"), unit=w.units["cA"], expiry="next_year_end")
    rule = Rule.objects.get(unit=None, code="volunteer")
    old = datetime.datetime(2024, 6, 1, 10, tzinfo=datetime.UTC)
    services._create_award(
        actor=SYSTEM,
        person=w.people["A1"],
        rule=rule,
        key="old",
        quantity=2,
        source="staff",
        at=old,
    )
    give(w.people["A1"], 10, "new")
    give(w.people["B1"], 10, "other-community")
    assert services.expiry_warn(year=2024) == 1
    assert services.expiry_warn(year=2024) == 0
    assert services.expire_year(year=2024) == 1
    assert services.expire_year(year=2024) == 1  # idempotent by key: nothing moves twice
    assert balance(w.people["A1"]) == 10 and balance(w.people["B1"]) == 10
    assert check() == []


def test_each_role_sees_only_its_part(points_world):
    w = points_world
    give(w.people["A1"], 10, "a1")
    give(w.people["B1"], 10, "b1")

    def seen(name):
        return set(Award.objects.visible_to(w.actor(name)).values_list("person__name", flat=True))

    assert seen("resident_a1") == {"居民A1"}
    assert seen("community_a") == {"居民A1"}
    assert seen("street") == {"居民A1", "居民B1"}
    assert seen("grid_a2") == set()
    assert seen("nobody") == set()


def test_nobody_awards_or_approves_for_themselves(points_world):
    from linli.accounts.models import RoleGrant

    w = points_world
    # A resident who is also a grid worker in their own grid.
    RoleGrant.objects.create(
        user=w.users["resident_a1"], role="grid_secretary", unit=w.units["gA1"]
    )
    me = w.actor("resident_a1")
    rule = Rule.objects.get(unit=None, code="volunteer")
    with pytest.raises(ValidationError):
        services.award_by_staff(actor=me, person=w.people["A1"], rule=rule, note="自己")
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = services.claim_submit(
        actor=w.actor("resident_a1"),
        rule=Rule.objects.get(unit=None, code="mutual_help"),
        note="帮邻居",
        evidence=SimpleUploadedFile("p.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    )
    with pytest.raises(ValidationError):
        services.claim_decide(actor=w.actor("resident_a1"), award_obj=claim, approve=True)
    assert balance(w.people["A1"]) == 0


def test_rules_and_rewards_have_active_windows(points_world):
    w = points_world
    today = timezone.localdate()
    Rule.objects.filter(unit=None, code="council").update(
        active_until=today - datetime.timedelta(days=1)
    )
    assert services.award(actor=SYSTEM, person=w.people["A1"], rule_code="council", key="k") is None
    give(w.people["A1"], 40, "seed")
    w.voucher.available_from = today + datetime.timedelta(days=3)
    w.voucher.save()
    assert w.voucher not in selectors.catalogue(w.actor("resident_a1"))
    with pytest.raises(ValidationError):
        services.redeem(actor=w.actor("resident_a1"), item=w.voucher)
