"""Who runs an index: a cycle's organiser as people and the API name it. The city's indices have no
organiser unit on the cycle; they are run by the unit named in settings (Hà Nội: Sở Nội vụ)."""

from django.conf import settings
from django.utils.translation import gettext as _

from core.letterhead import Letterhead
from units.models import Unit, UnitKind

from .models import LETTERHEAD_FIELDS, Cycle, IndexFamily, OrganiserLetterhead

# The family a unit kind belongs to when a combined index ranks several kinds (IndexFamily.CITY).
FAMILY_OF_KIND = {
    UnitKind.DEPARTMENT: IndexFamily.DEPARTMENTS,
    UnitKind.DISTRICT: IndexFamily.DEPARTMENTS,  # district committees ranked with departments to 2025
    UnitKind.COMMUNE: IndexFamily.COMMUNES,
    UnitKind.PUBLIC_SERVICE_UNIT: IndexFamily.PUBLIC_SERVICE,
    UnitKind.CENTRAL_AGENCY: IndexFamily.CENTRAL_AGENCIES,
}


def city_organiser() -> Unit | None:
    return Unit.objects.filter(code=settings.CITY_ORGANISER_CODE).first()


def organiser_of(cycle: Cycle, city: Unit | None = None) -> dict:
    """{"code", "name"} of the unit running the cycle's index."""
    unit = cycle.organiser if cycle.organiser_id else (city or city_organiser())
    if unit is None:
        return {"code": settings.CITY_ORGANISER_CODE, "name": _("Sở Nội vụ")}
    return {"code": unit.code, "name": unit.display_name}


def family_of_kind(kind: str, cycle_family: str) -> str:
    """A unit's family within a cycle: the cycle's own, or for the combined city index the unit's."""
    if cycle_family != IndexFamily.CITY:
        return cycle_family
    return FAMILY_OF_KIND.get(kind, IndexFamily.INTERNAL)


def default_letterhead(organiser: Unit) -> OrganiserLetterhead:
    """What an organiser's documents say until its secretariat sets them: the city above it, its own
    name upper case as the issuer, its head signing."""
    head = "GIÁM ĐỐC" if organiser.kind == UnitKind.DEPARTMENT else "CHỦ TỊCH"
    issuer = organiser.name if organiser.kind == UnitKind.DEPARTMENT else f"UBND {organiser}"
    return OrganiserLetterhead(
        organiser=organiser,
        superior=settings.ORGANISATION_SUPERIOR,
        issuer=issuer.upper(),
        abbreviation="",
        place=settings.ORGANISATION_PLACE,
        signer_title=head,
        recipients="",
        filing="Lưu: VT",
    )


def letterhead_row(organiser: Unit) -> OrganiserLetterhead:
    """The organiser's saved letterhead, or its defaults (unsaved)."""
    return OrganiserLetterhead.objects.filter(organiser=organiser).first() or default_letterhead(
        organiser
    )


def letterhead_of(organiser_code: str | None) -> Letterhead:
    """The letterhead of the documents of an index: the city's from settings; an organiser's from
    its own settings (OrganiserLetterhead), or its defaults."""
    organiser = Unit.objects.filter(code=organiser_code).first() if organiser_code else None
    if organiser is None:
        return Letterhead.from_settings()
    row = letterhead_row(organiser)
    return Letterhead.from_texts(**{field: getattr(row, field) for field in LETTERHEAD_FIELDS})
