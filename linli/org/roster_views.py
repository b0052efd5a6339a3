from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.pages import paginate
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org import roster, roster_jobs
from linli.org.models import ImportJob


@staff_required
def roster_home(request):
    require_perm(request.actor, "org.import_roster")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要上传的文件"))
        else:
            try:
                job = roster_jobs.job_create(actor=request.actor, upload=upload)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                return redirect("console:org:roster-job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.actor).select_related("created_by")
    return render(request, "org/roster.html", {"page": paginate(request, jobs)})


@staff_required
def template(request):
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    roster.template_workbook().save(response)
    return response


@staff_required
def job_detail(request, pk):
    job = get_visible_or_404(ImportJob, request.actor, pk=pk)
    busy = job.status in (ImportJob.Status.VALIDATING, ImportJob.Status.COMMITTING)
    context = {
        "job": job,
        "busy": busy,
        "done_rows": roster.get_progress(job.pk),
        "problems": job.problems,
        "shown": len(job.problems),
    }
    if request.htmx:
        return render(request, "org/_roster_status.html", context)
    return render(request, "org/roster_job.html", context)


@staff_required
@require_POST
def job_commit(request, pk):
    job = get_visible_or_404(ImportJob, request.actor, pk=pk)
    try:
        roster_jobs.job_request_commit(actor=request.actor, job=job)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("console:org:roster-job", pk=job.pk)
