import pytest

from linli.ledger import services
from linli.ledger.choices import Unit


@pytest.fixture
def accounts(world):
    """Issuance (no floor) and three residents' points accounts."""
    issuance = services.account_get_or_create(unit=Unit.POINTS, code="issuance", floor=None)
    people = [world.people[k] for k in ("A1", "A2", "B1")]
    owned = [services.account_get_or_create(owner=p, unit=Unit.POINTS) for p in people]
    return issuance, owned
