"""Notifications: one service that other modules call, an in-app inbox, pluggable outbound channels.

``notify(users, title, ...)`` writes inbox rows in the caller's transaction; email and SMS leave
only after commit, so a rolled-back action never messages anybody.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from linli.core.idcard import mask_phone
from linli.core.models import Notification

log = logging.getLogger("linli.notify")

INBOX = "inbox"
EMAIL = "email"
SMS = "sms"


class LoggingSmsBackend:
    """Development SMS gateway: logs the message with the number masked."""

    sent: list = []

    def send(self, phone, text):
        self.sent.append((phone, text))
        log.info("SMS to %s: %s", mask_phone(phone), text)


def sms_backend():
    return import_string(settings.LINLI_SMS_BACKEND)()


def notify(users, title, body="", *, url="", kind="", channels=(INBOX,)):
    users = [u for u in users if u is not None]
    if INBOX in channels:
        Notification.objects.bulk_create(
            Notification(user=u, title=title, body=body, url=url, kind=kind) for u in users
        )
    if EMAIL in channels:
        recipients = [u.email for u in users if u.email]
        if recipients:
            transaction.on_commit(
                lambda: send_mail(
                    title, f"{body}\n{url}".strip(), None, recipients, fail_silently=True
                )
            )
    if SMS in channels:
        phones = [u.phone for u in users if getattr(u, "phone", "")]
        if phones:

            def _send():
                backend = sms_backend()
                for phone in phones:
                    backend.send(phone, f"【邻里】{title}")

            transaction.on_commit(_send)


def mark_read(actor, ids=None):
    qs = Notification.objects.visible_to(actor).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
