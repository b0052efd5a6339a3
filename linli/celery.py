"""Celery application. Without REDIS_URL, tasks run eagerly in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_periodic_jobs(sender, **kwargs):
    from linli.core.jobs import install_beat_schedule

    install_beat_schedule(sender)
