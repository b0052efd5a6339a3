"""Art. 278 thresholds, computed by hand, at and beside each boundary, by area and by head."""

from decimal import Decimal as D

import pytest

from linli.renovation.choices import Matter
from linli.renovation.services import decide

ORDINARY = [m for m in Matter if m not in (6, 7, 8)]
SPECIAL = [Matter.RAISE_FUND, Matter.REBUILD, Matter.CHANGE_USE]


def run(matter, **kw):
    base = {"total_area": D("900"), "total_heads": 9}
    return decide(matter, **{**base, **kw})


@pytest.mark.parametrize("matter", list(Matter))
@pytest.mark.parametrize(
    ("part_area", "part_heads", "ok"),
    [
        (D("600"), 6, True),  # exactly 2/3 of 900 m² and of 9 owners
        (D("599.99"), 6, False),  # one cent short by area
        (D("600"), 5, False),  # one owner short by head
        (D("900"), 9, True),
    ],
)
def test_participation_needs_two_thirds_of_area_and_of_owners(matter, part_area, part_heads, ok):
    result = run(
        matter, part_area=part_area, part_heads=part_heads, for_area=part_area, for_heads=part_heads
    )
    assert result["participation_ok"] is ok
    assert result["approved"] is ok


@pytest.mark.parametrize("matter", ORDINARY)
@pytest.mark.parametrize(
    ("for_area", "for_heads", "ok"),
    [
        (D("300.01"), 4, True),  # > 1/2 of 600 m² and 4 of 6 owners
        (D("300"), 4, False),  # exactly half the area is not more than half
        (D("400"), 3, False),  # exactly half the owners
        (D("300.01"), 4, True),
    ],
)
def test_ordinary_matters_need_more_than_half(matter, for_area, for_heads, ok):
    result = run(matter, part_area=D("600"), part_heads=6, for_area=for_area, for_heads=for_heads)
    assert result["approved"] is ok and result["rule"] == ">1/2"


@pytest.mark.parametrize("matter", SPECIAL)
@pytest.mark.parametrize(
    ("for_area", "for_heads", "ok"),
    [
        (D("450"), 6, True),  # exactly 3/4 of 600 m²; 6 of 8 owners = 3/4
        (D("449.99"), 6, False),
        (D("450"), 5, False),
        (D("600"), 8, True),
    ],
)
def test_items_6_to_8_need_three_quarters(matter, for_area, for_heads, ok):
    result = run(
        matter,
        total_area=D("800"),
        total_heads=10,
        part_area=D("600"),
        part_heads=8,
        for_area=for_area,
        for_heads=for_heads,
    )
    assert result["participation_ok"]
    assert result["approved"] is ok and result["rule"] == "3/4"


def test_what_is_still_needed():
    result = run(Matter.USE_FUND, part_area=D("500"), part_heads=5, for_area=D("500"), for_heads=5)
    assert result["need_part_area"] == "100.00" and result["need_part_heads"] == 1
    assert not result["approved"]
    odd = decide(
        Matter.USE_FUND,
        total_area=D("100.01"),
        total_heads=10,
        part_area=D("0"),
        part_heads=0,
        for_area=D("0"),
        for_heads=0,
    )
    # 2/3 of 100.01 = 66.673…, so 66.68 m² is needed; 2/3 of 10 owners rounds up to 7.
    assert odd["need_part_area"] == "66.68" and odd["need_part_heads"] == 7
