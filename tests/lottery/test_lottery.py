import hashlib
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.scoping import SYSTEM
from linli.lottery import algorithm, services
from linli.lottery.models import Draw, Entry
from linli.lottery.selectors import draw_verify

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(world):
    staff = world.actor("community_a")
    draw = services.draw_create(actor=staff, unit=world.units["cA"], title="车位", slots=2, now=NOW)
    for i, (tier, weight) in enumerate([(0, 1), (0, 1), (1, 1), (1, 3), (0, 2)]):
        services.draw_enter(
            actor=staff, draw=draw, label=f"1栋*0{i}", ref=f"h{i}", tier=tier, weight=weight
        )
    services.draw_close(actor=staff, draw=draw, public_value="8848")
    return services.draw_run(actor=staff, draw=draw)


def test_commitment_published_before_and_seed_revealed_at_draw(world):
    staff = world.actor("community_a")
    draw = services.draw_create(actor=staff, unit=world.units["cA"], title="车位", slots=1, now=NOW)
    assert draw.revealed_seed == ""
    assert draw.seed_hash == hashlib.sha256(draw.seed.encode()).hexdigest()
    services.draw_enter(actor=staff, draw=draw, label="x", ref="a")
    services.draw_close(actor=staff, draw=draw)
    draw = services.draw_run(actor=staff, draw=draw)
    assert draw.revealed_seed == draw.seed


def test_run_is_deterministic_and_tiers_come_first(drawn):
    entries = {e.ref: e for e in Entry.objects.filter(draw=drawn)}
    order = algorithm.order(
        drawn.seed, "8848", [(e.ref, e.tier, e.weight) for e in entries.values()]
    )
    assert order == sorted(entries, key=lambda r: entries[r].position)
    assert {entries[r].tier for r in order[:3]} == {0}
    assert sum(e.won for e in entries.values()) == 2
    assert draw_verify(drawn)


def test_public_value_changes_the_order():
    entries = [(f"r{i}", 0, 1) for i in range(30)]
    seed = "ab" * 32
    assert algorithm.order(seed, "1", entries) != algorithm.order(seed, "2", entries)


def test_weights_favour_heavier_entries():
    heavy = 0
    for n in range(300):
        order = algorithm.order(f"{n:064x}", "", [("light", 0, 1), ("heavy", 0, 4)])
        heavy += order[0] == "heavy"
    assert heavy > 200


def test_tampering_with_an_entry_fails_verification(drawn):
    Entry.objects.filter(draw=drawn, ref="h2").update(tier=0)
    assert not draw_verify(Draw.objects.get(pk=drawn.pk))


def test_tampering_with_the_seed_fails_verification(drawn):
    Draw.objects.filter(pk=drawn.pk).update(seed="00" * 32)
    assert not draw_verify(Draw.objects.get(pk=drawn.pk))


def test_tampering_with_the_result_fails_verification(drawn):
    loser = Entry.objects.filter(draw=drawn, won=False).first()
    Entry.objects.filter(pk=loser.pk).update(won=True)
    assert not draw_verify(drawn)


def test_entries_only_while_open_and_refs_unique(world):
    staff = world.actor("community_a")
    draw = services.draw_create(actor=staff, unit=world.units["cA"], title="t", slots=1)
    services.draw_enter(actor=staff, draw=draw, label="x", ref="a")
    with pytest.raises(ValidationError):
        services.draw_enter(actor=staff, draw=draw, label="y", ref="a")
    services.draw_close(actor=staff, draw=draw)
    with pytest.raises(ValidationError):
        services.draw_enter(actor=staff, draw=draw, label="z", ref="b")
    with pytest.raises(ValidationError):
        services.draw_close(actor=staff, draw=draw)
    services.draw_run(actor=staff, draw=draw)
    with pytest.raises(ValidationError):
        services.draw_run(actor=staff, draw=draw)


def test_permissions(world):
    with pytest.raises(PermissionDenied):
        services.draw_create(
            actor=world.actor("resident_a1"), unit=world.units["cA"], title="t", slots=1
        )
    with pytest.raises(PermissionDenied):
        services.draw_create(
            actor=world.actor("community_b"), unit=world.units["cA"], title="t", slots=1
        )
    draw = services.draw_create(actor=SYSTEM, unit=world.units["cA"], title="t", slots=1)
    from django.http import Http404

    with pytest.raises(Http404):
        services.draw_enter(actor=world.actor("community_b"), draw=draw, label="x", ref="a")


def test_public_page_reruns_and_matches(client, drawn):
    page = client.get(f"/lottery/{drawn.code}/")
    assert page.status_code == 200
    assert drawn.seed_hash in page.content.decode()
    ok = client.get(f"/lottery/{drawn.code}/", {"verify": "1", "seed": drawn.seed})
    assert "验证通过" in ok.content.decode()
    bad = client.get(f"/lottery/{drawn.code}/", {"verify": "1", "seed": "11" * 32})
    assert "验证失败" in bad.content.decode()
    data = client.get(f"/lottery/{drawn.code}/verify.json").json()
    assert data["ok"] and data["seed"] == drawn.seed
    assert data["order"] == list(
        Entry.objects.filter(draw=drawn).order_by("position").values_list("ref", flat=True)
    )


def test_seed_hidden_on_public_page_before_draw(client, world):
    draw = services.draw_create(actor=SYSTEM, unit=world.units["cA"], title="t", slots=1)
    page = client.get(f"/lottery/{draw.code}/").content.decode()
    assert draw.seed_hash in page and draw.seed not in page
    assert client.get(f"/lottery/{draw.code}/verify.json").json()["seed"] == ""


def test_api_scope(world, client_for):
    draw = services.draw_create(actor=SYSTEM, unit=world.units["cA"], title="t", slots=1)
    assert (
        client_for(world.users["resident_a1"]).get(f"/api/v1/lottery/draws/{draw.code}").status_code
        == 200
    )
    assert (
        client_for(world.users["resident_b1"]).get(f"/api/v1/lottery/draws/{draw.code}").status_code
        == 404
    )
