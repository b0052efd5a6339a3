import pytest
from django.urls import reverse

from tests.socialorgs.conftest import publish


@pytest.mark.parametrize("name", ["home", "orgs", "activities", "applications", "purchases"])
def test_console_pages(so, client_for, name):
    publish(so)
    assert (
        client_for(so.users["community_a"]).get(reverse(f"console:socialorgs:{name}")).status_code
        == 200
    )


def test_managers_pages_are_scoped(so, client_for):
    mine = publish(so)
    other = publish(so, actor="community_b", org="social2")
    manager = client_for(so.users["social_a"])
    assert manager.get(reverse("console:socialorgs:activity", args=[mine.pk])).status_code == 200
    assert manager.get(reverse("console:socialorgs:activity", args=[other.pk])).status_code == 404
    listing = manager.get(reverse("console:socialorgs:activities")).content.decode()
    assert listing.count("夕阳红合唱团排练") == 1


def test_resident_lists_and_joins(so, client_for):
    activity = publish(so)
    client = client_for(so.users["resident_a1"])
    assert "夕阳红合唱团排练" in client.get(reverse("m:socialorgs:activities")).content.decode()
    client.post(reverse("m:socialorgs:join", args=[activity.pk]))
    assert activity.signups.count() == 1
    other = client_for(so.users["resident_b1"])
    assert "夕阳红合唱团排练" not in other.get(reverse("m:socialorgs:activities")).content.decode()
    assert other.post(reverse("m:socialorgs:join", args=[activity.pk])).status_code == 404
