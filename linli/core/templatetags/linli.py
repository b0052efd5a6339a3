from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, item, exact=False):
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:
        return ""
    path = context["request"].path
    active = path == url if exact else path.startswith(url)
    return format_html(
        '<a href="{}"{}>{}</a>', url, ' class="active"' if active else "", item.label
    )


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current URL with ``page`` replaced, keeping search and filters."""
    params = context["request"].GET.copy()
    params["page"] = page_number
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def export_url(context):
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["export"] = "xlsx"
    return f"?{params.urlencode()}"


@register.filter
def percent(part, whole):
    try:
        return f"{100 * part / whole:.1f}%" if whole else "—"
    except (TypeError, ValueError):
        return "—"
