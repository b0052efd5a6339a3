import datetime
from decimal import Decimal

from ninja import Schema


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    depth: int


class EstateOut(Schema):
    id: int
    code: str
    name: str
    address: str
    community_id: int


class HouseholdOut(Schema):
    id: int
    building_id: int
    stairwell: str | None
    room: str
    area: Decimal | None
    label: str

    @staticmethod
    def resolve_stairwell(obj):
        return obj.stairwell.name if obj.stairwell_id else None

    @staticmethod
    def resolve_label(obj):
        return str(obj)


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: datetime.date | None
    id_number: str
    phone: str
    household_id: int | None
    status: str
    tags: list[str]

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_masked

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_masked

    @staticmethod
    def resolve_tags(obj):
        return [t.code for t in obj.tags.all()]


class PersonIn(Schema):
    name: str
    relation: str
    id_number: str = ""
    phone: str = ""
    tags: list[str] = []
    note: str = ""


class PersonPatch(Schema):
    name: str | None = None
    phone: str | None = None
    note: str | None = None
    id_number: str | None = None
    tags: list[str] | None = None


class MoveIn(Schema):
    household_id: int
    relation: str
    on: datetime.date | None = None


class RevealIn(Schema):
    field: str


class RevealOut(Schema):
    field: str
    value: str
