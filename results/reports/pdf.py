"""A model.Report as PDF: the same blocks as the Word document, laid out in HTML and CSS and printed
by WeasyPrint (A4, the margins and type sizes of Decree 30/2020/NĐ-CP, page numbers from page two).

The header's sizes, column widths and page margins are core/letterhead.py's, as in Word. The font is
Times New Roman or its metric twin Liberation Serif 2 when one with every Vietnamese letter is
installed, else DejaVu Serif (core/fonts.py says why the check matters). Nothing is fetched from the
network: the only resources are the inline pictures.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from html import escape

from core import letterhead
from core.fonts import css_font_stack
from core.letterhead import MOTTO, SLOGAN
from results.charts import PNG_DPI

from .model import Chart, Heading, PageBreak, Paragraph, Report, Table
from .word import png_size_cm

# WeasyPrint logs every layout step at INFO; the job's progress already says what is happening.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Charts as PNG: WeasyPrint draws an SVG with thousands of text nodes (a heatmap's cells) about
# three times slower than it embeds the same picture as PNG (bench/report.py).
CHART_FORMAT = "png"

CSS = """
@page {
  size: A4;
  margin: TOPcm RIGHTcm BOTTOMcm LEFTMARGINcm;
  @top-center { content: counter(page); font-size: 14pt; font-family: FONTS; }
}
@page :first { @top-center { content: none; } }
html { font-family: FONTS;
       font-size: BODYpt; line-height: 1.25; color: #000; }
body { margin: 0; }
p { margin: 0 0 6pt 0; text-align: justify; text-indent: 1.27cm; hyphens: manual; }
.head { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: 6pt; }
.head td { vertical-align: top; text-align: center; padding: 0; border: none; }
.head td.body { width: LEFTcm; }
.head .superior { font-size: SUPERIORpt; }
.head .issuer { font-size: ISSUERpt; font-weight: bold; }
.head .motto { font-size: MOTTOpt; font-weight: bold; white-space: nowrap; }
.head .slogan { font-size: SLOGANpt; font-weight: bold; white-space: nowrap; }
/* Under the issuer a rule of half its line; under the slogan one as long as it (Decree 30). */
.head .issuer span, .head .slogan span { display: inline-block; }
.head .issuer span::after { content: ""; display: block; width: 50%; margin: 3pt auto 0 auto;
                            border-top: 0.75pt solid #000; }
.head .slogan span { border-bottom: 0.75pt solid #000; padding-bottom: 3pt; }
.head .number { font-size: NUMBERpt; padding-top: 6pt; white-space: pre; }
.head .date { font-size: DATEpt; font-style: italic; padding-top: 6pt; white-space: pre; }
.kind, .subject { text-align: center; font-weight: bold; font-size: 14pt; text-indent: 0;
                  margin: 0; }
.kind { margin-top: 12pt; }
.subject-rule { width: 4cm; margin: 2pt auto 12pt auto; border-top: 0.75pt solid #000; }
h1, h2, h3 { font-size: 14pt; font-weight: bold; margin: 6pt 0 6pt 0; text-indent: 1.27cm;
             page-break-after: avoid; }
h3 { font-style: italic; font-size: 13.5pt; }
p.note { font-size: 12pt; font-style: italic; }
table.data { width: 100%; border-collapse: collapse; margin: 0 0 3pt 0; }
table.data th, table.data td { border: 0.5pt solid #000; padding: 1.5pt 3pt; vertical-align: top; }
table.data th { background: #e7e6e6; font-weight: bold; text-align: center; }
table.data thead { display: table-header-group; }
table.data tr { page-break-inside: avoid; }
td.left { text-align: left; } td.center { text-align: center; } td.right { text-align: right; }
.caption { text-align: center; font-weight: bold; font-size: 13pt; margin: 6pt 0 3pt 0;
           text-indent: 0; page-break-after: avoid; }
.table-note { font-size: 11pt; font-style: italic; text-indent: 0; margin-bottom: 6pt; }
figure { margin: 6pt 0; text-align: center; page-break-inside: avoid; }
figure img { max-width: 100%; max-height: 22cm; }
figcaption { font-size: 12pt; font-style: italic; margin-top: 2pt; }
.page-break { page-break-after: always; }
.ending { width: 100%; margin-top: 12pt; border-collapse: collapse; page-break-inside: avoid; }
.ending td { vertical-align: top; border: none; padding: 0; }
.ending .receivers { width: 8.5cm; font-size: 11pt; }
.ending .receivers .title { font-size: 12pt; font-weight: bold; font-style: italic; }
.ending .signer { text-align: center; font-size: 14pt; font-weight: bold; }
.ending .signer .space { height: 3cm; }
"""


def html(report: Report, on_progress: Callable[[int, str], None] | None = None) -> str:
    """The report as one self-contained HTML page."""
    parts = [
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">',
        f"<title>{escape(report.kind_title)} {escape(report.subject)}</title>",
        f"<style>{_css(report)}</style></head><body>",
        _header(report),
    ]
    total = len(report.blocks)
    for done, block in enumerate(report.blocks, start=1):
        parts.append(_block(block))
        if on_progress is not None:
            on_progress(done, total)
    parts.append(_ending(report))
    parts.append("</body></html>")
    return "".join(parts)


def render(report: Report, on_progress: Callable[[int, str], None] | None = None) -> bytes:
    return print_html(html(report, on_progress))


def print_html(page: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=page).write_pdf(pdf_identifier=b"parindex-report")


def _css(report: Report) -> str:
    left, _right = letterhead.header_columns_cm(report.letterhead)
    margins = letterhead.MARGINS_CM
    sizes = {
        "BODY": report.body_pt,
        "LEFTMARGIN": margins["left"],
        "LEFT": round(left, 2),
        "TOP": margins["top"],
        "RIGHT": margins["right"],
        "BOTTOM": margins["bottom"],
        "SUPERIOR": letterhead.SUPERIOR_PT,
        "ISSUER": letterhead.ISSUER_PT,
        "MOTTO": letterhead.MOTTO_PT,
        "SLOGAN": letterhead.SLOGAN_PT,
        "NUMBER": letterhead.NUMBER_PT,
        "DATE": letterhead.DATE_PT,
    }
    css = CSS.replace("FONTS", css_font_stack())
    for name, value in sizes.items():  # LEFTMARGIN before LEFT: the longer name first
        css = css.replace(f"{name}pt", f"{_pt(value)}pt").replace(f"{name}cm", f"{_pt(value)}cm")
    return css


def _pt(value: float) -> str:
    return f"{value:g}"


def _header(report: Report) -> str:
    head = report.letterhead
    superior = f'<div class="superior">{escape(head.superior)}</div>' if head.superior else ""
    return (
        '<table class="head"><tr>'
        f'<td class="body">{superior}<div class="issuer"><span>{escape(head.issuer)}</span></div></td>'
        f'<td><div class="motto">{escape(MOTTO)}</div>'
        f'<div class="slogan"><span>{escape(SLOGAN)}</span></div></td></tr>'
        f'<tr><td class="number">{escape(report.number_line)}</td>'
        f'<td class="date">{escape(report.date_line)}</td></tr></table>'
        f'<p class="kind">{escape(report.kind_title)}</p>'
        f'<p class="subject">{escape(report.subject)}</p><div class="subject-rule"></div>'
    )


def _block(block) -> str:
    if isinstance(block, Heading):
        tag = f"h{min(block.level, 3)}"
        return f"<{tag}>{escape(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        css = ' class="note"' if block.kind == "note" else ""
        return f"<p{css}>{''.join(_run(r) for r in block.runs)}</p>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        if CHART_FORMAT == "svg":
            svg = block.draw("svg")
            data, mime = base64.b64encode(svg.encode()).decode(), "image/svg+xml"
            width = min(block.width_cm, _svg_width_cm(svg))
        else:
            png = block.draw("png")
            data, mime = base64.b64encode(png).decode(), "image/png"
            width = min(block.width_cm, png_size_cm(png, PNG_DPI)[0])
        return (
            f'<figure><img src="data:{mime};base64,{data}" alt="{escape(block.caption)}" '
            f'style="width:{width:.2f}cm"><figcaption>{escape(block.caption)}</figcaption>'
            "</figure>"
        )
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    raise TypeError(f"unknown block {block!r}")


def _svg_width_cm(svg: str) -> float:
    """The natural width of a matplotlib SVG (width="590.4pt"), so that a small chart is not blown
    up past its type size."""
    match = re.search(r'<svg[^>]*\swidth="([0-9.]+)pt"', svg)
    return float(match.group(1)) / 72 * 2.54 if match else 16.0


def _run(run) -> str:
    text = escape(run.text)
    if run.bold:
        text = f"<b>{text}</b>"
    if run.italic:
        text = f"<i>{text}</i>"
    return text


def _table(block: Table) -> str:
    total = sum(c.width_cm for c in block.columns)
    cols = "".join(f'<col style="width:{100 * c.width_cm / total:.2f}%">' for c in block.columns)
    head = "".join(f"<th>{escape(c.title)}</th>" for c in block.columns)
    aligns = [c.align for c in block.columns]
    rows = []
    for number, values in enumerate(block.rows):
        cells = "".join(
            f'<td class="{align}">{escape(value)}</td>'
            for value, align in zip(values, aligns, strict=True)
        )
        style = ' style="font-weight:bold"' if number in block.bold_rows else ""
        rows.append(f"<tr{style}>{cells}</tr>")
    caption = f'<p class="caption">{escape(block.caption)}</p>' if block.caption else ""
    note = f'<p class="table-note">{escape(block.note)}</p>' if block.note else ""
    return (
        f'{caption}<table class="data" style="font-size:{_pt(block.size_pt)}pt">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{note}"
    )


def _ending(report: Report) -> str:
    head = report.letterhead
    receivers = "".join(f"<div>- {escape(line)}</div>" for line in report.receivers)
    signer = "".join(f"<div>{escape(line)}</div>" for line in head.signer_title)
    name = f"<div>{escape(head.signer_name)}</div>" if head.signer_name else ""
    return (
        '<table class="ending"><tr>'
        f'<td class="receivers"><div class="title">Nơi nhận:</div>{receivers}</td>'
        f'<td class="signer">{signer}<div class="space"></div>{name}</td>'
        "</tr></table>"
    )
