import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from linli.core.idcard import check_char, mask_id_number, mask_phone, parse_id_number, parse_phone

# A published GB 11643 example: 11010519491231002X.
VALID = "11010519491231002X"


def test_known_number_parses():
    number, birth, gender = parse_id_number(VALID)
    assert number == VALID
    assert birth == datetime.date(1949, 12, 31)
    assert gender == "F"


def test_full_width_and_lower_case_are_normalised():
    full_width = "１１０１０５１９４９１２３１００２ｘ"
    assert parse_id_number(full_width)[0] == VALID


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491331002X", "id_birth"),
        ("1101051949123100", "id_shape"),
        ("", "id_shape"),
    ],
)
def test_bad_numbers_rejected_with_reason(raw, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw)
    assert exc.value.code == code


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_any_generated_number_round_trips(birth, seq):
    first17 = f"320102{birth:%Y%m%d}{seq:03d}"
    number = first17 + check_char(first17)
    assert parse_id_number(number)[1] == birth
    wrong = first17 + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        parse_id_number(wrong)


def test_masks():
    assert mask_id_number(VALID) == "1101**********002X"
    assert mask_phone("13800138000") == "138****8000"


def test_phone_parsing():
    assert parse_phone("+86 138 0013 8000") == "13800138000"
    assert parse_phone("022-23456789") == "022-23456789"
    with pytest.raises(ValidationError):
        parse_phone("12345")
