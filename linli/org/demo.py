"""Demo: the eight places of the seed, each with communities, grids, estates, buildings,
households and residents, and one login per role."""

import datetime
from decimal import Decimal

from django.db import transaction

from linli.accounts.models import RoleGrant, User
from linli.core import pii
from linli.core.idcard import check_char, mask_id_number
from linli.org.choices import OrganisationKind, Relation, UnitKind
from linli.org.models import (
    Building,
    Estate,
    Household,
    HouseholdMember,
    Organisation,
    OrgUnit,
    Person,
    Stairwell,
)
from linli.org.services import default_tags_ensure

ORDER = 0


# (city, district, street, area code for ID numbers, community names, estate name stems)
PLACES = {
    "xinxing": (
        "天津市",
        "和平区",
        "新兴街道",
        "120101",
        ["朝阳里社区", "新津社区", "新兴南社区"],
        ["朝阳里", "安乐里", "新津里", "福顺里"],
    ),
    "shekou": (
        "深圳市",
        "南山区",
        "蛇口街道",
        "440305",
        ["渔一社区", "湾厦社区", "东角头社区"],
        ["渔村花园", "湾厦新村", "海月花园", "南海玫瑰园"],
    ),
    "pingjiang": (
        "苏州市",
        "姑苏区",
        "平江街道",
        "320508",
        ["平江路社区", "钮家巷社区", "东园社区"],
        ["平江新村", "钮家巷小区", "东园新村", "胡厢使小区"],
    ),
    "niushikou": (
        "成都市",
        "锦江区",
        "牛市口街道",
        "510104",
        ["大观社区", "水碾河社区", "静沙南路社区"],
        ["大观苑", "水碾河小区", "静沙花园", "东湖小区"],
    ),
    "yuexiu": (
        "广州市",
        "越秀区",
        "北京街道",
        "440104",
        ["盐运西社区", "大塘社区", "府前社区"],
        ["盐运西小区", "大塘街小区", "府前路小区", "惠福东小区"],
    ),
    "beigan": (
        "杭州市",
        "萧山区",
        "北干街道",
        "330109",
        ["北干山社区", "兴议社区", "金山社区"],
        ["北干花园", "兴议小区", "金山公寓", "山阴苑"],
    ),
    "suojincun": (
        "南京市",
        "玄武区",
        "锁金村街道",
        "320102",
        ["锁金一村社区", "锁金二村社区", "板仓社区"],
        ["锁金一村", "锁金二村", "板仓新村", "锁金新村"],
    ),
    "qibao": (
        "上海市",
        "闵行区",
        "七宝镇",
        "310112",
        ["A社区", "B社区", "C社区"],
        ["七宝新村", "航华一村", "沪星小区", "号文花园"],
    ),
}

CITY_CODES = {
    "天津市": "tj",
    "深圳市": "sz",
    "苏州市": "su",
    "成都市": "cd",
    "广州市": "gz",
    "杭州市": "hz",
    "南京市": "nj",
    "上海市": "sh",
}

ESTATES_PER_COMMUNITY = 2
BUILDINGS_PER_ESTATE = 4
GRIDS_PER_COMMUNITY = 3
STAIRWELLS = ("1单元", "2单元")
FLOORS = 5
ROOMS_PER_FLOOR = 2


def community_code(key, n):
    return f"{key}-c{n}"


def grid_code(key, community_n, grid_n):
    return f"{key}-c{community_n}-g{grid_n}"


def estate_code(key, community_n, estate_n):
    return f"{key}-c{community_n}-e{estate_n}"


class IdNumbers:
    """Valid, unique, made-up ID numbers (GB 11643 check character) for demo residents."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def make(self, area, birth, gender):
        while True:
            seq = self.rng.randint(0, 99)
            sex_digit = self.rng.choice("13579" if gender == "M" else "02468")
            first17 = f"{area}{birth:%Y%m%d}{seq:02d}{sex_digit}"
            if first17 not in self.used:
                self.used.add(first17)
                return first17 + check_char(first17)


def _unit(parent, kind, code, name, **extra):
    unit = OrgUnit(kind=kind, code=code, name=name, **extra)
    return (
        OrgUnit.objects.add_child(parent, instance=unit)
        if parent
        else OrgUnit.objects.add_root(instance=unit)
    )


def build_hierarchy(ctx):
    cities = {}
    places = {}
    for key, (city, district, street, _area, communities, _stems) in PLACES.items():
        if city not in cities:
            cities[city] = _unit(None, UnitKind.CITY, CITY_CODES[city], city)
        district_unit = _unit(
            cities[city], UnitKind.DISTRICT, f"{CITY_CODES[city]}-{key}-d", district
        )
        street_unit = _unit(
            district_unit,
            UnitKind.STREET,
            key,
            street,
            address=f"{city}{district}{street}",
            phone=f"0{ctx.rng.randint(20, 99)}-{ctx.rng.randint(2000, 8999)}"
            f"{ctx.rng.randint(1000, 9999)}",
        )
        community_units = []
        for c, name in enumerate(communities, start=1):
            community = _unit(
                street_unit,
                UnitKind.COMMUNITY,
                community_code(key, c),
                name,
                address=f"{city}{district}{street}{name}",
                phone=f"0{ctx.rng.randint(20, 99)}-{ctx.rng.randint(2000, 8999)}"
                f"{ctx.rng.randint(1000, 9999)}",
            )
            grids = [
                _unit(community, UnitKind.GRID, grid_code(key, c, g), f"{name}第{g}网格")
                for g in range(1, GRIDS_PER_COMMUNITY + 1)
            ]
            community_units.append((community, grids))
        places[key] = (street_unit, community_units)
    return places


def build_housing(ctx, key, street_unit, community_units):
    _city, _district, _street, _area, _names, stems = PLACES[key]
    property_company = Organisation.objects.create(
        kind=OrganisationKind.PROPERTY,
        code=f"{key}-pm",
        unit=street_unit,
        name=f"{street_unit.name[:2]}物业服务有限公司",
        contact_name=ctx.faker.name(),
        contact_phone=ctx.faker.phone_number(),
    )
    households = []
    stem_iter = iter(stems * 4)
    for c, (community, grids) in enumerate(community_units, start=1):
        for e in range(1, ESTATES_PER_COMMUNITY + 1):
            stem = next(stem_iter)
            estate = Estate.objects.create(
                community=community,
                code=estate_code(key, c, e),
                name=stem if e == 1 else f"{stem}{e}期",
                address=ctx.faker.street_address(),
                built_year=ctx.rng.randint(1982, 2005),
                property_company=property_company,
            )
            for b in range(1, BUILDINGS_PER_ESTATE + 1):
                building = Building.objects.create(
                    estate=estate,
                    grid=grids[(b - 1) % len(grids)],
                    code=f"{estate.code}-b{b}",
                    name=f"{b}栋",
                    floors=FLOORS,
                    lat=Decimal("30") + Decimal(ctx.rng.randint(0, 99999)) / 100000,
                    lng=Decimal("120") + Decimal(ctx.rng.randint(0, 99999)) / 100000,
                )
                for s_name in STAIRWELLS:
                    stairwell = Stairwell.objects.create(building=building, name=s_name)
                    for floor in range(1, FLOORS + 1):
                        for r in range(1, ROOMS_PER_FLOOR + 1):
                            households.append(
                                Household(
                                    building=building,
                                    stairwell=stairwell,
                                    room=f"{floor}0{r}",
                                    area=Decimal(ctx.rng.randint(4200, 12800)) / 100,
                                )
                            )
    Household.objects.bulk_create(households, batch_size=1000)
    return households


def populate(ctx, key, households, ids, tags):
    """Residents: families, elders living alone, tenants; ~2.4 people per household."""
    area = PLACES[key][3]
    today = datetime.date(2026, 11, 1)
    people, ties, tag_rows = [], [], []

    def person(household, age, relation, gender=None):
        gender = gender or ctx.rng.choice("MF")
        birth = today - datetime.timedelta(days=int(age * 365.25) + ctx.rng.randint(0, 360))
        number = ids.make(area, birth, gender)
        name = ctx.faker.name_male() if gender == "M" else ctx.faker.name_female()
        p = Person(
            name=name,
            gender=gender,
            birth_date=birth,
            id_cipher=pii.encrypt(number),
            id_index=pii.blind_index(number),
            id_masked=mask_id_number(number),
            phone=f"1{ctx.rng.choice('3589')}{ctx.rng.randint(100000000, 999999999)}",
            household=household,
        )
        people.append(p)
        ties.append((p, household, relation))
        return p

    for household in households:
        roll = ctx.rng.random()
        members = []
        if roll < 0.09:
            elder = person(household, ctx.rng.randint(72, 93), Relation.OWNER)
            members.append(elder)
            tag_rows.append((elder, tags["elder_alone"]))
            if elder.age_on(today) >= 80:
                tag_rows.append((elder, tags["very_old"]))
        elif roll < 0.17:
            a = person(household, ctx.rng.randint(63, 80), Relation.OWNER, "M")
            b = person(household, ctx.rng.randint(60, 78), Relation.CO_OWNER, "F")
            members += [a, b]
            tag_rows += [(a, tags["empty_nest"]), (b, tags["empty_nest"])]
        elif roll < 0.27:
            members.append(person(household, ctx.rng.randint(22, 40), Relation.TENANT))
            if ctx.rng.random() < 0.5:
                members.append(person(household, ctx.rng.randint(22, 40), Relation.TENANT))
        else:
            parent_age = ctx.rng.randint(30, 58)
            members.append(person(household, parent_age, Relation.OWNER, "M"))
            members.append(
                person(household, parent_age + ctx.rng.randint(-4, 3), Relation.CO_OWNER, "F")
            )
            for _child in range(ctx.rng.choice((0, 1, 1, 2))):
                members.append(person(household, ctx.rng.randint(3, 24), Relation.FAMILY))
            if ctx.rng.random() < 0.15:
                members.append(person(household, ctx.rng.randint(70, 88), Relation.FAMILY))
        for m in members:
            age = m.age_on(today)
            if 20 <= age <= 75 and ctx.rng.random() < 0.12:
                tag_rows.append((m, tags["party_member"]))
            if 18 <= age <= 72 and ctx.rng.random() < 0.10:
                tag_rows.append((m, tags["volunteer"]))
            if ctx.rng.random() < 0.02:
                tag_rows.append((m, tags["disabled"]))
            if ctx.rng.random() < 0.015:
                tag_rows.append((m, tags["low_income"]))
    Person.objects.bulk_create(people, batch_size=1000)
    since = datetime.date(2015, 1, 1)
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(
                household=h,
                person=p,
                relation=r,
                since=since + datetime.timedelta(days=ctx.rng.randint(0, 3600)),
            )
            for p, h, r in ties
        ],
        batch_size=1000,
    )
    through = Person.tags.through
    through.objects.bulk_create(
        [through(person_id=p.pk, tag_id=t.pk) for p, t in tag_rows],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return people


def demo_user(
    ctx,
    username,
    name,
    role,
    unit,
    *,
    where,
    estate=None,
    organisation=None,
    person=None,
    phone=None,
):
    user = User(username=username, first_name=name, person=person, phone=phone)
    user.set_password(ctx.password)
    user.save()
    RoleGrant.objects.create(
        user=user, role=role, unit=unit, estate=estate, organisation=organisation
    )
    ctx.add_login(username, role, where)
    return user


@transaction.atomic
def load(ctx):
    tags = default_tags_ensure()
    ids = IdNumbers(ctx.rng)
    places = build_hierarchy(ctx)
    for key, (street_unit, community_units) in places.items():
        households = build_housing(ctx, key, street_unit, community_units)
        populate(ctx, key, households, ids, tags)
        ctx.log(f"  {street_unit.name}: {len(households)} households")
    superuser = User.objects.create_superuser(
        "admin", password=ctx.password, first_name="平台管理员"
    )
    ctx.add_login(superuser.username, "superuser", "Django admin /django-admin/")
    add_role_logins(ctx, places)


def add_role_logins(ctx, places):
    street, communities = places["xinxing"]
    community, grids = communities[0]
    district = OrgUnit.objects.get_parent(street)
    demo_user(ctx, "district", "区级管理员", "district_admin", district, where=district.name)
    demo_user(ctx, "street", "街道管理员", "street_admin", street, where=street.name)
    demo_user(ctx, "community", "社区工作人员", "community_staff", community, where=community.name)
    demo_user(ctx, "secretary", "网格党支部书记", "grid_secretary", grids[0], where=grids[0].name)
    demo_user(ctx, "gridworker", "网格员", "grid_worker", grids[0], where=grids[0].name)
    demo_user(ctx, "gridworker2", "网格员", "grid_worker", grids[1], where=grids[1].name)
    resident = (
        Person.objects.filter(
            household__building__grid=grids[0],
            user__isnull=True,
            memberships__relation=Relation.OWNER,
        )
        .order_by("pk")
        .first()
    )
    demo_user(
        ctx,
        "resident",
        resident.name,
        "resident",
        community,
        where=f"{resident.household}",
        person=resident,
        phone="13800000001",
    )
    estate = Estate.objects.filter(community=community).order_by("pk").first()
    demo_user(
        ctx, "property", "物业经理", "property_manager", community, estate=estate, where=estate.name
    )
    _shekou, shekou_communities = places["shekou"]
    org = Organisation.objects.create(
        kind=OrganisationKind.SOCIAL,
        code="shekou-xiyanghong",
        name="夕阳红养老服务中心",
        unit=shekou_communities[0][0],
    )
    demo_user(
        ctx,
        "socialorg",
        "社会组织负责人",
        "org_manager",
        shekou_communities[0][0],
        organisation=org,
        where=org.name,
    )
    _beigan, beigan_communities = places["beigan"]
    demo_user(
        ctx,
        "security",
        "安防值班员",
        "security_operator",
        beigan_communities[0][0],
        where=beigan_communities[0][0].name,
    )
