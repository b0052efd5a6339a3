import pytest
from django.core.exceptions import ValidationError

from linli.core.scoping import SYSTEM
from linli.lottery import algorithm, selectors, services
from linli.lottery.models import Draw, Entry


@pytest.fixture
def draw(world):
    d = services.draw_create(actor=SYSTEM, unit=world.units["cA"], title="2026年车位抽签", slots=2)
    for n in range(6):
        services.draw_enter(
            actor=SYSTEM, draw=d, label=f"1栋{n}0*", ref=f"household:{n}", tier=0 if n else 1
        )
    return d


def test_commitment_is_published_and_seed_hidden_until_the_draw(draw, client):
    assert draw.seed_hash == algorithm.seed_hash(draw.seed)
    page = client.get(f"/lottery/{draw.code}/")
    assert draw.seed_hash in page.content.decode()
    assert draw.seed not in page.content.decode()
    assert "seed" not in client.get(f"/lottery/{draw.code}/?format=json").json()


def test_draw_is_deterministic_and_verifiable(draw, client):
    with pytest.raises(ValidationError):
        services.draw_run(actor=SYSTEM, draw=draw)
    services.draw_close(actor=SYSTEM, draw=draw, public_value="07 13 21 28 30 33")
    with pytest.raises(ValidationError):
        services.draw_enter(actor=SYSTEM, draw=draw, label="迟到", ref="household:99")
    winners = services.draw_run(actor=SYSTEM, draw=draw)
    draw.refresh_from_db()
    assert len(winners) == 2 and services.draw_run(actor=SYSTEM, draw=draw) == winners
    # Tier 0 beats tier 1: household:0 (tier 1) can only come last.
    assert draw.result[-1] == "household:0"
    entries = Entry.objects.filter(draw=draw).values("ref", "tier", "weight")
    expected = [r for r, _k in algorithm.order(draw.seed, draw.public_value, entries)]
    assert draw.result == expected
    assert selectors.draw_verify(draw)
    page = client.get(f"/lottery/{draw.code}/?verify=1").content.decode()
    assert "复算结果与公布结果一致" in page and draw.seed in page


def test_tampering_is_detected(draw):
    services.draw_close(actor=SYSTEM, draw=draw, public_value="x")
    services.draw_run(actor=SYSTEM, draw=draw)
    draw.refresh_from_db()
    Entry.objects.filter(draw=draw, ref="household:3").update(tier=5)
    assert not selectors.draw_verify(draw)
    Entry.objects.filter(draw=draw, ref="household:3").update(tier=0)
    assert selectors.draw_verify(draw)
    Draw.objects.filter(pk=draw.pk).update(seed="0" * 64)
    draw.refresh_from_db()
    assert not selectors.draw_verify(draw)


def test_entering_twice_is_refused(draw):
    with pytest.raises(ValidationError):
        services.draw_enter(actor=SYSTEM, draw=draw, label="重复", ref="household:1")


def test_weights_are_extra_tickets():
    entries = [{"ref": f"r{n}", "tier": 0, "weight": 1} for n in range(50)]
    entries.append({"ref": "heavy", "tier": 0, "weight": 40})
    firsts = sum(algorithm.order(f"seed{s}", "p", entries)[0][0] == "heavy" for s in range(200))
    # 40 tickets among 89: the heavy entry should come first about 45% of the time.
    assert 60 < firsts < 120
