"""Server-side SVG charts (no JavaScript, readable by screen readers through <title>)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BAR_HEIGHT = 26
LABEL_WIDTH = 190
CHART_WIDTH = 640


def reciprocity_svg(rows):
    """One bar per (giver → receiver) pair, length proportional to the hours."""
    if not rows:
        return ""
    top = max(hours for _g, _r, hours in rows) or 1
    bar_room = CHART_WIDTH - LABEL_WIDTH - 70
    height = BAR_HEIGHT * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sharing-chart" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%">'
        f"<title>{escape(_('社区之间共享小时数'))}</title>"
    ]
    for i, (giver, receiver, hours) in enumerate(rows):
        y = 5 + i * BAR_HEIGHT
        width = max(2, round(bar_room * hours / top))
        label = f"{giver.name} → {receiver.name}"
        parts.append(
            f'<g class="pair"><title>{escape(label)}: {hours}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" '
            f'height="{BAR_HEIGHT - 8}" rx="3"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 17}">{hours} h</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
