"""Every write to the org hierarchy and the housing and resident register."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from linli.core import audit, pii
from linli.core.idcard import mask_id_number, normalise, parse_id_number, parse_phone
from linli.core.scoping import authorize
from linli.org.choices import CHILD_KINDS, DEFAULT_TAGS, PersonStatus, Relation, UnitKind
from linli.org.models import (
    Building,
    Estate,
    Household,
    HouseholdMember,
    Organisation,
    OrgUnit,
    Person,
    Stairwell,
    Tag,
)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def unit_create(*, actor, parent, kind, code, name, address="", phone=""):
    """Add a unit under ``parent`` (or a root city when ``parent`` is None)."""
    if parent is None:
        if not actor.is_superuser:
            raise ValidationError(_("只有平台管理员可以新建市级单位"))
        if kind != UnitKind.CITY:
            raise ValidationError(_("顶层单位必须是市"))
        unit = OrgUnit(kind=kind, code=code, name=name, address=address, phone=phone)
        unit.full_clean(exclude=["path", "depth", "numchild"])
        unit = OrgUnit.objects.add_root(instance=unit)
    else:
        authorize(actor, "org.manage_units", parent)
        if kind not in CHILD_KINDS[parent.kind]:
            raise ValidationError(
                _("%(parent)s下不能直接设立%(kind)s")
                % {"parent": parent.get_kind_display(), "kind": UnitKind(kind).label}
            )
        unit = OrgUnit(kind=kind, code=code, name=name, address=address, phone=phone)
        unit.full_clean(exclude=["path", "depth", "numchild"])
        unit = OrgUnit.objects.add_child(parent, instance=unit)
    audit.record(actor, "org.unit_create", unit)
    return unit


@transaction.atomic
def estate_create(
    *, actor, community, code, name, address="", built_year=None, property_company=None
):
    authorize(actor, "org.manage_units", community)
    if community.kind != UnitKind.COMMUNITY:
        raise ValidationError(_("小区必须属于社区"))
    estate = _save(
        Estate(
            community=community,
            code=code,
            name=name,
            address=address,
            built_year=built_year,
            property_company=property_company,
        )
    )
    audit.record(actor, "org.estate_create", estate)
    return estate


@transaction.atomic
def building_create(*, actor, estate, grid, name, code=None, floors=None, lat=None, lng=None):
    authorize(actor, "org.manage_units", grid)
    if grid.kind != UnitKind.GRID or not grid.path.startswith(estate.community.path):
        raise ValidationError(_("楼栋所属网格必须在小区所在社区内"))
    code = code or unique_code(Building, f"{estate.code}-{slugify(name) or 'b'}")
    building = _save(
        Building(
            estate=estate,
            grid=grid,
            name=normalise(name),
            code=code,
            floors=floors,
            lat=lat,
            lng=lng,
        )
    )
    audit.record(actor, "org.building_create", building)
    return building


def unique_code(model, base):
    """``base``, or ``base-2``, ``base-3``… whichever is still free."""
    code, n = base, 1
    while model.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def stairwell_for(building, name):
    """The stairwell (单元) of this name in the building, created on first use; None if blank."""
    name = normalise(name or "")
    if not name:
        return None
    stairwell, _created = Stairwell.objects.get_or_create(building=building, name=name)
    return stairwell


def parse_area(raw):
    if raw in (None, ""):
        return None
    try:
        area = Decimal(normalise(str(raw)).replace("㎡", "").replace("m²", "").strip())
    except InvalidOperation as exc:
        raise ValidationError(_("面积不是有效数字"), code="area") from exc
    if area <= 0 or area >= Decimal("1000000"):
        raise ValidationError(_("面积必须大于0"), code="area")
    return area.quantize(Decimal("0.01"))


@transaction.atomic
def household_create(*, actor, building, room, stairwell=None, area=None, certificate_no=""):
    authorize(actor, "org.manage_units", building)
    household = _save(
        Household(
            building=building,
            stairwell=stairwell_for(building, stairwell),
            room=normalise(room),
            area=parse_area(area),
            certificate_no=certificate_no,
        )
    )
    audit.record(actor, "org.household_create", household)
    return household


def seal_id_number(person, raw):
    """Validate an ID number and store it only as ciphertext, blind index and masked form."""
    number, birth, gender = parse_id_number(raw)
    person.id_cipher = pii.encrypt(number)
    person.id_index = pii.blind_index(number)
    person.id_masked = mask_id_number(number)
    person.birth_date = birth
    person.gender = gender
    return person


def find_person_by_id_number(raw):
    """Exact lookup by ID number through the blind index; no decryption."""
    number, _birth, _gender = parse_id_number(raw)
    return Person.objects.filter(id_index=pii.blind_index(number)).first()


def _check_relation(relation):
    if relation not in Relation.values:
        raise ValidationError(_("与户关系无效"), code="relation")


@transaction.atomic
def person_register(
    *,
    actor,
    household,
    name,
    relation,
    id_number="",
    phone="",
    gender=None,
    birth_date=None,
    tags=(),
    since=None,
    note="",
):
    """Register a resident living in ``household``."""
    authorize(actor, "org.change_person", household.building)
    _check_relation(relation)
    person = Person(name=normalise(name), phone=parse_phone(phone), household=household, note=note)
    if id_number:
        seal_id_number(person, id_number)
    else:
        person.gender = gender or person.gender
        person.birth_date = birth_date
    try:
        with transaction.atomic():
            _save(person)
    except IntegrityError as exc:
        raise ValidationError(_("该身份证号已登记")) from exc
    if tags:
        person.tags.set(tags)
    HouseholdMember.objects.create(
        household=household,
        person=person,
        relation=relation,
        since=since or timezone.localdate(),
        recorded_by=actor.user,
    )
    audit.record(actor, "org.person_register", person)
    return person


_EDITABLE = {"name", "phone", "note", "gender", "birth_date"}


@transaction.atomic
def person_update(*, actor, person, id_number=None, tags=None, **fields):
    authorize(actor, "org.change_person", person)
    unknown = set(fields) - _EDITABLE
    if unknown:
        raise ValidationError(_("不能修改这些字段：%s") % ", ".join(sorted(unknown)))
    changed = sorted(fields)
    if "phone" in fields:
        fields["phone"] = parse_phone(fields["phone"])
    if "name" in fields:
        fields["name"] = normalise(fields["name"])
    for key, value in fields.items():
        setattr(person, key, value)
    if id_number:
        seal_id_number(person, id_number)
        changed.append("id_number")
    _save(person)
    if tags is not None:
        person.tags.set(tags)
        changed.append("tags")
    audit.record(actor, "org.person_update", person, fields=changed)
    return person


@transaction.atomic
def person_move(*, actor, person, to_household, relation, on=None):
    """Move a resident to another household, closing the old ties and keeping them as history."""
    authorize(actor, "org.change_person", person)
    authorize(actor, "org.change_person", to_household.building)
    _check_relation(relation)
    on = on or timezone.localdate()
    if person.household_id == to_household.pk:
        raise ValidationError(_("此人已住在该户"))
    if person.household_id:
        _close_ties(person, person.household_id, on)
    HouseholdMember.objects.create(
        household=to_household, person=person, relation=relation, since=on, recorded_by=actor.user
    )
    from_household = person.household
    person.household = to_household
    person.status = PersonStatus.ACTIVE
    _save(person)
    audit.record(
        actor,
        "org.person_move",
        person,
        from_household=str(from_household or ""),
        to_household=str(to_household),
    )
    return person


def _close_ties(person, household_id, on):
    for tie in HouseholdMember.objects.filter(
        person=person, household_id=household_id, until__isnull=True
    ):
        # An owner who moves out still owns the unit (votes by area need that): keep it open.
        if tie.relation in (Relation.OWNER, Relation.CO_OWNER):
            continue
        tie.until = max(on, tie.since)
        tie.save(update_fields=["until"])


@transaction.atomic
def person_move_out(*, actor, person, on=None, deceased=False):
    authorize(actor, "org.change_person", person)
    on = on or timezone.localdate()
    if person.household_id:
        _close_ties(person, person.household_id, on)
    person.status = PersonStatus.DECEASED if deceased else PersonStatus.MOVED_OUT
    _save(person)
    audit.record(actor, "org.person_move_out", person, on=on.isoformat(), deceased=deceased)
    return person


@transaction.atomic
def ownership_add(*, actor, person, household, relation=Relation.OWNER, since=None):
    """Record that ``person`` owns (or co-owns) ``household`` without living there."""
    authorize(actor, "org.change_person", household.building)
    if relation not in (Relation.OWNER, Relation.CO_OWNER):
        raise ValidationError(_("只能登记业主或共有人"))
    tie = HouseholdMember(
        household=household,
        person=person,
        relation=relation,
        since=since or timezone.localdate(),
        recorded_by=actor.user,
    )
    try:
        with transaction.atomic():
            _save(tie)
    except IntegrityError as exc:
        raise ValidationError(_("此人已在该户登记")) from exc
    audit.record(actor, "org.ownership_add", person, household=str(household))
    return tie


@transaction.atomic
def person_reveal(*, actor, person, field):
    """Return the clear ID number or phone of one person, for an actor allowed to unmask.

    Every reveal is written to the audit log.
    """
    authorize(actor, "org.unmask_pii", person)
    if field == "id_number":
        value = pii.decrypt(person.id_cipher) if person.id_cipher else ""
    elif field == "phone":
        value = person.phone
    else:
        raise ValidationError(_("不能查看该字段"))
    audit.record(actor, "org.pii_reveal", person, field=field)
    return value


@transaction.atomic
def organisation_create(*, actor, unit, kind, code, name, contact_name="", contact_phone=""):
    authorize(actor, "org.manage_units", unit)
    org = _save(
        Organisation(
            unit=unit,
            kind=kind,
            code=code,
            name=name,
            contact_name=contact_name,
            contact_phone=parse_phone(contact_phone),
        )
    )
    audit.record(actor, "org.organisation_create", org)
    return org


def default_tags_ensure():
    """The default labels, by code (idempotent; the migration creates them on a new database)."""
    return {
        code: Tag.objects.get_or_create(
            code=code, defaults={"name": str(name), "is_care_group": care}
        )[0]
        for code, name, care in DEFAULT_TAGS
    }
