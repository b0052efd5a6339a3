import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from linli.core.scoping import get_visible_or_404
from linli.org.models import Person
from linli.timebank import selectors, services
from linli.timebank.models import Service

router = Router(tags=["timebank"])


class AccountOut(Schema):
    balance: int
    held: int
    available: int
    ceiling: int | None
    can_withdraw: bool


class ServiceOut(Schema):
    id: int
    elder_id: int
    category: str
    starts_at: datetime.datetime
    minutes: int
    state: str
    channel: str
    volunteer_id: int | None
    served_minutes: int | None
    coins: int
    overflow: int

    @staticmethod
    def resolve_category(obj):
        return obj.category.code


class RequestIn(Schema):
    elder_id: int | None = None
    category: str
    start: datetime.datetime
    minutes: int
    note: str = ""
    pay: bool = False


class CheckInIn(Schema):
    code: str = ""
    manual_reason: str = ""


class ReviewIn(Schema):
    approve: bool
    reason: str = ""


def _me(request):
    if not request.actor.person_id:
        raise PermissionDenied
    return Person.objects.get(pk=request.actor.person_id)


def _mine(request, service_id):
    """A service the caller takes part in, or one they may see as staff."""
    service = Service.objects.filter(pk=service_id).select_related("volunteer").first()
    person_id = request.actor.person_id
    if (
        service
        and person_id
        and person_id
        in (
            service.elder_id,
            service.payer_id,
            service.volunteer and service.volunteer.person_id,
        )
    ):
        return service
    if service and service.state == "open" and person_id:
        return service
    return get_visible_or_404(Service, request.actor, pk=service_id)


@router.get("/me", response=AccountOut)
def me(request):
    person = _me(request)
    summary = selectors.account_summary(person)
    summary["can_withdraw"] = bool(services.can_withdraw(person, datetime.date.today()))
    return summary


@router.get("/me/requests", response=list[ServiceOut])
def my_requests(request):
    return selectors.my_requests(_me(request))


@router.get("/open", response=list[ServiceOut])
def open_requests(request):
    volunteer = selectors.volunteer_of(_me(request))
    if volunteer is None:
        raise PermissionDenied
    return selectors.open_requests_for(volunteer)


@router.post("/requests", response=ServiceOut)
def file_request(request, payload: RequestIn):
    if payload.elder_id in (None, request.actor.person_id):
        elder = _me(request)
    else:
        elder = get_visible_or_404(Person, request.actor, "timebank.request", pk=payload.elder_id)
    return services.request_create(
        actor=request.actor,
        elder=elder,
        category_code=payload.category,
        start=payload.start,
        minutes=payload.minutes,
        note=payload.note,
        payer=elder if payload.pay else None,
    )


@router.post("/services/{service_id}/accept", response=ServiceOut)
def accept(request, service_id: int):
    return services.service_accept(actor=request.actor, service=_mine(request, service_id))


@router.post("/services/{service_id}/checkin", response=ServiceOut)
def checkin(request, service_id: int, payload: CheckInIn):
    return services.service_check_in(
        actor=request.actor,
        service=_mine(request, service_id),
        code=payload.code,
        manual_reason=payload.manual_reason,
    )


@router.post("/services/{service_id}/checkout", response=ServiceOut)
def checkout(request, service_id: int):
    return services.service_check_out(actor=request.actor, service=_mine(request, service_id))


@router.post("/services/{service_id}/confirm", response=ServiceOut)
def confirm(request, service_id: int):
    return services.service_confirm(actor=request.actor, service=_mine(request, service_id))


@router.post("/services/{service_id}/review", response=ServiceOut)
def review(request, service_id: int, payload: ReviewIn):
    service = get_visible_or_404(Service, request.actor, "timebank.review", pk=service_id)
    return services.service_review(
        actor=request.actor, service=service, approve=payload.approve, reason=payload.reason
    )


@router.get("/services", response=list[ServiceOut])
def staff_services(request, state: str | None = None):
    return selectors.services(request.actor, state=state)[:200]
