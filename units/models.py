"""Organisation units (departments, communes and wards, districts before July 2025...) and their lineage."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.collation import by_name


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("UBND xã, phường")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp công lập")
    CENTRAL_AGENCY = "central_agency", _("Cơ quan ngành dọc Trung ương")
    DISTRICT = "district", _("UBND quận, huyện, thị xã (trước 01/7/2025)")
    OFFICE = "office", _("Phòng, ban chuyên môn thuộc UBND xã, phường")
    DIVISION = "division", _("Phòng, đơn vị thuộc sở")


class SubKind(models.TextChoices):
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
    URBAN_DISTRICT = "quan", _("Quận")
    RURAL_DISTRICT = "huyen", _("Huyện")
    TOWN = "thi_xa", _("Thị xã")


# The kind each sub-kind belongs to: an import may give either.
SUB_KIND_PARENT = {
    SubKind.WARD: UnitKind.COMMUNE,
    SubKind.COMMUNE: UnitKind.COMMUNE,
    SubKind.URBAN_DISTRICT: UnitKind.DISTRICT,
    SubKind.RURAL_DISTRICT: UnitKind.DISTRICT,
    SubKind.TOWN: UnitKind.DISTRICT,
}


# A sub-unit belongs to the committee or department above it: the kinds its parent may have. An office of a
# district committee (before July 2025) keeps its district as parent, for the years it was assessed.
SUB_UNIT_PARENT_KINDS = {
    UnitKind.OFFICE: (UnitKind.COMMUNE, UnitKind.DISTRICT),
    UnitKind.DIVISION: (UnitKind.DEPARTMENT,),
}


class UnitQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(
            models.Q(active_from__isnull=True) | models.Q(active_from__lte=day),
            models.Q(active_to__isnull=True) | models.Q(active_to__gte=day),
        )

    def names_by_code(self, codes) -> dict[str, str]:
        """{code: "Huyện Mê Linh"} for the units of `codes` (a code no unit has is left out): what a
        page shows where a snapshot keeps codes, such as a ward's predecessors."""
        return {u.code: u.display_name for u in self.filter(code__in=list(codes))}


class Unit(models.Model):
    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=UnitKind.choices, db_index=True)
    sub_kind = models.CharField(_("cấp"), max_length=10, choices=SubKind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Where the row was taken from (a decision, the unit's portal), shown with the catalogue.
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    active_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    # Lineage through mergers: a 2025 ward points to the old units it was formed from.
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị tiền thân"),
        symmetrical=False,
        blank=True,
        related_name="successors",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", by_name(), "code"]  # Vietnamese order (core/collation.py)
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name as documents write it: "Phường Hoàn Kiếm", "Huyện Ba Vì", "Sở Nội vụ"."""
        if self.sub_kind:
            prefix = SubKind(self.sub_kind).label
            if not self.name.startswith(str(prefix)):
                return f"{prefix} {self.name}"
        return self.name
