"""Import jobs: the uploaded file, its preview report and its commit, run in the background."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.background import run_later
from linli.core.scoping import Actor, require_perm
from linli.org import roster
from linli.org.models import ImportJob, OrgUnit

MAX_BYTES = 50 * 1024 * 1024
# An upload waits this long for its commit; after that the file (clear ID numbers) is deleted.
UPLOAD_TTL = datetime.timedelta(hours=24)


def job_create(*, actor, upload):
    """Store an upload and queue its validation. ``upload`` is a Django UploadedFile."""
    require_perm(actor, "org.import_roster")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("文件过大（上限 50MB）"))
    if not upload.name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError(_("只支持 .xlsx 或 .csv 文件"))
    grants = actor.grants_with("org.import_roster")
    if grants:
        unit = OrgUnit.objects.get(pk=grants[0].unit_id)
    elif actor.is_superuser:
        unit = OrgUnit.objects.get_root_nodes().first()
    else:
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor.user, unit=unit, file=upload, filename=upload.name[:200]
        )
        from linli.org.tasks import roster_validate

        run_later(roster_validate, job.pk)
    return job


def _actor_of(job):
    return Actor(job.created_by)


def job_validate(job_id):
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    data = job.file.read()
    try:
        report = roster.validate(
            _actor_of(job), job.filename, data, progress=lambda n: roster.set_progress(job.pk, n)
        )
    except ValidationError as exc:
        job.status = ImportJob.Status.INVALID
        job.message = "；".join(exc.messages)[:500]
    else:
        job.total_rows = report.total
        job.error_count = report.errors
        job.warning_count = report.warnings
        job.problems = report.problems
        job.status = ImportJob.Status.READY if report.ok else ImportJob.Status.INVALID
    if job.status == ImportJob.Status.INVALID:
        _drop_file(job)
    job.save()
    return job


def job_request_commit(*, actor, job):
    if job.status != ImportJob.Status.READY:
        raise ValidationError(_("该文件尚未通过校验，不能导入"))
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
            status=ImportJob.Status.COMMITTING
        )
        if not updated:
            raise ValidationError(_("该文件正在导入或已导入"))
        from linli.org.tasks import roster_commit

        run_later(roster_commit, job.pk)


def job_commit(job_id):
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    data = job.file.read()
    try:
        report, counts = roster.commit(
            _actor_of(job), job.filename, data, progress=lambda n: roster.set_progress(job.pk, n)
        )
    except ValidationError as exc:
        job.status = ImportJob.Status.FAILED
        job.message = "；".join(exc.messages)[:500]
    else:
        if counts is None:
            job.status = ImportJob.Status.FAILED
            job.error_count = report.errors
            job.problems = report.problems
            job.message = _("文件有 %d 处错误，未导入任何数据") % report.errors
        else:
            job.status = ImportJob.Status.DONE
            job.created_households = counts["households"]
            job.created_people = counts["people"]
    job.finished_at = timezone.now()
    _drop_file(job)
    job.save()
    return job


def _drop_file(job):
    if job.file:
        job.file.delete(save=False)


def purge_stale_uploads(now=None):
    """Delete the files of uploads that were never committed; returns how many."""
    cutoff = (now or timezone.now()) - UPLOAD_TTL
    stale = (
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(file="")
        .exclude(status=ImportJob.Status.COMMITTING)
    )
    count = 0
    for job in stale:
        _drop_file(job)
        job.save(update_fields=["file"])
        count += 1
    return count
