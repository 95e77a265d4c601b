"""The five-year review page (2021–2025) and its Word and Excel annexes (results/review.py)."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.charts import for_page
from core.spreadsheets import download
from units.models import Unit

from . import charts, review, review_exports
from .permissions import may_open_review

CACHE_SECONDS = 3600
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _allowed(request) -> None:
    if not may_open_review(request.user):
        raise PermissionDenied


def _chart(years, lines, title: str, ylabel: str | None = None) -> dict:
    """The chart for the page, kept in the cache under its content (drawing takes about a second; the
    same figures draw the same bytes)."""
    options = {"title": title} | ({"ylabel": ylabel} if ylabel else {})
    key = "review-chart-" + hashlib.sha256(repr((years, lines, options)).encode()).hexdigest()[:32]
    chart = cache.get(key)
    if chart is None:
        chart = for_page(charts.trend_lines(years, lines, **options))
        cache.set(key, chart, CACHE_SECONDS)
    return chart


def _charts(found: dict) -> list[dict]:
    years = found["years"]
    lines = [(_("Trung bình các đơn vị"), found["city"]["values"])]
    lines += [(g["name"], g["values"]) for g in found["groups"]]
    drawn = [_chart(years, lines, _("Chỉ số CCHC theo khối"))]
    if found["domains"]:
        domains = [(f"{d['code']}. {d['title']}", d["values"]) for d in found["domains"]]
        drawn.append(_chart(years, domains, _("Chỉ số theo lĩnh vực")))
    provincial = [(p["label"], p["values"]) for p in found["provincial"]]
    drawn.append(_chart(years, provincial, _("Chỉ số cấp tỉnh của Thành phố"), _("Giá trị")))
    return drawn


@login_required
def review_page(request):
    _allowed(request)
    found = review.load()
    sources = {code for u in found["units"] for c in u["cells"] for code in c["from"]}
    names = Unit.objects.names_by_code(sources)
    for unit in found["units"]:
        for cell in unit["cells"]:
            cell["from_names"] = ", ".join(names.get(code, code) for code in cell["from"])
    context = {
        "found": found,
        "years": list(zip(found["years"], found["cycles"], strict=True)),
        "charts": _charts(found),
    }
    return render(request, "results/review.html", context)


@login_required
def review_docx(request):
    _allowed(request)
    response = HttpResponse(review_exports.word_annex(review.load()), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{review_exports.filename("docx")}"'
    return response


@login_required
def review_xlsx(request):
    _allowed(request)
    return download(review_exports.workbook(review.load()), review_exports.filename("xlsx"))
