"""A small world built through the services: two communities, three grids, people, and one
user per role. Used by permission tests in every module."""

import itertools
from dataclasses import dataclass, field

from linli.accounts import services as accounts
from linli.core.idcard import check_char
from linli.core.scoping import SYSTEM, Actor
from linli.org import services as org
from linli.org.choices import OrganisationKind, Relation, UnitKind

_serial = itertools.count(1)


def id_number(birth="19800101", area="110101", male=True):
    """A valid, unique ID number for tests."""
    n = next(_serial)
    seq = f"{n % 100:02d}"
    sex = str((n // 100) % 5 * 2 + (1 if male else 0))
    first17 = f"{area}{birth}{seq}{sex}"
    return first17 + check_char(first17)


def make_user(username, role=None, unit=None, **grant):
    user = accounts.user_create(
        actor=SYSTEM, username=username, password="pw-" + username, check_password=False
    )
    if role:
        accounts.grant_role(actor=SYSTEM, user=user, role=role, unit=unit, **grant)
    return user


def actor(user):
    return Actor(user)


@dataclass
class World:
    units: dict = field(default_factory=dict)
    estates: dict = field(default_factory=dict)
    buildings: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)

    def actor(self, name):
        return Actor(self.users[name])

    @classmethod
    def build(cls):
        w = cls()
        org.default_tags_ensure()
        u = w.units
        u["city"] = org.unit_create(
            actor=SYSTEM, parent=None, kind=UnitKind.CITY, code="city", name="测试市"
        )
        u["district"] = org.unit_create(
            actor=SYSTEM, parent=u["city"], kind=UnitKind.DISTRICT, code="district", name="测试区"
        )
        u["street"] = org.unit_create(
            actor=SYSTEM, parent=u["district"], kind=UnitKind.STREET, code="street", name="测试街道"
        )
        u["other_street"] = org.unit_create(
            actor=SYSTEM,
            parent=u["district"],
            kind=UnitKind.STREET,
            code="street2",
            name="另一街道",
        )
        for c in ("A", "B"):
            u[f"c{c}"] = org.unit_create(
                actor=SYSTEM,
                parent=u["street"],
                kind=UnitKind.COMMUNITY,
                code=f"comm-{c.lower()}",
                name=f"{c}社区",
            )
        u["gA1"] = org.unit_create(
            actor=SYSTEM, parent=u["cA"], kind=UnitKind.GRID, code="grid-a1", name="A社区第1网格"
        )
        u["gA2"] = org.unit_create(
            actor=SYSTEM, parent=u["cA"], kind=UnitKind.GRID, code="grid-a2", name="A社区第2网格"
        )
        u["gB1"] = org.unit_create(
            actor=SYSTEM, parent=u["cB"], kind=UnitKind.GRID, code="grid-b1", name="B社区第1网格"
        )
        pm = org.organisation_create(
            actor=SYSTEM,
            unit=u["street"],
            kind=OrganisationKind.PROPERTY,
            code="pm",
            name="测试物业",
        )
        w.orgs["pm"] = pm
        w.orgs["social"] = org.organisation_create(
            actor=SYSTEM, unit=u["cA"], kind=OrganisationKind.SOCIAL, code="social", name="夕阳红"
        )
        w.orgs["social2"] = org.organisation_create(
            actor=SYSTEM, unit=u["cB"], kind=OrganisationKind.SOCIAL, code="social2", name="小树苗"
        )
        w.estates["A"] = org.estate_create(
            actor=SYSTEM, community=u["cA"], code="est-a", name="幸福里", property_company=pm
        )
        w.estates["B"] = org.estate_create(
            actor=SYSTEM, community=u["cB"], code="est-b", name="和平里"
        )
        w.buildings["A1"] = org.building_create(
            actor=SYSTEM, estate=w.estates["A"], grid=u["gA1"], name="1栋"
        )
        w.buildings["A2"] = org.building_create(
            actor=SYSTEM, estate=w.estates["A"], grid=u["gA2"], name="2栋"
        )
        w.buildings["B1"] = org.building_create(
            actor=SYSTEM, estate=w.estates["B"], grid=u["gB1"], name="1栋"
        )
        for key, building in w.buildings.items():
            w.households[key] = org.household_create(
                actor=SYSTEM, building=building, stairwell="1单元", room="101", area="88.5"
            )
        for key, household in w.households.items():
            w.people[key] = org.person_register(
                actor=SYSTEM,
                household=household,
                name=f"居民{key}",
                relation=Relation.OWNER,
                id_number=id_number(),
                phone=f"139{next(_serial):08d}",
            )
        roles = {
            "district": ("district_admin", u["district"], {}),
            "street": ("street_admin", u["street"], {}),
            "community_a": ("community_staff", u["cA"], {}),
            "community_b": ("community_staff", u["cB"], {}),
            "secretary_a1": ("grid_secretary", u["gA1"], {}),
            "grid_a1": ("grid_worker", u["gA1"], {}),
            "grid_a2": ("grid_worker", u["gA2"], {}),
            "grid_b1": ("grid_worker", u["gB1"], {}),
            "property_a": ("property_manager", None, {"estate": w.estates["A"]}),
            "social_a": ("org_manager", None, {"organisation": w.orgs["social"]}),
            "security_a": ("security_operator", u["cA"], {}),
        }
        for name, (role, unit, extra) in roles.items():
            w.users[name] = make_user(name, role, unit, **extra)
        w.users["resident_a1"] = accounts.resident_account_create(
            actor=SYSTEM, person=w.people["A1"], password="pw-resident", check_password=False
        )
        w.users["resident_b1"] = accounts.resident_account_create(
            actor=SYSTEM, person=w.people["B1"], password="pw-resident", check_password=False
        )
        w.users["nobody"] = make_user("nobody")
        return w
