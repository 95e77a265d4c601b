"""Who issues the official documents and how their header and signature read (Decree 30/2020/NĐ-CP).

The one place that reads the organisation's identity from settings (ORGANISATION_*, REPORT_*), so
that the Word and PDF reports of every room print the same header, and a later change can give each
organiser its own letterhead by building a Letterhead from the organiser instead of from settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from .fonts import text_width_cm

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
# Type sizes of the header (points), within the decree's ranges; the motto at 12.5 so that it fits
# beside the issuing body on A4 with the left margin of 3 cm and the right of 1.5 cm.
SUPERIOR_PT, ISSUER_PT, MOTTO_PT, SLOGAN_PT, NUMBER_PT, DATE_PT = 13, 13, 12.5, 13, 13, 14
PAGE_CM = (21.0, 29.7)  # A4
MARGINS_CM = {
    "top": 2.0,
    "bottom": 2.0,
    "left": 3.0,
    "right": 1.5,
}  # the decree: 2–2.5, 3–3.5, 1.5–2
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM["left"] - MARGINS_CM["right"]
CELL_PADDING_CM = 0.6  # Word's cell margins (2 × 0.19 cm) and some air
BODY_AIR_CM = 1.0  # beside the issuing body: a clear gap between the two blocks


def lines(value: str) -> tuple[str, ...]:
    """A setting's list: items separated by ";" (the items themselves may hold commas)."""
    return tuple(item.strip().rstrip(";.").strip() for item in value.split(";") if item.strip())


@dataclass(frozen=True)
class Letterhead:
    superior: str  # "UBND THÀNH PHỐ HÀ NỘI": the body the issuer belongs to, upper case, not bold
    issuer: str  # "SỞ NỘI VỤ": upper case, bold, a short rule under it
    abbreviation: str  # "SNV": in the number, "Số:      /BC-SNV"
    place: str  # "Hà Nội": before the date
    signer_title: tuple[str, ...]  # ("GIÁM ĐỐC",) or ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    signer_name: str
    recipients: tuple[str, ...]  # "Nơi nhận", without the filing line
    filing: str  # "Lưu: VT, CCHC": the last line of "Nơi nhận"

    @classmethod
    def from_texts(
        cls,
        *,
        superior: str,
        issuer: str,
        abbreviation: str,
        place: str,
        signer_title: str,
        signer_name: str,
        recipients: str,
        filing: str,
    ) -> Letterhead:
        """From the texts people type (settings, an organiser's form): lists separated by ";"."""
        return cls(
            superior=superior.strip(),
            issuer=issuer.strip(),
            abbreviation=abbreviation.strip(),
            place=place.strip(),
            signer_title=lines(signer_title),
            signer_name=signer_name.strip(),
            recipients=lines(recipients),
            filing=filing.strip().rstrip("."),
        )

    @classmethod
    def from_settings(cls) -> Letterhead:
        return cls.from_texts(
            superior=settings.ORGANISATION_SUPERIOR,
            issuer=settings.ORGANISATION_NAME,
            abbreviation=settings.ORGANISATION_ABBREVIATION,
            place=settings.ORGANISATION_PLACE,
            signer_title=settings.REPORT_SIGNER_TITLE,
            signer_name=settings.REPORT_SIGNER_NAME,
            recipients=settings.REPORT_RECIPIENTS,
            filing=settings.REPORT_FILING,
        )

    def number_line(self, kind: str = "BC") -> str:
        # The clerk writes the number when the document is registered and sent (Decree 30, art. 15).
        return f"Số:        /{kind}-{self.abbreviation}" if self.abbreviation else "Số:        /"

    def date_line(self, issued: date, *, dated: bool = False) -> str:
        """ "Hà Nội, ngày 05 tháng 01 năm 2026"; undated, the day and month are left for the signer."""
        if dated:
            return f"{self.place}, ngày {issued:%d} tháng {issued:%m} năm {issued.year}"
        return f"{self.place}, ngày      tháng      năm {issued.year}"

    def receivers(self, recipients: tuple[str, ...] | list[str] | None = None) -> list[str]:
        """The lines of "Nơi nhận": each ends with ";", the filing line last with "."."""
        items = [*(self.recipients if recipients is None else recipients)]
        lines = [f"{item.rstrip(';.')};" for item in items]
        return [*lines, f"{self.filing}."] if self.filing else lines


def header_columns_cm(head: Letterhead) -> tuple[float, float]:
    """The widths of the header's two columns: the issuing body's as wide as its longest line needs
    (at least 6 cm), the motto's the rest, never narrower than the motto. A name too long for that
    wraps onto a second line, as the decree allows; the motto never does."""
    motto = text_width_cm(MOTTO, MOTTO_PT, bold=True) + CELL_PADDING_CM
    body = max(
        text_width_cm(head.superior, SUPERIOR_PT),
        text_width_cm(head.issuer, ISSUER_PT, bold=True),
    )
    left = min(max(6.0, body + BODY_AIR_CM), TEXT_WIDTH_CM - motto)
    return left, TEXT_WIDTH_CM - left
