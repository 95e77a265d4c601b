"""What the public pages show, read from publications only (never from the live results tables).

Plain functions, no request objects: find a cycle's publication, and turn its snapshot into the rows
the templates print (rank with its interval, the comparison note, which neighbours are not told apart,
the unit's profile and history). Unit and framework names that are not results (predecessors' names,
criterion titles) come from the units and frameworks tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from cycles.models import CycleState, Participation
from frameworks.models import Node
from results import analysis
from results.api import group_slugs, published
from results.charts import rank_label
from results.models import Publication
from units.models import Unit

__all__ = ["published", "Links", "publications_token", "published_cycles"]


def publications_token() -> str:
    """Changes whenever a publication is added (or removed) anywhere: the public caches' key.

    One small query on every public request, so every web process sees a new publication at once; in
    plain SQL, as it runs on every page served from the cache (on the replica when one is set up)."""
    alias = router.db_for_read(Publication)
    table = connections[alias].ops.quote_name(Publication._meta.db_table)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {table}")  # noqa: S608 (no user input)
        last, count = cursor.fetchone()
    return f"{last or 0}.{count}"


def published_cycles() -> list[dict]:
    """Every published cycle, newest first, with its latest version (no snapshot loaded)."""
    latest: dict[int, Publication] = {}
    for publication in (
        Publication.objects.filter(cycle__state=CycleState.PUBLISHED)
        .select_related("cycle", "cycle__organiser")
        .defer("snapshot")
        .order_by("cycle_id", "version")
    ):
        latest[publication.cycle_id] = publication
    ordered = sorted(
        latest.values(),
        key=lambda p: (-p.cycle.year, p.cycle.organiser_id is not None, p.cycle.key),
    )
    return [
        {
            "year": p.cycle.year,
            "key": p.cycle.key,
            "title": p.cycle.title,
            "family": p.cycle.get_family_display(),
            "organiser": p.cycle.organiser.display_name if p.cycle.organiser else "",
            "version": p.version,
            "published_at": p.published_at,
            "corrected": p.version > 1,
            "url": reverse("public:cycle", args=[p.cycle.key]),
        }
        for p in ordered
    ]


@dataclass(frozen=True)
class Links:
    """The URLs of one publication's pages: the stable ones for the latest version, the versioned ones
    (/cong-khai/2025/v1/…) for an earlier one."""

    key: str
    version: int | None = None

    def _reverse(self, name: str, *args) -> str:
        if self.version is None:
            return reverse(f"public:{name}", args=[self.key, *args])
        return reverse(f"public:{name}_version", args=[self.key, self.version, *args])

    def cycle(self) -> str:
        return self._reverse("cycle")

    def group(self, slug: str) -> str:
        return self._reverse("group", slug)

    def unit(self, code: str) -> str:
        return self._reverse("unit", code)

    def charts(self) -> str:
        return self._reverse("charts")

    def chart(self, name: str) -> str:
        return self._reverse("chart", name)

    def data(self, fmt: str) -> str:
        return self._reverse("data", fmt)


def versions(publication: Publication, links_for) -> list[dict]:
    """Every version of the publication's cycle, oldest first, with its link."""
    rows = []
    for p in publication.cycle.publications.defer("snapshot").order_by("version"):
        rows.append(
            {
                "version": p.version,
                "published_at": p.published_at,
                "notice": p.notice,
                "url": links_for(p.version).cycle(),
                "current": p.version == publication.version,
            }
        )
    return rows


def unit_names(codes) -> dict[str, str]:
    return {u.code: u.display_name for u in Unit.objects.filter(code__in=list(codes))}


def comparison_note(unit: dict, names: dict[str, str]) -> str:
    """How the change from last year was made, in words: "đơn vị mới", or the predecessors."""
    if unit["comparison"] == "new":
        return _("đơn vị mới")
    if unit["comparison"] == "lineage":
        listed = ", ".join(names.get(code, code) for code in unit["compared_with"])
        if listed:
            return _("so với các đơn vị tiền thân: %(units)s") % {"units": listed}
        return _("so với các đơn vị tiền thân")
    return ""


def ranking_rows(snapshot: dict, group: str, links: Links) -> list[dict]:
    """The group's units in rank order, each with what its row shows."""
    units = analysis.group_units(snapshot, group)
    names = unit_names({code for u in units for code in u["compared_with"]})
    rows = []
    for position, unit in enumerate(units):
        following = units[position + 1] if position + 1 < len(units) else None
        distinct = analysis.rank_is_distinct(unit)
        rows.append(
            {
                **unit,
                "rank_text": rank_label(unit),
                "has_interval": unit["rank_low"] is not None
                and not unit["rank_low"] == unit["rank_high"] == unit["rank"],
                # The difference to the next row is within the survey's sampling error.
                "close_to_next": distinct is False and following is not None,
                "next_name": following["name"] if following else "",
                "note": comparison_note(unit, names),
                "url": links.unit(unit["code"]),
            }
        )
    return rows


def groups(snapshot: dict, links: Links) -> list[dict]:
    slugs = group_slugs(snapshot)
    return [
        {
            **g,
            "slug": slugs[g["name"]],
            "url": links.group(slugs[g["name"]]),
            "top": analysis.group_units(snapshot, g["name"])[:3],
        }
        for g in snapshot["groups"]
    ]


def find_group(snapshot: dict, slug: str) -> dict | None:
    slugs = group_slugs(snapshot)
    return next((g for g in snapshot["groups"] if slugs[g["name"]] == slug), None)


def leaf_titles(cycle_id: int, code: str) -> dict[str, str]:
    """Criterion titles of the framework the unit was scored by in that cycle (code → title), for the
    codes whose title the snapshot does not carry (or snapshots made before it carried titles)."""
    kind = (
        Participation.objects.filter(cycle_id=cycle_id, unit__code=code)
        .values_list("framework_kind", flat=True)
        .first()
    )
    if kind is None:
        return {}
    return dict(
        Node.objects.filter(framework__cycle_id=cycle_id, framework__kind=kind).values_list(
            "code", "title"
        )
    )


def history(publication: Publication, code: str) -> list[dict]:
    """The unit's index and rank in the latest publication of every published year up to this one, among
    the indices of the same organiser (the city's, or a department's or commune's own)."""
    latest: dict[int, int] = dict(
        Publication.objects.filter(
            cycle__state=CycleState.PUBLISHED,
            cycle__year__lt=publication.cycle.year,
            cycle__organiser_id=publication.cycle.organiser_id,
        )
        .values("cycle_id")
        .annotate(version=Max("version"))
        .values_list("cycle_id", "version")
    )
    snapshots = [publication.snapshot]
    for cycle_id, version in latest.items():
        other = Publication.objects.filter(cycle_id=cycle_id, version=version).first()
        if other is not None:
            snapshots.append(other.snapshot)
    return analysis.history(snapshots, code)


def profile(publication: Publication, code: str, links: Links) -> dict | None:
    """Everything the unit's page shows, or None when the unit is not in the publication."""
    snap = publication.snapshot
    unit = analysis.by_code(snap).get(code)
    if unit is None:
        return None
    titles = dict(snap.get("leaf_titles", {}))
    if any(leaf not in titles for leaf in unit["leaves"]):
        # A title that differs between the year's frameworks is not in the snapshot: the unit's own.
        titles = leaf_titles(publication.cycle_id, code) | titles
    losses = [
        {**row, "title": titles.get(row["code"], "")} for row in analysis.biggest_losses(snap, unit)
    ]
    rows = {r["code"]: r for r in ranking_rows(snap, unit["group"], links)}
    slug = group_slugs(snap)[unit["group"]]
    return {
        "unit": rows[code],
        "group": next(g for g in snap["groups"] if g["name"] == unit["group"]),
        "group_url": links.group(slug),
        "domains": analysis.domain_comparison(snap, unit),
        "losses": losses,
        "history": history(publication, code),
    }


def shares(unit: dict) -> dict:
    """The unit's appraisal and survey parts as a share of their maximum (%)."""

    def share(points, maximum):
        return round(100 * points / maximum, 2) if maximum else None

    return {
        "appraisal": share(unit["appraisal_points"], unit["appraisal_maximum"]),
        "survey": share(unit["survey_points"], unit["survey_maximum"]),
    }
