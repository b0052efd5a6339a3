"""Roster import: households and residents from .xlsx or .csv.

Two passes over the file. ``validate`` reads every row and reports every problem (nothing is
written); ``commit`` re-validates inside one transaction and writes everything with bulk inserts,
or nothing. Rows are identified by their line number in the file as the user sees it.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from python_calamine import CalamineError, CalamineWorkbook

from linli.core import audit, pii
from linli.core.bulk import bulk_insert, no_gc
from linli.core.idcard import mask_id_number, normalise, parse_id_number, parse_phone
from linli.org.choices import Relation
from linli.org.models import Building, Household, HouseholdMember, Person, Stairwell, Tag
from linli.org.services import parse_area

COLUMNS = [
    ("estate", "小区"),
    ("building", "楼栋"),
    ("stairwell", "单元"),
    ("room", "房号"),
    ("area", "面积(㎡)"),
    ("certificate_no", "产权证号"),
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("phone", "手机号"),
    ("relation", "与户关系"),
    ("tags", "标签"),
]
_LABELS = dict(COLUMNS)
REQUIRED = ("estate", "building", "room", "name", "relation")
_HEADER_ALIASES = (
    {label: key for key, label in COLUMNS}
    | {key: key for key, _l in COLUMNS}
    | {
        "面积": "area",
        "面积㎡": "area",
        "面积(m2)": "area",
        "关系": "relation",
        "电话": "phone",
    }
)
_RELATIONS = (
    {str(label): value for value, label in Relation.choices}
    | {v: v for v in Relation.values}
    | {
        "户主": Relation.OWNER,
        "产权人": Relation.OWNER,
        "家属": Relation.FAMILY,
        "租客": Relation.TENANT,
    }
)
_TAG_SPLIT = re.compile(r"[、,，;；/\s]+")
MAX_STORED_PROBLEMS = 2000
CHUNK = 2000


@dataclass
class Row:
    line: int
    values: dict
    household_key: tuple = ()
    id_number: str = ""
    id_index: str = ""
    birth_date: object = None
    gender: str = "U"
    phone: str = ""
    area: object = None
    relation: str = ""
    tag_ids: list = field(default_factory=list)


@dataclass
class Report:
    total: int = 0
    errors: int = 0
    warnings: int = 0
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    def add(self, line, column, message, level="error"):
        if level == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.problems) < MAX_STORED_PROBLEMS:
            self.problems.append(
                {
                    "line": line,
                    "column": _LABELS.get(column, column),
                    "message": str(message),
                    "level": level,
                }
            )

    @property
    def ok(self):
        return self.errors == 0 and self.total > 0


def template_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append([label for _key, label in COLUMNS])
    sheet.append(
        [
            "幸福里小区",
            "1栋",
            "1单元",
            "101",
            "89.5",
            "",
            "张三",
            "110101199003078515",
            "13800138000",
            "业主",
            "党员、志愿者",
        ]
    )
    for column in "ABCDEFGHIJK":
        sheet.column_dimensions[column].width = 14
    help_sheet = workbook.create_sheet("说明")
    for line in (
        "每行一位居民；同一房屋的多位居民各占一行，房屋信息重复填写即可。",
        "小区、楼栋须已在系统中登记；单元可留空；房屋不存在时自动新建。",
        "与户关系：业主、共有人、家庭成员、租户。",
        "标签用顿号分隔，须为系统中已有的标签，如：独居老人、残疾人、党员、志愿者。",
        "身份证号须为18位且校验码正确；全角数字会自动转换。",
    ):
        help_sheet.append([line])
    return workbook


def read_rows(name, data: bytes):
    """Yield ``(line, {column: value})`` from an .xlsx or .csv file (UTF-8 or GB18030)."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        # calamine (Rust) reads large sheets ~20x faster than openpyxl's read-only mode.
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            rows = workbook.get_sheet_by_index(0).iter_rows()
        except CalamineError as exc:
            raise ValidationError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式")) from exc
    elif lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV"))
        rows = csv.reader(io.StringIO(text))
    else:
        raise ValidationError(_("只支持 .xlsx 或 .csv 文件"))
    header = next(rows, None)
    if not header:
        raise ValidationError(_("文件是空的"))
    keys = [_HEADER_ALIASES.get(normalise(h or "").replace(" ", "")) for h in header]
    missing = [label for key, label in COLUMNS if key in REQUIRED and key not in keys]
    if missing:
        raise ValidationError(_("缺少必填列：%s") % "、".join(missing))
    for offset, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        yield offset, {k: v for k, v in zip(keys, values, strict=False) if k}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


class Validator:
    """Checks rows against the register and against each other, in chunks."""

    def __init__(self, actor):
        self.actor = actor
        buildings = Building.objects.visible_to(actor, "org.import_roster").select_related("estate")
        self.buildings = {}
        for b in buildings:
            for estate_key in (b.estate.name, b.estate.code):
                self.buildings[(estate_key, b.name)] = b
        self.estates = {k[0] for k in self.buildings}
        self.tags = {t.name: t.pk for t in Tag.objects.all()} | {
            t.code: t.pk for t in Tag.objects.all()
        }
        self.seen_ids = {}
        self.seen_names = {}

    def check(self, line, raw, report):
        values = {}
        for key, _label in COLUMNS:
            text = _text(raw.get(key)).strip()
            clean = normalise(text)
            if clean != text:
                report.add(line, key, _("已将全角字符转换为半角：%s") % clean, "warning")
            values[key] = clean
        row = Row(line, values)
        for key in REQUIRED:
            if not values[key]:
                report.add(line, key, _("必填"))
        building = None
        if values["estate"] and values["building"]:
            if values["estate"] not in self.estates:
                report.add(line, "estate", _("未知小区或不在您的管辖范围：%s") % values["estate"])
            else:
                building = self.buildings.get((values["estate"], values["building"]))
                if building is None:
                    report.add(line, "building", _("未知楼栋：%s") % values["building"])
        if building is not None and values["room"]:
            row.household_key = (building.pk, values["stairwell"], values["room"])
            if not values["id_number"] and values["name"]:
                first = self.seen_names.setdefault((row.household_key, values["name"]), line)
                if first != line:
                    report.add(line, "name", _("与第%d行是同一房屋的同名居民") % first)
        try:
            row.area = parse_area(values["area"])
        except ValidationError as exc:
            report.add(line, "area", exc.messages[0])
        if values["id_number"]:
            try:
                number, row.birth_date, row.gender = parse_id_number(values["id_number"])
            except ValidationError as exc:
                report.add(line, "id_number", exc.messages[0])
            else:
                row.id_number = number
                row.id_index = pii.blind_index(number)
                first = self.seen_ids.setdefault(row.id_index, line)
                if first != line:
                    report.add(line, "id_number", _("与第%d行身份证号重复") % first)
        try:
            row.phone = parse_phone(values["phone"])
        except ValidationError as exc:
            report.add(line, "phone", exc.messages[0])
        if values["relation"]:
            row.relation = _RELATIONS.get(values["relation"], "")
            if not row.relation:
                report.add(line, "relation", _("与户关系应为：业主、共有人、家庭成员、租户"))
        for tag in filter(None, _TAG_SPLIT.split(values["tags"])):
            if tag in self.tags:
                row.tag_ids.append(self.tags[tag])
            else:
                report.add(line, "tags", _("未知标签：%s") % tag)
        return row

    def check_registered(self, rows, report):
        """Rows whose ID number is already in the register, one query per chunk."""
        by_index = {r.id_index: r for r in rows if r.id_index}
        if not by_index:
            return
        taken = Person.objects.filter(id_index__in=list(by_index)).values_list(
            "id_index", flat=True
        )
        for index in taken:
            report.add(by_index[index].line, "id_number", _("该身份证号已登记"))


def validate(actor, name, data, *, progress=None):
    with no_gc():
        return _validate(actor, name, data, progress)


def _validate(actor, name, data, progress):
    report = Report()
    validator = Validator(actor)
    chunk = []
    for line, raw in read_rows(name, data):
        chunk.append(validator.check(line, raw, report))
        if len(chunk) >= CHUNK:
            validator.check_registered(chunk, report)
            report.rows.extend(chunk)
            chunk = []
            if progress:
                progress(len(report.rows))
    validator.check_registered(chunk, report)
    report.rows.extend(chunk)
    report.total = len(report.rows)
    if report.total == 0:
        report.add(0, "", _("文件中没有数据行"))
    return report


def commit(actor, name, data, *, progress=None):
    """Validate and, if there is no error, write every row in one transaction.

    Returns ``(report, counts)``; ``counts`` is None when the report has errors and nothing was
    written. Raises ValidationError for an unreadable file or a conflicting concurrent change.
    """
    with transaction.atomic(), no_gc():
        report = validate(actor, name, data, progress=progress)
        if not report.ok:
            return report, None
        try:
            with transaction.atomic():
                counts = _write(actor, report.rows)
        except IntegrityError as exc:
            raise ValidationError(
                _("导入时数据已被他人修改（如身份证号刚被登记），请重新上传")
            ) from exc
        audit.record(actor, "org.roster_import", None, filename=name, rows=report.total, **counts)
    return report, counts


def _write(actor, rows):
    building_ids = {r.household_key[0] for r in rows}
    stairwells = {
        (s.building_id, s.name): s.pk
        for s in Stairwell.objects.filter(building_id__in=building_ids)
    }
    missing = {(r.household_key[0], r.household_key[1]) for r in rows if r.household_key[1]}
    missing -= set(stairwells)
    missing = sorted(missing)
    new_ids = bulk_insert(Stairwell, [{"building_id": b, "name": n} for b, n in missing])
    stairwells.update(zip(missing, new_ids, strict=True))

    households = {
        (h.building_id, h.stairwell_id, h.room): h.pk
        for h in Household.objects.filter(building_id__in=building_ids)
    }
    new_households = {}
    for r in rows:
        b, s, room = r.household_key
        key = (b, stairwells.get((b, s)) if s else None, room)
        r.household_key = key
        if key not in households and key not in new_households:
            new_households[key] = {
                "building_id": b,
                "stairwell_id": key[1],
                "room": room,
                "area": r.area,
                "certificate_no": r.values["certificate_no"],
            }
    new_ids = bulk_insert(Household, new_households.values())
    households.update(zip(new_households, new_ids, strict=True))

    person_ids = bulk_insert(
        Person,
        (
            {
                "name": r.values["name"],
                "gender": r.gender,
                "birth_date": r.birth_date,
                "id_cipher": pii.encrypt(r.id_number) if r.id_number else "",
                "id_index": r.id_index,
                "id_masked": mask_id_number(r.id_number),
                "phone": r.phone,
                "household_id": households[r.household_key],
            }
            for r in rows
        ),
    )
    today = timezone.localdate()
    user_id = actor.user_id
    bulk_insert(
        HouseholdMember,
        (
            {
                "household_id": households[r.household_key],
                "person_id": pid,
                "relation": r.relation,
                "since": today,
                "recorded_by_id": user_id,
            }
            for pid, r in zip(person_ids, rows, strict=True)
        ),
    )
    bulk_insert(
        Person.tags.through,
        (
            {"person_id": pid, "tag_id": t}
            for pid, r in zip(person_ids, rows, strict=True)
            for t in r.tag_ids
        ),
    )
    return {"households": len(new_households), "people": len(person_ids)}


def progress_key(job_id):
    return f"linli:roster:{job_id}:progress"


def set_progress(job_id, done):
    cache.set(progress_key(job_id), done, timeout=3600)


def get_progress(job_id):
    return cache.get(progress_key(job_id), 0)
