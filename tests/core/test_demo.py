"""The whole demo loads through the services, and what it built is consistent."""

import pytest
from django.db.models import Sum

from linli.core.demodata import load_all


@pytest.mark.serial
def test_full_demo_loads_and_the_ledger_balances(db):
    ctx = load_all(log=lambda *_: None)
    usernames = {login.username for login in ctx.logins}
    assert {"pingjiang-resident", "suojincun-volunteer", "yuexiu-owner", "shekou-resident"} <= (
        usernames
    )
    from linli.core.scoping import SYSTEM
    from linli.ledger.models import Account
    from linli.ledger.selectors import check
    from linli.org.models import OrgUnit
    from linli.timebank import selectors as timebank

    assert check() == []
    stats = timebank.stats(SYSTEM, unit=OrgUnit.objects.get(code="suojincun"))
    assert stats["volunteers"] >= 1000 and stats["held_hours"] >= 100_000
    held = Account.objects.filter(
        code="timebank",
        person__household__building__estate__community__path__startswith=OrgUnit.objects.get(
            code="suojincun"
        ).path,
    ).aggregate(s=Sum("balance"))["s"]
    assert stats["held_hours"] == round(held / 60, 1)
