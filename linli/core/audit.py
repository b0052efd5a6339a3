"""The audit trail. Services call :func:`record` inside their transaction."""

from linli.core.models import AuditEntry


def _unit_of(obj):
    """The org unit an audited object belongs to, for scoping the log; None if it has none."""
    scope = getattr(type(obj), "scope", None)
    if obj is None or scope is None or not scope.unit:
        return None
    if scope.unit == scope.SELF:
        return obj
    current = obj
    for part in scope.unit.split("__"):
        current = getattr(current, part, None)
        if current is None:
            return None
    return current


def record(actor, action, obj=None, *, unit=None, **data):
    user = actor.user if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "system",
        action=action,
        target_type=obj._meta.label_lower if obj is not None else "",
        target_id=str(obj.pk) if obj is not None else "",
        target_repr=str(obj)[:200] if obj is not None else "",
        unit=unit or _unit_of(obj),
        data=data,
        ip=getattr(actor, "ip", None),
    )
