from django.utils.functional import SimpleLazyObject

from linli.core.scoping import Actor

FOCUS_SESSION_KEY = "linli_focus_unit"


def client_ip(request):
    return request.META.get("REMOTE_ADDR")


def actor_for(request):
    """The request's actor, built once and cached on the request."""
    actor = getattr(request, "_linli_actor", None)
    if actor is None or actor.user is not request.user:
        focus = None
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            focus = session.get(FOCUS_SESSION_KEY)
        actor = Actor(request.user, ip=client_ip(request))
        if focus:
            actor.focus_path = _valid_focus(actor, focus)
        request._linli_actor = actor
    return actor


def _valid_focus(actor, unit_id):
    from linli.org.models import OrgUnit

    unit = OrgUnit.objects.visible_to(actor).filter(pk=unit_id).only("path").first()
    return unit.path if unit else None


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request))
        return self.get_response(request)
