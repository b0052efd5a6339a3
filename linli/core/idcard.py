"""Resident ID numbers (GB 11643-1999) and the text normalisation that roster files need."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalise(text):
    """Full-width digits and letters to ASCII (NFKC), stripped; ``None`` stays ``None``."""
    if text is None:
        return None
    text = str(text)
    # NFKC leaves ASCII unchanged; skipping it keeps 100,000-row imports fast.
    return text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def check_char(first17):
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse_id_number(raw, *, today=None):
    """Validate and normalise an ID number; returns ``(number, birth_date, gender)``.

    Raises ``ValidationError`` with a message a clerk can act on.
    """
    number = normalise(raw or "").upper().replace(" ", "")
    if not _SHAPE.match(number):
        raise ValidationError(
            _("身份证号应为18位：17位数字加1位校验码（数字或X）"), code="id_shape"
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号中的出生日期无效"), code="id_birth") from exc
    today = today or datetime.date.today()
    if birth > today or birth.year < 1890:
        raise ValidationError(_("身份证号中的出生日期无效"), code="id_birth")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验码不正确，请核对"), code="id_checksum")
    gender = "M" if int(number[16]) % 2 else "F"
    return number, birth, gender


def mask_id_number(number):
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if number else ""


def mask_phone(phone):
    if not phone:
        return ""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * len(phone)


_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def parse_phone(raw):
    """A mainland mobile (11 digits) or a landline with area code; blank stays blank."""
    phone = normalise(raw or "").replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not _PHONE.match(phone):
        raise ValidationError(_("手机号格式不正确"), code="phone")
    return phone
