import datetime

from ninja import Schema


class ResourceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    owner: str
    location: str
    capacity: int
    slot_minutes: int
    needs_approval: bool

    @staticmethod
    def resolve_owner(obj):
        return obj.owner_unit.name


class SlotOut(Schema):
    start: datetime.datetime
    free: int


class BookingIn(Schema):
    resource: str
    start: datetime.datetime
    end: datetime.datetime
    places: int = 1
    purpose: str = ""
    on_behalf_of: str | None = None


class BookingOut(Schema):
    id: int
    resource: str
    start: datetime.datetime
    end: datetime.datetime
    places: int
    status: str
    borrower: str

    @staticmethod
    def resolve_resource(obj):
        return obj.resource.code

    @staticmethod
    def resolve_borrower(obj):
        return obj.borrower_unit.name


class DecisionIn(Schema):
    action: str
    reason: str = ""


class ReciprocityOut(Schema):
    giver: str
    receiver: str
    hours: float
