"""The public site (no login): published cycles, rankings per group, unit profiles, charts, open data.

Everything comes from a Publication's snapshot (public/reading.py); a cycle that is not published
answers 404 like a year that does not exist. Every page and file is cached (public/caching.py).
"""

from __future__ import annotations

from statistics import mean

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from results import analysis
from results.sipas_public import has_sipas
from surveys.respondent_page import open_surveys

from . import opendata, reading
from .caching import cached_public


def _links_for(key: str, latest_version: int):
    def links(version: int) -> reading.Links:
        return reading.Links(key, None if version == latest_version else version)

    return links


def _publication(key: str, version: int | None):
    """(publication, latest, links) for the page; the versioned URL of the latest version is
    served too, with versioned links."""
    chosen, latest = reading.published(key, version)
    links = reading.Links(key, version)
    return chosen, latest, links


def _context(chosen, latest, links) -> dict:
    snap = chosen.snapshot
    return {
        "year": chosen.cycle.year,
        "title": snap["cycle"]["title"],
        "publication": chosen,
        "latest": latest,
        "is_latest": chosen.pk == latest.pk,
        "latest_url": reading.Links(chosen.cycle.key).cycle(),
        "links": links,
        "cycle_url": links.cycle(),
        "charts_url": links.charts(),
        "downloads": [(fmt.upper(), links.data(fmt)) for fmt in opendata.FORMATS],
        "versions": reading.versions(chosen, _links_for(chosen.cycle.key, latest.version)),
    }


def _open_surveys_token() -> str:
    return repr(open_surveys())


@require_safe
@cached_public(vary=_open_surveys_token)
def index(request):
    """The published cycles, and the surveys open now that anyone may answer (their list is part of
    the cache key: a wave opening or closing shows at once)."""
    return render(
        request,
        "public/index.html",
        {"cycles": reading.published_cycles(), "surveys": open_surveys()},
    )


@require_safe
@cached_public
def cycle(request, key, version=None):
    chosen, latest, links = _publication(key, version)
    snap = chosen.snapshot
    context = _context(chosen, latest, links)
    context |= {
        "groups": reading.groups(snap, links),
        "averages": analysis.city_averages(snap) if snap["units"] else None,
        "gains": [
            {**u, "url": links.unit(u["code"])} for u in analysis.largest_gains(snap, limit=5)
        ],
        "sipas_url": reverse("public:sipas", args=[chosen.cycle.year])
        if chosen.cycle.organiser_id is None and has_sipas(chosen.cycle.year)
        else None,
    }
    return render(request, "public/cycle.html", context)


@require_safe
@cached_public
def group(request, key, slug, version=None):
    chosen, latest, links = _publication(key, version)
    snap = chosen.snapshot
    found = reading.find_group(snap, slug)
    if found is None:
        raise Http404
    context = _context(chosen, latest, links)
    context |= {
        "group": found,
        "rows": reading.ranking_rows(snap, found["name"], links),
        "chart_url": links.chart(f"xep-hang-{slug}"),
    }
    return render(request, "public/group.html", context)


@require_safe
@cached_public
def unit(request, key, code, version=None):
    chosen, latest, links = _publication(key, version)
    profile = reading.profile(chosen, code, links)
    if profile is None:
        raise Http404
    context = _context(chosen, latest, links)
    context |= profile
    context |= {
        "shares": reading.shares(profile["unit"]),
        "profile_chart_url": links.chart(f"linh-vuc-{code}"),
        "history_chart_url": links.chart(f"qua-cac-nam-{code}"),
    }
    return render(request, "public/unit.html", context)


def _part_shares(units: list[dict]) -> dict:
    shares = [reading.shares(u) for u in units if u["index"] is not None]
    appraisal = [s["appraisal"] for s in shares if s["appraisal"] is not None]
    survey = [s["survey"] for s in shares if s["survey"] is not None]
    return {
        "appraisal": round(mean(appraisal), 2) if appraisal else None,
        "survey": round(mean(survey), 2) if survey else None,
    }


@require_safe
@cached_public
def charts(request, key, version=None):
    chosen, latest, links = _publication(key, version)
    snap = chosen.snapshot
    context = _context(chosen, latest, links)
    groups = reading.groups(snap, links)
    for g in groups:
        units = analysis.group_units(snap, g["name"])
        g["heatmap_url"] = links.chart(f"ban-do-nhiet-{g['slug']}")
        g["distribution_url"] = links.chart(f"phan-bo-{g['slug']}")
        g["parts"] = _part_shares(units)
        g["domain_means"] = _domain_means(units)
    context |= {
        "groups": groups,
        "averages": analysis.city_averages(snap) if snap["units"] else None,
        "distribution_url": links.chart("phan-bo"),
    }
    return render(request, "public/charts.html", context)


def _domain_means(units: list[dict]) -> dict[str, float]:
    values: dict[str, list[float]] = {}
    for u in units:
        for d in u["domains"]:
            if d["index"] is not None:
                values.setdefault(d["code"], []).append(d["index"])
    return {code: round(mean(v), 2) for code, v in values.items()}


def _chart_svg(chosen, name: str) -> str | None:
    """The SVG of a named chart of the publication, or None for an unknown name."""
    from results import charts  # matplotlib: loaded on the first chart asked for

    snap = chosen.snapshot
    slugs = {slug: group for group, slug in reading.group_slugs(snap).items()}
    prefix = rest = ""
    for kind in ("xep-hang-", "ban-do-nhiet-", "phan-bo-", "linh-vuc-", "qua-cac-nam-"):
        if name.startswith(kind):
            prefix, rest = kind[:-1], name[len(kind) :]
            break
    if name == "phan-bo":
        return charts.distribution(
            analysis.distribution(snap["units"]), title=_("Phân bố chỉ số CCHC của các đơn vị")
        )
    if prefix in ("xep-hang", "ban-do-nhiet", "phan-bo") and rest in slugs:
        group = slugs[rest]
        units = analysis.group_units(snap, group)
        if prefix == "xep-hang":
            return charts.ranking_bars(units, title=_("Chỉ số CCHC: %(group)s") % {"group": group})
        if prefix == "ban-do-nhiet":
            return charts.heatmap(
                analysis.heatmap(snap, group),
                title=_("Chỉ số theo lĩnh vực: %(group)s") % {"group": group},
            )
        return charts.distribution(
            analysis.distribution(units), title=_("Phân bố chỉ số: %(group)s") % {"group": group}
        )
    unit = analysis.by_code(snap).get(rest)
    if prefix == "linh-vuc" and unit is not None:
        return charts.domain_profile(
            analysis.domain_comparison(snap, unit),
            title=_("%(unit)s: chỉ số theo lĩnh vực") % {"unit": unit["name"]},
        )
    if prefix == "qua-cac-nam" and unit is not None:
        return charts.history(
            reading.history(chosen, rest),
            title=_("%(unit)s: chỉ số qua các năm") % {"unit": unit["name"]},
        )
    return None


@require_safe
@cached_public
def chart(request, key, name, version=None):
    chosen, _latest, _links = _publication(key, version)
    svg = _chart_svg(chosen, name)
    if svg is None:
        raise Http404
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_safe
@cached_public
def data(request, key, fmt, version=None):
    if fmt not in opendata.FORMATS:
        raise Http404
    chosen, _latest, _links = _publication(key, version)
    response = HttpResponse(opendata.BUILDERS[fmt](chosen), content_type=opendata.FORMATS[fmt])
    filename = f"ket-qua-chi-so-cchc-{chosen.cycle.year}-lan-{chosen.version}.{fmt}"
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
