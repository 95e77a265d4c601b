"""The public SIPAS page of a published year (per family and per unit, with intervals and the weights)
and its open data; 404 until a city cycle of the year is published (results.sipas_public)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from results.sipas_public import as_data, published_sipas, tracking

from . import opendata, sipas_data
from .caching import cached_public


def _sipas(year: int):
    sipas = published_sipas(year) if 1900 <= year <= 9999 else None
    if sipas is None:
        raise Http404
    return sipas


@require_safe
@cached_public
def sipas(request, year):
    found = _sipas(year)
    data = as_data(found)
    context = {
        "year": year,
        "data": data,
        "track": tracking(found),
        "cycle_url": reverse("public:cycle", args=[found.cycles[0].key]),
        "downloads": [
            (fmt.upper(), reverse("public:sipas_data", args=[year, fmt]))
            for fmt in sipas_data.BUILDERS
        ],
    }
    return render(request, "public/sipas.html", context)


@require_safe
@cached_public
def data(request, year, fmt):
    if fmt not in sipas_data.BUILDERS:
        raise Http404
    content = sipas_data.BUILDERS[fmt](as_data(_sipas(year)))
    response = HttpResponse(content, content_type=opendata.FORMATS[fmt])
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="sipas-{year}.{fmt}"'
    return response
