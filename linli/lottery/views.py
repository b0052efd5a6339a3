"""The public page of a draw: anyone re-runs it server-side from the published data."""

from django.http import Http404, JsonResponse
from django.shortcuts import render

from linli.lottery import algorithm, selectors


def _draw_or_404(code):
    draw = selectors.public_draw(code)
    if draw is None:
        raise Http404
    return draw


def public_draw(request, code):
    draw = _draw_or_404(code)
    check = None
    if "verify" in request.GET:
        check = selectors.verify(draw, seed=request.GET.get("seed"))
    entries = selectors.published_entries(draw)
    return render(
        request,
        "lottery/public_draw.html",
        {
            "draw": draw,
            "entries": entries,
            "check": check,
            "typed_seed": request.GET.get("seed", draw.revealed_seed),
            "algorithm_doc": algorithm.__doc__,
        },
    )


def public_verify_json(request, code):
    draw = _draw_or_404(code)
    check = selectors.verify(draw, seed=request.GET.get("seed"))
    return JsonResponse(
        {
            "code": draw.code,
            "algorithm": draw.algorithm,
            "status": draw.status,
            "seed_hash": draw.seed_hash,
            "seed": draw.revealed_seed,
            "public_value": draw.public_value,
            "entries_digest": draw.entries_digest,
            "slots": draw.slots,
            "seed_matches": check.seed_matches,
            "digest_matches": check.digest_matches,
            "order_matches": check.order_matches,
            "ok": check.ok,
            "order": check.recomputed,
        },
        json_dumps_params={"ensure_ascii": False},
    )
