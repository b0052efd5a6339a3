from django.db.models import Q

from linli.accounts.models import RoleGrant, User


def users_visible(actor, *, query=None, role=None):
    """Users holding a grant inside the actor's scope."""
    if actor.is_superuser:
        qs = User.objects.all()
    else:
        grants = RoleGrant.objects.visible_to(actor, "accounts.view_user")
        qs = User.objects.filter(pk__in=grants.values("user_id"))
    if role:
        qs = qs.filter(grants__role=role, grants__revoked_at__isnull=True)
    if query:
        qs = qs.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(phone=query)
        )
    return qs.distinct().order_by("username")
