from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts import selectors, services
from linli.accounts.forms import GrantForm, LoginForm, UserCreateForm
from linli.accounts.models import RoleGrant
from linli.core.pages import paginate
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@staff_required
def users(request):
    require_perm(request.actor, "accounts.view_user")
    qs = selectors.users_visible(
        request.actor, query=request.GET.get("q") or None, role=request.GET.get("role") or None
    )
    form = UserCreateForm()
    if request.method == "POST":
        require_perm(request.actor, "accounts.manage_grants")
        form = UserCreateForm(request.POST)
        if form.is_valid():
            try:
                user = services.user_create(actor=request.actor, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("账号已创建，请为其授予角色"))
                return redirect("console:accounts:user", pk=user.pk)
    return render(
        request,
        "accounts/users.html",
        {
            "page": paginate(request, qs),
            "form": form,
            "can_manage": request.actor.has_perm("accounts.manage_grants"),
            "roles": GrantForm(actor=request.actor).fields["role"].choices,
        },
    )


@staff_required
def user_detail(request, pk):
    require_perm(request.actor, "accounts.view_user")
    user = get_object_or_404(selectors.users_visible(request.actor), pk=pk)
    form = GrantForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(
                actor=request.actor,
                user=user,
                role=data["role"],
                unit=data["unit"],
                estate=data["estate"],
                organisation=data["organisation"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("已授予角色"))
            return redirect("console:accounts:user", pk=user.pk)
    grants = RoleGrant.objects.filter(user=user).select_related(
        "unit", "estate", "organisation", "granted_by"
    )
    return render(
        request, "accounts/user_detail.html", {"subject": user, "grants": grants, "form": form}
    )


@staff_required
@require_POST
def grant_revoke(request, pk):
    grant = get_visible_or_404(RoleGrant, request.actor, "accounts.manage_grants", pk=pk)
    try:
        services.revoke_grant(actor=request.actor, grant=grant)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已收回角色"))
    return redirect("console:accounts:user", pk=grant.user_id)
