"""The one registry of periodic jobs.

Apps declare a periodic job on a Celery task in their ``tasks.py``::

    @periodic(minutes=5)
    @shared_task
    def flag_overdue_events(): ...

With Redis, ``linli serve`` runs Celery beat, whose schedule is built from this registry.
Without Redis, :class:`EmbeddedScheduler` runs the same tasks in a thread of the web process.
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.utils.module_loading import autodiscover_modules

log = logging.getLogger("linli.jobs")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object
    every: timedelta


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(*, seconds=0, minutes=0, hours=0, name=None):
    every = timedelta(seconds=seconds, minutes=minutes, hours=hours)
    if every.total_seconds() <= 0:
        raise ValueError("a periodic job needs a positive interval")

    def decorator(task):
        job_name = name or task.name
        REGISTRY[job_name] = PeriodicJob(job_name, task, every)
        return task

    return decorator


def discover():
    autodiscover_modules("tasks")
    return REGISTRY


def install_beat_schedule(celery_app):
    for job in discover().values():
        celery_app.conf.beat_schedule[job.name] = {
            "task": job.task.name,
            "schedule": job.every.total_seconds(),
        }


class EmbeddedScheduler(threading.Thread):
    """Runs due periodic jobs in-process; for the embedded (no Redis) deployment."""

    def __init__(self, tick=5.0):
        super().__init__(name="linli-jobs", daemon=True)
        self.tick = tick
        self.stop_event = threading.Event()
        self.next_run = {}

    def run_due(self, now):
        for job in discover().values():
            due = self.next_run.get(job.name, now)
            if now < due:
                continue
            self.next_run[job.name] = now + job.every.total_seconds()
            try:
                job.task.apply(throw=True)
            except Exception:
                log.exception("periodic job %s failed", job.name)

    def run(self):
        from django.db import close_old_connections

        while not self.stop_event.is_set():
            close_old_connections()
            self.run_due(time.monotonic())
            close_old_connections()
            self.stop_event.wait(self.tick)
