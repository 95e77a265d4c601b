"""The printable paper questionnaire of a unit: one numbered form after another in one PDF (each form
starts on a new page), the organiser's letterhead at its head, its number in large type and a QR code
carrying its reference (`PX-<wave>-<unit code>-<number>`, services/paper.py), which the data-entry
screen reads typed or scanned. Every question with its options numbered as the clerk keys them.
Printed by WeasyPrint; nothing is fetched from the network (the QR codes are inline pictures)."""

from html import escape

from core import letterhead as lh
from core.fonts import css_font_stack
from cycles.organisers import letterhead_of

from .services import paper

CSS = """
@page { size: A4; margin: 1.5cm 1.5cm 1.5cm 2cm;
        @bottom-right { content: "PAGE_REF · trang " counter(page); font-size: 9pt; } }
html { font-family: FONTS; font-size: 11pt; line-height: 1.25; color: #000; }
body { margin: 0; }
.form { page-break-before: always; }
.form:first-child { page-break-before: auto; }
.head { width: 100%; border-collapse: collapse; }
.head td { vertical-align: top; text-align: center; padding: 0; }
.superior { font-size: 11pt; } .issuer { font-size: 11pt; font-weight: bold; }
.motto { font-size: 10.5pt; font-weight: bold; } .slogan { font-size: 11pt; font-weight: bold; }
.ident { width: 100%; border-collapse: collapse; margin: 8pt 0; }
.ident td { vertical-align: middle; padding: 0; }
.ident img { width: 3cm; height: 3cm; }
.number { font-size: 20pt; font-weight: bold; }
.ref { font-family: monospace; font-size: 10pt; }
h1 { font-size: 14pt; text-align: center; margin: 6pt 0; }
h2 { font-size: 12pt; margin: 10pt 0 4pt 0; border-bottom: 0.5pt solid #000; }
.q { margin: 0 0 5pt 0; page-break-inside: avoid; }
.q .label { font-weight: bold; }
.q .opts { margin-left: 0.6cm; }
.q .opt { display: inline-block; margin-right: 0.5cm; }
.box { display: inline-block; width: 9pt; height: 9pt; border: 0.75pt solid #000;
       margin-right: 3pt; vertical-align: -1pt; }
.line { border-bottom: 0.5pt dotted #000; height: 14pt; margin-left: 0.6cm; }
.note { font-size: 9.5pt; font-style: italic; }
"""


def _qr(reference: str) -> str:
    import segno

    return segno.make(reference, error="m").png_data_uri(scale=6, border=2)


def _question(number: int, question) -> str:
    label = f'<span class="label">Câu {number}. {escape(question.label)}</span>'
    if question.type in paper.OPTION_TYPES:
        options = "".join(
            f'<span class="opt"><span class="box"></span>{i}. {escape(text)}</span>'
            for i, (_value, text) in enumerate(question.options, start=1)
        )
        hint = " <i>(có thể chọn nhiều)</i>" if question.type == "multiple" else ""
        return f'<div class="q">{label}{hint}<div class="opts">{options}</div></div>'
    return f'<div class="q">{label}<div class="line"></div></div>'


def _form(head: str, wave, unit, number: int, questions) -> str:
    reference = paper.reference(wave.pk, unit.code, number)
    body, counter = [], 0
    for question in questions:
        if question.type == "section":
            body.append(f"<h2>{escape(question.label)}</h2>")
            continue
        counter += 1
        body.append(_question(counter, question))
    return (
        f'<section class="form">{head}'
        f'<table class="ident"><tr><td><h1>{escape(wave.title)}</h1>'
        f"<p>Đơn vị được đánh giá: <b>{escape(unit.display_name)}</b></p>"
        f'<p class="number">Phiếu số {number:04d}</p>'
        f'<p class="ref">{escape(reference)}</p></td>'
        f'<td><img src="{_qr(reference)}" alt="{escape(reference)}"></td></tr></table>'
        '<p class="note">Phiếu không ghi tên. Đánh dấu ✗ vào ô chọn; mỗi câu một lựa chọn trừ câu '
        "ghi có thể chọn nhiều.</p>" + "".join(body) + "</section>"
    )


def forms_pdf(wave, unit, numbers) -> bytes:
    from weasyprint import HTML

    organiser = wave.cycle.organiser
    header = letterhead_of(organiser.code if organiser else None)
    head = (
        '<table class="head"><tr>'
        f'<td><div class="superior">{escape(header.superior)}</div>'
        f'<div class="issuer">{escape(header.issuer)}</div></td>'
        f'<td><div class="motto">{lh.MOTTO}</div><div class="slogan">{lh.SLOGAN}</div></td>'
        "</tr></table>"
    )
    questions = paper.questions_of(wave.version)
    css = CSS.replace("FONTS", css_font_stack()).replace(
        "PAGE_REF", f"{escape(wave.title)} · {escape(unit.code)}".replace('"', "'")
    )
    forms = "".join(_form(head, wave, unit, n, questions) for n in numbers)
    html = f'<html lang="vi"><head><style>{css}</style></head><body>{forms}</body></html>'
    return HTML(string=html).write_pdf()
