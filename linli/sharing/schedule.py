"""Opening hours and slots: pure functions over a resource's weekly hours and exceptions."""

import datetime

from django.utils import timezone


def local(dt):
    return timezone.localtime(dt)


def opening_intervals(resource, day):
    """The (opens, closes) times on ``day``: an exception replaces the weekly hours."""
    exception = next((e for e in resource.exceptions.all() if e.date == day), None)
    if exception is not None:
        if exception.closed or not (exception.opens and exception.closes):
            return []
        return [(exception.opens, exception.closes)]
    return [(h.opens, h.closes) for h in resource.hours.all() if h.weekday == day.weekday()]


def aligned(resource, dt):
    dt = local(dt)
    minutes = dt.hour * 60 + dt.minute
    return dt.second == 0 and dt.microsecond == 0 and minutes % resource.slot_minutes == 0


def within_hours(resource, start, end):
    start, end = local(start), local(end)
    if start.date() != end.date() and end.time() != datetime.time(0):
        return False
    return any(
        opens <= start.time() and (end.time() <= closes)
        for opens, closes in opening_intervals(resource, start.date())
    )


def slots_between(resource, start, end):
    step = datetime.timedelta(minutes=resource.slot_minutes)
    slots, at = [], start
    while at < end:
        slots.append(at)
        at += step
    return slots


def day_slots(resource, day):
    """Every slot start on ``day`` inside the opening hours, as aware datetimes."""
    tz = timezone.get_current_timezone()
    step = datetime.timedelta(minutes=resource.slot_minutes)
    slots = []
    for opens, closes in opening_intervals(resource, day):
        at = datetime.datetime.combine(day, opens, tzinfo=tz)
        last = datetime.datetime.combine(day, closes, tzinfo=tz)
        while at + step <= last:
            slots.append(at)
            at += step
    return sorted(slots)
