import pytest
from django.urls import reverse

from linli.renovation import services
from tests.renovation.conftest import open_vote


def test_owner_sees_the_vote_and_votes_on_the_phone(rw, client_for):
    vote = open_vote(rw)
    client = client_for(rw.users["wang"])
    page = client.get(reverse("m:renovation:project", args=[rw.project.pk])).content.decode()
    assert "100.00 ㎡（2 套）" in page
    client.post(reverse("m:renovation:ballot", args=[vote.pk]), {"choice": "for"})
    assert services.tally(vote)["for_heads"] == 1
    api = client.get(f"/api/v1/renovation/votes/{vote.pk}/tally").json()
    assert api["part_heads"] == 1 and api["total_heads"] == 4


def test_console_and_scope(rw, client_for):
    vote = open_vote(rw)
    staff = client_for(rw.users["community_a"])
    assert staff.get(reverse("console:renovation:project", args=[rw.project.pk])).status_code == 200
    assert staff.get(reverse("m:renovation:notice", args=[vote.pk, "vote"])).content.startswith(
        b"%PDF"
    )
    other = client_for(rw.users["community_b"])
    assert other.get(reverse("console:renovation:project", args=[rw.project.pk])).status_code == 404
    assert other.get(f"/api/v1/renovation/votes/{vote.pk}/tally").status_code == 404
    assert (
        client_for(rw.users["resident_b1"])
        .get(reverse("m:renovation:project", args=[rw.project.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["vote", "result"])
def test_notices(rw, client_for, kind):
    vote = open_vote(rw)
    services.ballot_online(actor=rw.actor("wang"), vote=vote, choice="for")
    services.vote_close(actor=rw.actor("community_a"), vote=vote)
    pdf = client_for(rw.users["community_a"]).get(
        reverse("m:renovation:notice", args=[vote.pk, kind])
    )
    assert pdf["Content-Type"] == "application/pdf" and len(pdf.content) > 1000
