"""iCalendar feeds (RFC 5545, via the icalendar library): a resident's bookings and a
resource's busy times. Feed URLs carry a signed token, since calendar apps cannot log in."""

import icalendar
from django.core import signing
from django.utils import timezone

SALT = "linli.sharing.ical"


def feed_token(user_id):
    return signing.dumps(user_id, salt=SALT)


def user_from_token(token):
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def calendar(name, events):
    """``events``: iterable of (uid, start, end, summary, location); returns bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Linli//Sharing//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    now = timezone.now()
    for uid, start, end, summary, location in events:
        event = icalendar.Event()
        event.add("uid", f"{uid}@linli")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        event.add("location", location)
        cal.add_component(event)
    return cal.to_ical()
