import datetime
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from linli.core.jobs import EmbeddedScheduler, discover
from linli.org.models import ImportJob


def _stale_job(world):
    job = ImportJob.objects.create(
        created_by=world.users["community_a"],
        unit=world.units["cA"],
        filename="old.csv",
        status=ImportJob.Status.READY,
    )
    job.file.save("old.csv", ContentFile(b"x"))
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    return job


def test_registry_collects_periodic_jobs():
    jobs = discover()
    assert "linli.org.tasks.purge_roster_uploads" in jobs
    assert jobs["linli.org.tasks.purge_roster_uploads"].every == datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_embedded_scheduler_runs_due_jobs_once_per_interval(world):
    job = _stale_job(world)
    path = job.file.path
    scheduler = EmbeddedScheduler()
    scheduler.run_due(now=1000.0)
    assert not os.path.exists(path)
    job.refresh_from_db()
    assert not job.file
    assert scheduler.next_run["linli.org.tasks.purge_roster_uploads"] == 1000.0 + 3600
    fresh = _stale_job(world)
    scheduler.run_due(now=1001.0)  # not due again yet
    assert os.path.exists(fresh.file.path)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_job_through_redis(world, settings):
    """A periodic job sent through a Redis broker to a real Celery worker."""
    from celery.contrib.testing.worker import start_worker

    from linli.celery import app
    from linli.org.tasks import purge_roster_uploads

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    job = _stale_job(world)
    keys = ("broker_url", "task_always_eager")
    old = {k: app.conf[k] for k in keys}
    app.conf.update(broker_url=url, task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            purge_roster_uploads.delay()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if not job.file:
                    break
                time.sleep(0.1)
    finally:
        app.conf.update(old)
    assert not job.file
