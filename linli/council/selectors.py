from django.db.models import Q
from django.utils import timezone

from linli.council import choices as c
from linli.council.models import Council, Meeting, Resolution, Task, Topic


def councils(actor):
    """Councils the actor sees by role, plus those where the actor holds a seat."""
    q = Q(pk__in=Council.objects.visible_to(actor).values("pk"))
    if actor.user_id:
        q |= Q(seats__user_id=actor.user_id, seats__term_end__isnull=True)
    return Council.objects.filter(q).distinct().select_related("unit", "estate")


def council_or_404(actor, pk):
    from django.http import Http404

    council = councils(actor).filter(pk=pk).first()
    if council is None:
        raise Http404
    return council


def topics(actor, council=None):
    qs = Topic.objects.filter(council__in=councils(actor))
    if council is not None:
        qs = qs.filter(council=council)
    return qs.select_related("council")


def meetings(actor, council=None):
    qs = Meeting.objects.filter(council__in=councils(actor))
    if council is not None:
        qs = qs.filter(council=council)
    return qs.select_related("council")


def resolutions(actor, council=None):
    qs = Resolution.objects.filter(meeting__council__in=councils(actor))
    if council is not None:
        qs = qs.filter(meeting__council=council)
    return qs.select_related("topic", "meeting__council")


def tasks(actor, council=None):
    qs = Task.objects.filter(resolution__meeting__council__in=councils(actor))
    if council is not None:
        qs = qs.filter(resolution__meeting__council=council)
    return qs.select_related("resolution__topic")


def overdue_tasks(actor, council, *, today=None):
    today = today or timezone.localdate()
    return tasks(actor, council).filter(status=c.TaskStatus.OPEN, due__lt=today)
