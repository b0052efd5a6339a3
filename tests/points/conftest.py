import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from linli.core.scoping import SYSTEM
from linli.points import services
from linli.points.choices import ItemKind


@pytest.fixture
def points_world(world):
    """The test world with default rules, a street activity and a small catalogue."""
    services.rules_ensure()
    now = timezone.now()
    w = world
    w.activity = services.activity_create(
        actor=SYSTEM,
        unit=w.units["cA"],
        rule=services.rule_for(w.people["A1"], "garbage_sorting"),
        title="垃圾分类宣传",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=1),
    )
    w.voucher = services.item_save(
        actor=SYSTEM,
        unit=w.units["cA"],
        kind=ItemKind.FEE_VOUCHER,
        name="物业费抵用券10元",
        estate=w.estates["A"],
        cost=30,
        stock=2,
    )
    return w


def give(person, points, key):
    """Credit a resident through the same path as any award (volunteer hours, no daily cap)."""
    from linli.points.models import Rule

    rule = Rule.objects.get(unit=None, code="volunteer")
    with transaction.atomic():
        return services._create_award(
            actor=SYSTEM,
            person=person,
            rule=rule,
            key=key,
            quantity=(Decimal(points) / rule.points).quantize(Decimal("0.01")),
            source="staff",
        )
