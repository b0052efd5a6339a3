import datetime
from decimal import Decimal

from ninja import Field, Schema


class SummaryOut(Schema):
    balance: int
    available: int
    held: int
    earned: int


class HistoryOut(Schema):
    id: int
    amount: int
    kind: str
    memo: str
    at: datetime.datetime


class RuleOut(Schema):
    id: int
    code: str
    name: str
    category: str
    points: int
    per: str
    daily_limit: int | None
    weekly_limit: int | None
    monthly_limit: int | None
    claimable: bool
    needs_approval: bool
    version: int


class ItemOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    cost: int
    stock: int


class RedemptionOut(Schema):
    id: int
    item_id: int
    item: str = Field(alias="item.name")
    points: int
    state: str
    code: str
    created_at: datetime.datetime


class AwardOut(Schema):
    id: int
    person_id: int
    rule: str = Field(alias="rule.code")
    rule_version: int
    quantity: Decimal
    points: int
    source: str
    state: str
    note: str
    earned_on: datetime.date


class ActivityOut(Schema):
    id: int
    title: str
    unit_id: int
    rule_id: int
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    code: str


class ActivityIn(Schema):
    unit_id: int
    rule_id: int
    title: str
    place: str = ""
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class CodeIn(Schema):
    code: str


class CheckInOut(Schema):
    activity_id: int
    checked_in_at: datetime.datetime
    checked_out_at: datetime.datetime | None


class ClaimIn(Schema):
    rule_id: int
    quantity: Decimal = Decimal(1)
    note: str


class AwardIn(Schema):
    person_id: int
    rule_id: int
    quantity: Decimal = Decimal(1)
    note: str
    key: str | None = None


class DecideIn(Schema):
    approve: bool
    reason: str = ""
