"""Working-day arithmetic on China's holiday table (放假 and 调休上班 days kept as data).

Working hours are 09:00–12:00 and 13:30–17:30 (7 h a day), Asia/Shanghai.
"""

import datetime

from django.utils import timezone

from linli.grid.choices import DayKind, LimitUnit

MORNING = (datetime.time(9, 0), datetime.time(12, 0))
AFTERNOON = (datetime.time(13, 30), datetime.time(17, 30))
PERIODS = (MORNING, AFTERNOON)


class Calendar:
    def __init__(self, table):
        """``table``: {date: DayKind}."""
        self.table = table

    @classmethod
    def load(cls):
        from linli.grid.models import Holiday

        return cls(dict(Holiday.objects.values_list("day", "kind")))

    def is_workday(self, day):
        kind = self.table.get(day)
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        return day.weekday() < 5

    def next_workday(self, day):
        while not self.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, start, days):
        """The same clock time ``days`` working days later; a start outside a working day
        counts from the next working day's opening."""
        local = timezone.localtime(start)
        day = local.date()
        if not self.is_workday(day):
            day = self.next_workday(day)
            local = datetime.datetime.combine(day, MORNING[0], tzinfo=local.tzinfo)
        for _n in range(days):
            day = self.next_workday(day + datetime.timedelta(days=1))
        return datetime.datetime.combine(day, local.timetz())

    def add_working_hours(self, start, hours):
        """Move through working periods until ``hours`` of working time have passed."""
        remaining = datetime.timedelta(hours=hours)
        local = timezone.localtime(start)
        tz = local.tzinfo
        day = local.date()
        while True:
            if self.is_workday(day):
                for begin, end in PERIODS:
                    period_start = datetime.datetime.combine(day, begin, tzinfo=tz)
                    period_end = datetime.datetime.combine(day, end, tzinfo=tz)
                    cursor = max(local, period_start)
                    if cursor >= period_end:
                        continue
                    room = period_end - cursor
                    if remaining <= room:
                        return cursor + remaining
                    remaining -= room
            day += datetime.timedelta(days=1)
            local = datetime.datetime.combine(day, datetime.time(0), tzinfo=tz)

    def deadline(self, start, amount, unit):
        if unit == LimitUnit.HOURS:
            return start + datetime.timedelta(hours=amount)
        if unit == LimitUnit.DAYS:
            return start + datetime.timedelta(days=amount)
        if unit == LimitUnit.WORKING_HOURS:
            return self.add_working_hours(start, amount)
        return self.add_working_days(start, amount)


# 2026: the schedule the State Council's General Office published in November 2025 (check it
# against the notice when deploying). 2027 is provisional: the statutory days only, until the
# official schedule with its make-up workdays is published; admins complete it on the
# holidays page.
HOLIDAYS = {
    2026: [
        ("2026-01-01", "2026-01-03", "元旦"),
        ("2026-02-15", "2026-02-23", "春节"),
        ("2026-04-04", "2026-04-06", "清明节"),
        ("2026-05-01", "2026-05-05", "劳动节"),
        ("2026-06-19", "2026-06-21", "端午节"),
        ("2026-09-25", "2026-09-27", "中秋节"),
        ("2026-10-01", "2026-10-07", "国庆节"),
    ],
    2027: [
        ("2027-01-01", "2027-01-01", "元旦"),
        ("2027-02-05", "2027-02-08", "春节"),
        ("2027-04-05", "2027-04-05", "清明节"),
        ("2027-05-01", "2027-05-02", "劳动节"),
        ("2027-06-09", "2027-06-09", "端午节"),
        ("2027-09-15", "2027-09-15", "中秋节"),
        ("2027-10-01", "2027-10-03", "国庆节"),
    ],
}
MAKEUP_WORKDAYS = {
    2026: [
        ("2026-01-04", "元旦调休"),
        ("2026-02-14", "春节调休"),
        ("2026-02-28", "春节调休"),
        ("2026-05-09", "劳动节调休"),
        ("2026-09-20", "国庆节调休"),
        ("2026-10-10", "国庆节调休"),
    ],
    2027: [],
}


def default_table():
    """[(date, kind, name)] for the built-in years."""
    rows = []
    for spans in HOLIDAYS.values():
        for first, last, name in spans:
            day = datetime.date.fromisoformat(first)
            while day <= datetime.date.fromisoformat(last):
                rows.append((day, DayKind.HOLIDAY, name))
                day += datetime.timedelta(days=1)
    for days in MAKEUP_WORKDAYS.values():
        rows.extend((datetime.date.fromisoformat(d), DayKind.WORKDAY, n) for d, n in days)
    return rows
