from django.conf import settings

from linli.core.registry import nav_items
from linli.core.selectors import unread_count

_FOCUS_LIMIT = 300


def focus_units(actor):
    """Units the console can be narrowed to, indented by depth; grids dropped for big scopes."""
    from linli.org.choices import UnitKind
    from linli.org.selectors import switchable_units

    units = list(switchable_units(actor)[: _FOCUS_LIMIT + 1])
    if len(units) > _FOCUS_LIMIT:
        units = list(switchable_units(actor).exclude(kind=UnitKind.GRID)[:_FOCUS_LIMIT])
    top = min((u.depth for u in units), default=0)
    for unit in units:
        unit.indent = "　" * (unit.depth - top)
    return units


def shell(request):
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"linli_site_name": settings.LINLI_SITE_NAME}
    context = {
        "linli_site_name": settings.LINLI_SITE_NAME,
        "unread_count": unread_count(actor),
        "large_text": getattr(request.user, "large_text", False),
    }
    if request.path.startswith("/console/"):
        context["console_nav"] = nav_items(actor, "console_nav")
        context["focus_units"] = focus_units(actor)
    elif request.path.startswith("/m/"):
        context["resident_nav"] = nav_items(actor, "resident_nav")
    return context
