"""iCalendar (RFC 5545) feeds: a resident's bookings and a resource's busy times."""

import datetime

from django.core import signing
from django.http import HttpResponse
from django.utils import timezone

SALT = "linli.sharing.ical"


def feed_token(user):
    return signing.Signer(salt=SALT).sign(str(user.pk))


def user_from_token(token):
    return int(signing.Signer(salt=SALT).unsign(token))


def _escape(text):
    return (
        str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def _stamp(dt):
    return dt.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_response(name, events, host):
    """``events``: (uid, start, end, summary, location) tuples."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Linli//sharing//ZH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    now = _stamp(timezone.now())
    for uid, start, end, summary, location in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(start)}",
            f"DTEND:{_stamp(end)}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(location)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
