from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from linli.lottery import selectors
from linli.lottery.models import Draw


def public(request, code):
    """Anyone may see a draw and re-run it from the published data."""
    draw = get_object_or_404(Draw, code=code)
    record = selectors.public_record(draw)
    if request.GET.get("format") == "json":
        return JsonResponse(record, json_dumps_params={"ensure_ascii": False})
    labels = {e["ref"]: e["label"] for e in record["entries"]}
    result = [
        {
            "rank": n + 1,
            "label": labels.get(ref, ref),
            "key": record.get("keys", {}).get(ref, ""),
            "won": n < draw.slots,
        }
        for n, ref in enumerate(record.get("result", []))
    ]
    verified = selectors.draw_verify(draw) if request.GET.get("verify") else None
    return render(
        request,
        "lottery/public.html",
        {"draw": draw, "record": record, "result": result, "verified": verified},
    )
