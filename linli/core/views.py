import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.services import preferences_update
from linli.core import notify, selectors
from linli.core.middleware import FOCUS_SESSION_KEY
from linli.core.pages import paginate, wants_export, xlsx_response
from linli.core.scoping import get_visible_or_404, require_perm


def staff_required(view):
    """Console pages: logged in and holding at least one staff role."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.actor.is_staff_user:
            return redirect("m:home")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def home(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    return redirect("console:home" if request.actor.is_staff_user else "m:home")


@staff_required
def console_home(request):
    from linli.org.selectors import dashboard_figures

    return render(
        request,
        "core/console_home.html",
        {
            "figures": dashboard_figures(request.actor),
            "latest": selectors.notifications_for(request.actor)[:5],
        },
    )


@login_required
def resident_home(request):
    from linli.org.selectors import resident_overview

    return render(
        request,
        "core/resident_home.html",
        {
            "overview": resident_overview(request.actor),
            "latest": selectors.notifications_for(request.actor)[:3],
        },
    )


@login_required
def notifications(request, template):
    page = paginate(request, selectors.notifications_for(request.actor))
    return render(request, template, {"page": page})


@login_required
@require_POST
def notifications_read(request):
    ids = request.POST.getlist("id") or None
    notify.mark_read(request.actor, ids)
    return redirect(request.POST.get("next") or "home")


@login_required
def notification_open(request, pk):
    note = get_visible_or_404(selectors.notifications_for(request.actor), request.actor, pk=pk)
    notify.mark_read(request.actor, [note.pk])
    target = note.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("home")


@staff_required
def audit_log(request):
    require_perm(request.actor, "core.view_audit")
    qs = selectors.audit_entries(
        request.actor, action=request.GET.get("action") or None, query=request.GET.get("q") or None
    )
    if wants_export(request):
        headers = [_("时间"), _("操作人"), _("动作"), _("对象"), _("单位"), _("详情"), _("地址")]
        rows = (
            (
                timezone.localtime(e.at).replace(tzinfo=None),
                e.actor_name,
                e.action,
                e.target_repr,
                str(e.unit or ""),
                str(e.data),
                e.ip,
            )
            for e in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("audit", headers, rows)
    return render(request, "core/audit_log.html", {"page": paginate(request, qs)})


@staff_required
@require_POST
def focus(request):
    """Narrow the console to one unit of the actor's scope (or clear the focus)."""
    unit_id = request.POST.get("unit")
    if unit_id:
        from linli.org.models import OrgUnit

        unit = get_visible_or_404(OrgUnit, request.actor, pk=unit_id)
        request.session[FOCUS_SESSION_KEY] = unit.pk
    else:
        request.session.pop(FOCUS_SESSION_KEY, None)
    return redirect(request.POST.get("next") or "console:home")


@login_required
def settings_page(request):
    if request.method == "POST":
        preferences_update(actor=request.actor, large_text=request.POST.get("large_text") == "on")
        messages.success(request, _("已保存"))
        return redirect("m:core:settings")
    return render(request, "core/resident_settings.html")


@login_required
def media(request, path):
    """Uploaded files, for logged-in users only; names carry random tokens."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    if path.startswith("private/"):
        raise PermissionDenied
    content_type, _encoding = mimetypes.guess_type(target.name)
    return FileResponse(target.open("rb"), content_type=content_type)
