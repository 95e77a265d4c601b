"""The content of a report, independent of the file format: Word and PDF render the same blocks.

A Report is the administrative document of Decree 30/2020/NĐ-CP: the header (issuing body, national
motto, number, place and date), the type and subject of the document, the body as a list of blocks,
the recipients and the signature. Blocks are plain data; a Chart holds the function that draws it, so
that Word asks for a PNG and PDF for an SVG of the same picture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from core.letterhead import Letterhead


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Heading:
    """Level 1: "I. TỔNG QUAN" (upper case); level 2: "1. Khối …"; level 3: "a) …"."""

    level: int
    text: str


@dataclass
class Paragraph:
    runs: list[Run]
    kind: str = "body"  # body | note | bullet | closing

    @classmethod
    def of(cls, text: str, kind: str = "body", lead: str = "") -> Paragraph:
        runs = [Run(lead, bold=True)] if lead else []
        return cls([*runs, Run(text)], kind)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Column:
    title: str
    width_cm: float
    align: str = "left"  # left | center | right


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[str]]
    caption: str = ""
    note: str = ""
    size_pt: float = 11
    bold_rows: frozenset[int] = frozenset()  # indexes of rows set in bold (totals)


@dataclass
class Chart:
    """A picture drawn on demand: `draw(fmt)` returns PNG bytes or SVG text (results/charts.py)."""

    draw: Callable[[str], bytes | str]
    caption: str
    width_cm: float = 16.0


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Chart | PageBreak


@dataclass
class Report:
    kind_title: str  # "BÁO CÁO"
    subject: str  # the trích yếu under the title
    issued: date
    letterhead: Letterhead  # who issues and signs it (core/letterhead.py, from settings)
    blocks: list[Block] = field(default_factory=list)
    # "Nơi nhận" before the filing line; None: the letterhead's standing recipients.
    recipients: list[str] | None = None
    kind_code: str = "BC"  # the document type in the number: "Số:      /BC-SNV"
    body_pt: float = 14

    @property
    def number_line(self) -> str:
        return self.letterhead.number_line(self.kind_code)

    @property
    def date_line(self) -> str:
        # The day and month are written when the document is signed; the year is the issue year.
        return self.letterhead.date_line(self.issued)

    @property
    def receivers(self) -> list[str]:
        return self.letterhead.receivers(self.recipients)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]
