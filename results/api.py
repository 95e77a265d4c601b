"""The results part of the JSON API: a cycle's published results, per cycle, ranking group and unit.

Public (`auth=None`) and read only from the cycle's publications (results.models.Publication), never
from the live tables: before the secretariat publishes, every endpoint of the cycle answers 404 exactly
as for a year that does not exist. The current publication is the latest version; `?version=N` reads
an earlier one (a correction keeps the earlier versions readable). See docs/api.md.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from django.http import Http404
from django.urls import reverse
from django.utils.text import slugify
from ninja import Field, Query, Router, Schema

from cycles.converters import CycleKey
from cycles.models import CycleState, IndexFamily
from cycles.organisers import city_organiser, family_of_kind, organiser_of

from . import analysis
from .models import Publication

router = Router(tags=["results"], auth=None)


def group_slug(name: str) -> str:
    """The ranking group's name as a URL part ("Khối xã, phường" → "khoi-xa-phuong"); the public
    site's group pages use the same."""
    text = name.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    return slugify(text) or "khoi"


def group_slugs(snapshot: dict) -> dict[str, str]:
    """Group name → slug for a snapshot's groups; a clash gets a numbered suffix."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for group in snapshot["groups"]:
        slug = base = group_slug(group["name"])
        number = 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs[group["name"]] = slug
    return slugs


def published(key: str, version: int | None = None) -> tuple[Publication, Publication]:
    """(the asked-for publication, the latest one) of a published cycle, by its key (the bare year for
    the city's combined index); Http404 for anything else.

    Only the latest publication's snapshot is loaded unless an earlier version is asked for."""
    publications = Publication.objects.filter(
        cycle__key=str(key), cycle__state=CycleState.PUBLISHED
    ).select_related("cycle")
    latest = publications.order_by("-version").first()
    if latest is None:
        raise Http404
    if version is None or version == latest.version:
        return latest, latest
    chosen = publications.filter(version=version).first()
    if chosen is None:
        raise Http404
    return chosen, latest


# ------------------------------------------------------------------ schemas


class ErrorOut(Schema):
    detail: str = Field(examples=["Không tìm thấy."])


class PublicationOut(Schema):
    year: int
    title: str
    version: int = Field(description="Lần công bố (1 là bản đầu tiên; lớn hơn 1 là bản đính chính)")
    latest_version: int = Field(description="Lần công bố mới nhất của kỳ đánh giá")
    published_at: datetime
    notice: str = Field(description="Thông báo đính chính (rỗng ở bản đầu tiên)")
    digest: str = Field(description="Mã kiểm tra SHA-256 của nội dung bản công bố")


class DomainOut(Schema):
    code: str
    title: str
    points: float
    max: float
    index: float | None = Field(description="Điểm / tối đa × 100; null với phần điểm thưởng, trừ")
    extra: bool = Field(description="Phần điểm thưởng, điểm trừ")


class UnitSummaryOut(Schema):
    code: str
    name: str
    kind: str
    group: str
    index: float | None = Field(
        description="Chỉ số CCHC (%): tổng điểm / điểm tối đa áp dụng × 100"
    )
    rank: int | None = Field(
        description="Thứ hạng trong khối (bằng chỉ số thì bằng hạng: 1, 2, 2, 4)"
    )
    group_size: int
    band: str = Field(description="Xếp loại theo ngưỡng của kỳ đánh giá")
    rank_low: int | None = Field(description="Cận trên của khoảng thứ hạng 90 % (hạng tốt nhất)")
    rank_high: int | None = Field(description="Cận dưới của khoảng thứ hạng 90 % (hạng kém nhất)")
    p_ahead_of_next: float | None = Field(
        description="Xác suất đơn vị đứng trên đơn vị xếp ngay sau khi tính sai số khảo sát; "
        "từ 0,95 trở lên là khác biệt có ý nghĩa"
    )
    rank_distinct: bool | None = Field(
        description="Khác biệt với đơn vị xếp ngay sau là có ý nghĩa (null với đơn vị cuối khối)"
    )
    total: float
    maximum: float
    appraisal_points: float
    appraisal_maximum: float
    survey_points: float
    survey_maximum: float
    extra_points: float
    previous_index: float | None
    previous_rank: int | None
    change: float | None = Field(description="Chỉ số năm nay trừ chỉ số năm trước")
    rank_change: int | None = Field(
        description="Số bậc tăng (dương) hoặc giảm (âm) so với năm trước"
    )
    comparison: str = Field(
        description="same: cùng đơn vị; lineage: so với các đơn vị tiền thân; new: đơn vị mới"
    )
    compared_with: list[str] = Field(description="Mã các đơn vị năm trước được dùng để so sánh")
    progress: str = Field(description="outstanding (vượt bậc), notable (đáng kể) hoặc rỗng")
    survey_missing: bool = Field(description="Thiếu số liệu điều tra xã hội học")
    domains: list[DomainOut]


class GroupOut(Schema):
    name: str
    slug: str = Field(description="Dùng trong đường dẫn /results/{key}/groups/{slug}")
    size: int
    mean_index: float | None
    best_index: float | None
    mean_change: float | None


class CycleResultsOut(Schema):
    publication: PublicationOut
    groups: list[GroupOut]
    units: list[UnitSummaryOut]


class GroupResultsOut(Schema):
    publication: PublicationOut
    group: GroupOut
    units: list[UnitSummaryOut]


class DomainComparisonOut(Schema):
    code: str
    title: str
    extra: bool
    value: float | None = Field(
        description="Chỉ số lĩnh vực của đơn vị (điểm với phần thưởng, trừ)"
    )
    group_mean: float | None
    group_best: float | None


class LeafOut(Schema):
    code: str
    points: float
    max: float
    applicable: bool = Field(description="false: tiêu chí được chấp nhận là không áp dụng")


class LossOut(Schema):
    code: str
    points: float
    max: float
    group_mean: float
    loss: float = Field(description="Trung bình khối trừ điểm của đơn vị")


class UnitResultsOut(Schema):
    publication: PublicationOut
    unit: UnitSummaryOut
    domains_vs_group: list[DomainComparisonOut]
    biggest_losses: list[LossOut] = Field(description="Tối đa 10 tiêu chí mất nhiều điểm nhất")
    leaves: list[LeafOut]


class VersionQuery(Schema):
    version: int | None = Field(None, ge=1, description="Lần công bố; mặc định là bản mới nhất")


# ------------------------------------------------------------------ endpoints


def _publication(chosen: Publication, latest: Publication) -> dict:
    return {
        "year": chosen.cycle.year,
        "title": chosen.snapshot["cycle"]["title"],
        "version": chosen.version,
        "latest_version": latest.version,
        "published_at": chosen.published_at,
        "notice": chosen.notice,
        "digest": chosen.digest,
    }


def _group(group: dict, slug: str) -> dict:
    return {**group, "slug": slug}


def _unit(unit: dict) -> dict:
    return {**unit, "rank_distinct": analysis.rank_is_distinct(unit)}


NOT_FOUND = {404: ErrorOut}


@router.get(
    "/{key}",
    response={200: CycleResultsOut, **NOT_FOUND},
    summary="Kết quả đã công bố của một kỳ đánh giá",
)
def cycle_results(request, key: CycleKey, query: Query[VersionQuery]):
    chosen, latest = published(key, query.version)
    snap = chosen.snapshot
    slugs = group_slugs(snap)
    return {
        "publication": _publication(chosen, latest),
        "groups": [_group(g, slugs[g["name"]]) for g in snap["groups"]],
        "units": [_unit(u) for u in snap["units"]],
    }


@router.get(
    "/{key}/groups/{slug}",
    response={200: GroupResultsOut, **NOT_FOUND},
    summary="Bảng xếp hạng một khối",
)
def group_results(request, key: CycleKey, slug: str, query: Query[VersionQuery]):
    chosen, latest = published(key, query.version)
    snap = chosen.snapshot
    slugs = group_slugs(snap)
    group = next((g for g in snap["groups"] if slugs[g["name"]] == slug), None)
    if group is None:
        raise Http404
    return {
        "publication": _publication(chosen, latest),
        "group": _group(group, slug),
        "units": [_unit(u) for u in analysis.group_units(snap, group["name"])],
    }


@router.get(
    "/{key}/units/{code}",
    response={200: UnitResultsOut, **NOT_FOUND},
    summary="Kết quả của một đơn vị",
)
def unit_results(request, key: CycleKey, code: str, query: Query[VersionQuery]):
    chosen, latest = published(key, query.version)
    snap = chosen.snapshot
    unit = analysis.by_code(snap).get(code)
    if unit is None:
        raise Http404
    return {
        "publication": _publication(chosen, latest),
        "unit": _unit(unit),
        "domains_vs_group": analysis.domain_comparison(snap, unit),
        "biggest_losses": analysis.biggest_losses(snap, unit),
        "leaves": [
            {"code": code, "points": p, "max": m, "applicable": a}
            for code, (p, m, a) in unit["leaves"].items()
        ],
    }


# ------------------------------------------------------------------ every published index

indices_router = Router(tags=["results"], auth=None)


class OrganiserOut(Schema):
    code: str = Field(description="Mã đơn vị tổ chức (Sở Nội vụ với các chỉ số của Thành phố)")
    name: str


class IndexOut(Schema):
    year: int
    key: str = Field(description="Mã kỳ đánh giá, dùng trong /results/{key}")
    family: str = Field(
        description="departments, public_service, central_agencies, communes, internal, provincial"
    )
    family_name: str
    organiser: OrganiserOut
    title: str
    units: int = Field(description="Số đơn vị được xếp hạng")
    url: str = Field(description="Trang công khai của kết quả")


@indices_router.get(
    "",
    response=list[IndexOut],
    summary="Các chỉ số CCHC đã công bố, ở mọi cấp",
    description="Một mục cho mỗi kỳ đánh giá đã công bố và mỗi khối đối tượng của nó: chỉ số chung "
    "của Thành phố (sở, ngành và xã, phường) được liệt kê theo từng khối. Mới nhất trước.",
)
def list_indices(request):
    city = city_organiser()
    latest: dict[int, Publication] = {}
    for publication in (
        Publication.objects.filter(cycle__state=CycleState.PUBLISHED)
        .select_related("cycle", "cycle__organiser")
        .order_by("cycle_id", "version")
    ):
        latest[publication.cycle_id] = publication
    rows = []
    for publication in sorted(latest.values(), key=lambda p: (-p.cycle.year, p.cycle.key)):
        cycle = publication.cycle
        ranked: dict[str, int] = {}
        for unit in publication.snapshot["units"]:
            if unit.get("rank") is not None:
                family = family_of_kind(unit["kind"], cycle.family)
                ranked[family] = ranked.get(family, 0) + 1
        for family, count in sorted(ranked.items()):
            rows.append(
                {
                    "year": cycle.year,
                    "key": cycle.key,
                    "family": family,
                    "family_name": str(IndexFamily(family).label),
                    "organiser": organiser_of(cycle, city),
                    "title": cycle.title,
                    "units": count,
                    "url": request.build_absolute_uri(reverse("public:cycle", args=[cycle.key])),
                }
            )
    return rows
