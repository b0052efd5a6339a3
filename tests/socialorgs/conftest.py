import datetime

import pytest
from django.utils import timezone

from linli.core.scoping import SYSTEM
from linli.socialorgs import services
from linli.socialorgs.choices import Field, Legal


def publish(w, actor="social_a", org="social", capacity=2, starts_in=datetime.timedelta(days=2)):
    starts = timezone.now() + starts_in
    return services.activity_publish(
        actor=SYSTEM if actor is None else w.actor(actor),
        organisation=w.orgs[org],
        title="夕阳红合唱团排练",
        place="A社区活动室",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=capacity,
        signup_opens=timezone.now() - datetime.timedelta(days=1),
        signup_closes=starts,
    )


@pytest.fixture
def so(world):
    from linli.org import services as org
    from linli.org.choices import OrganisationKind

    # A street-wide volunteer association whose activities residents of A and B both see.
    world.orgs["association"] = org.organisation_create(
        actor=SYSTEM,
        unit=world.units["street"],
        kind=OrganisationKind.SOCIAL,
        code="volunteers",
        name="蛇口志愿者协会",
    )
    for key, field in (
        ("social", Field.ELDERLY),
        ("social2", Field.YOUTH),
        ("association", Field.VOLUNTEER),
    ):
        services.profile_save(
            actor=SYSTEM, organisation=world.orgs[key], field=field, legal=Legal.FILED, members=25
        )
    return world
