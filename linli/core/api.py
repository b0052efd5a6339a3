import datetime

from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from linli.core import notify, selectors
from linli.core.scoping import require_perm

router = Router(tags=["core"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    kind: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class ReadIn(Schema):
    ids: list[int] | None = None


class AuditOut(Schema):
    at: datetime.datetime
    actor_name: str
    action: str
    target_type: str
    target_id: str
    target_repr: str
    data: dict


@router.get("/notifications", response=list[NotificationOut])
@paginate(PageNumberPagination, page_size=50)
def notifications(request, unread: bool = False):
    qs = selectors.notifications_for(request.actor)
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/notifications/read")
def read(request, payload: ReadIn):
    return {"marked": notify.mark_read(request.actor, payload.ids)}


@router.get("/audit", response=list[AuditOut])
@paginate(PageNumberPagination, page_size=100)
def audit(request, action: str | None = None):
    require_perm(request.actor, "core.view_audit")
    return selectors.audit_entries(request.actor, action=action)
