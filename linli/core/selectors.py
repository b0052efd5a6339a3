from django.db.models import Q

from linli.core.models import AuditEntry, Notification


def unread_count(actor):
    if not actor.is_authenticated:
        return 0
    return Notification.objects.visible_to(actor).filter(read_at__isnull=True).count()


def notifications_for(actor):
    return Notification.objects.visible_to(actor)


def audit_entries(actor, *, action=None, target_type=None, query=None):
    qs = AuditEntry.objects.visible_to(actor).select_related("actor", "unit")
    if action:
        qs = qs.filter(action=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if query:
        qs = qs.filter(Q(actor_name__icontains=query) | Q(target_repr__icontains=query))
    return qs
