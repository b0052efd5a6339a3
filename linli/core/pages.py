"""Helpers shared by list and detail pages: pagination, search, Excel export."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook


def paginate(request, queryset, per_page=None):
    paginator = Paginator(queryset, per_page or settings.LINLI_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without(request, *keys):
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


def xlsx_response(filename, headers, rows):
    """Stream a list to an .xlsx file (write-only mode keeps memory flat for long lists)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    workbook.save(response)
    return response


def wants_export(request):
    return request.GET.get("export") == "xlsx"
