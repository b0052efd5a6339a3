import datetime

from linli.grid.calendar import Calendar, default_table
from linli.grid.choices import LimitUnit

TZ = datetime.timezone(datetime.timedelta(hours=8))
CAL = Calendar({day: kind for day, kind, _name in default_table()})


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def test_three_working_days_skip_the_mid_autumn_holiday():
    # Thursday 24 Sep 2026; 25–27 Sep are holidays.
    due = CAL.deadline(at(2026, 9, 24, 10), 3, LimitUnit.WORKING_DAYS)
    assert due == at(2026, 9, 30, 10)


def test_a_make_up_saturday_counts_as_a_working_day():
    # Friday 9 Oct 2026; Saturday 10 Oct is a make-up workday.
    assert CAL.deadline(at(2026, 10, 9, 15), 1, LimitUnit.WORKING_DAYS) == at(2026, 10, 10, 15)
    # Without the table that Saturday would not count.
    plain = Calendar({})
    assert plain.deadline(at(2026, 10, 9, 15), 1, LimitUnit.WORKING_DAYS) == at(2026, 10, 12, 15)


def test_working_hours_run_across_lunch_nights_and_into_a_make_up_sunday():
    # Friday 18 Sep 17:00: half an hour left; Sunday 20 Sep is a make-up workday.
    assert CAL.add_working_hours(at(2026, 9, 18, 17), 2) == at(2026, 9, 20, 10, 30)
    assert CAL.add_working_hours(at(2026, 9, 21, 11), 2) == at(2026, 9, 21, 14, 30)


def test_the_spring_festival_week_is_closed():
    start = at(2026, 2, 13, 10)  # Friday before the holiday
    assert CAL.deadline(start, 1, LimitUnit.WORKING_DAYS) == at(2026, 2, 14, 10)  # make-up Sat
    assert CAL.deadline(start, 2, LimitUnit.WORKING_DAYS) == at(2026, 2, 24, 10)


def test_calendar_hours_and_days_ignore_the_table():
    start = at(2026, 10, 1, 8)
    assert CAL.deadline(start, 2, LimitUnit.HOURS) == at(2026, 10, 1, 10)
    assert CAL.deadline(start, 7, LimitUnit.DAYS) == at(2026, 10, 8, 8)
