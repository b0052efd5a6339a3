from celery import shared_task

from linli.core.jobs import periodic
from linli.org import roster_jobs


@shared_task
def roster_validate(job_id):
    roster_jobs.job_validate(job_id)


@shared_task
def roster_commit(job_id):
    roster_jobs.job_commit(job_id)


@periodic(hours=1)
@shared_task
def purge_roster_uploads():
    """Uploaded rosters hold ID numbers in clear: keep them no longer than the import needs."""
    return roster_jobs.purge_stale_uploads()
