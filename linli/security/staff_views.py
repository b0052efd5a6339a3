"""Console forms for community staff: register and edit devices, re-key them, issue and revoke
access credentials. Thin: forms parse, services decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org import selectors as org_selectors
from linli.org.models import Person

from . import services
from .forms import CredentialForm, DeviceEditForm, DeviceRegisterForm, PersonSearchForm
from .models import Credential, Device

# The session holds only which device may show its secret on the next device page, never the
# secret itself; the page pops it, so a reload or a later visit shows no secret.
SECRET_ONCE_KEY = "security_secret_once"


def _form_errors(form, exc):
    """A service's refusal as form errors: by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _show_secret_once(request, device):
    request.session[SECRET_ONCE_KEY] = device.pk


@staff_required
def device_new(request):
    require_perm(request.actor, "security.manage_device")
    actor = request.actor
    refresh = request.method == "POST" and "refresh" in request.POST
    if request.method == "POST" and not refresh:
        form = DeviceRegisterForm(request.POST, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                device = services.device_register(
                    actor=actor,
                    community=data["community"],
                    profile=data["profile"],
                    code=data["code"],
                    name=data["name"],
                    estate=data["estate"],
                    building=data["building"],
                    household=data["household"],
                    place=data["place"],
                    watched_person=data.get("watched_person"),
                    inactivity_s=data["inactivity_s"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            except IntegrityError:
                # Two people registering the same code at the same moment.
                form.add_error("code", _("设备编号已存在"))
            else:
                _show_secret_once(request, device)
                messages.success(request, _("设备已登记"))
                return redirect("console:security:device", pk=device.pk)
        form.narrow()
    else:
        # The first visit, or a change of community/building that narrows the lists.
        source = request.POST if refresh else request.GET
        form = DeviceRegisterForm(
            initial={k: v for k, v in source.items() if k != "csrfmiddlewaretoken"},
            actor=actor,
        )
    template = "security/_device_form.html" if request.htmx else "security/device_new.html"
    return render(request, template, {"form": form})


@staff_required
@never_cache
def device_detail(request, pk):
    device = get_visible_or_404(
        Device.objects.select_related(
            "profile", "community", "estate", "building", "household", "watched_person"
        ),
        request.actor,
        pk=pk,
    )
    can_manage = request.actor.can("security.manage_device", device)
    secret = None
    if request.session.pop(SECRET_ONCE_KEY, None) == device.pk and can_manage:
        secret = device.secret
    rules = [
        (event_type, device.rule_for(event_type), event_type in device.rules)
        for event_type in sorted(device.profile.rules)
    ]
    return render(
        request,
        "security/device_detail.html",
        {
            "device": device,
            "secret": secret,
            "topic": f"linli/{device.community.code}/{device.code}/event",
            "can_manage": can_manage,
            "rules": rules,
        },
    )


@staff_required
def device_edit(request, pk):
    device = get_visible_or_404(
        Device.objects.select_related("profile", "community"),
        request.actor,
        "security.manage_device",
        pk=pk,
    )
    form = DeviceEditForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_update(
                actor=request.actor,
                device=device,
                name=form.cleaned_data["name"],
                place=form.cleaned_data["place"],
                inactivity_s=form.cleaned_data["inactivity_s"],
                rules=form.rules(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("console:security:device", pk=device.pk)
    return render(request, "security/device_edit.html", {"device": device, "form": form})


@staff_required
@require_POST
def device_rotate(request, pk):
    device = get_visible_or_404(Device, request.actor, "security.manage_device", pk=pk)
    services.device_rotate_secret(actor=request.actor, device=device)
    _show_secret_once(request, device)
    messages.success(request, _("已更换密钥，请立即写入设备；旧密钥即将失效"))
    return redirect("console:security:device", pk=device.pk)


def _credential_people(actor, query):
    """Residents matching a name, phone or ID number, among those whose credentials the actor
    may manage."""
    manageable = Person.objects.visible_to(actor, "security.manage_credential").values("pk")
    return org_selectors.people(actor, query=query).filter(pk__in=manageable)


@staff_required
def credentials(request):
    require_perm(request.actor, "security.manage_credential")
    actor = request.actor
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    people = list(_credential_people(actor, query)[:20]) if query else []
    person_pk = request.POST.get("person") or request.GET.get("person")
    person = None
    form = None
    rows = []
    if person_pk:
        person = get_visible_or_404(
            Person.objects.select_related("household__building__estate__community"),
            actor,
            "security.manage_credential",
            pk=person_pk,
        )
        minor = services.is_minor(person, timezone.localdate())
        form = CredentialForm(
            request.POST if request.method == "POST" else None,
            actor=actor,
            person=person,
            minor=minor,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.credential_issue(
                    actor=actor,
                    person=person,
                    kind=data["kind"],
                    reference=data["reference"],
                    pin=data["pin"],
                    consent=data["consent"],
                    guardian_name=data.get("guardian_name", ""),
                    devices=list(data["devices"]),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记"))
                return redirect(f"{reverse('console:security:credentials')}?person={person.pk}")
        rows = (
            Credential.objects.visible_to(actor, "security.manage_credential")
            .filter(person=person)
            .prefetch_related("devices")
            .order_by("revoked_at", "kind", "id")
        )
    return render(
        request,
        "security/credentials.html",
        {
            "search": search,
            "query": query,
            "people": people,
            "person": person,
            "form": form,
            "rows": rows,
        },
    )


@staff_required
@require_POST
def credential_revoke(request, pk):
    credential = get_visible_or_404(Credential, request.actor, "security.manage_credential", pk=pk)
    services.credential_revoke(actor=request.actor, credential=credential)
    messages.success(request, _("已撤销，门禁设备上的登记已删除"))
    return redirect(f"{reverse('console:security:credentials')}?person={credential.person_id}")
