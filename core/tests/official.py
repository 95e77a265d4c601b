"""Checks shared by the tests of every Word report laid out by core/official_docx.py."""

from docx.oxml.ns import qn

FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def header_texts(document) -> tuple[list[str], list[str], str, str]:
    """The header table: the issuing body's lines, the motto's lines, the number, place and date."""
    (body, nation), (number, place) = [
        [c.text for c in row.cells] for row in document.tables[0].rows
    ]
    # The last paragraph of each block is its rule, without text.
    return body.split("\n"), nation.split("\n"), number, place


def ending_texts(document) -> tuple[list[str], list[str]]:
    """The last table: the lines of "Nơi nhận", and the signer's lines without the room to sign."""
    receivers, signer = (c.text.split("\n") for c in document.tables[-1].rows[0].cells)
    return receivers, [line for line in signer if line]


def assert_times_new_roman(document) -> None:
    """Times New Roman in all four font slots of the defaults, of Normal and of every header and
    signature run, and no theme font anywhere for Word to put in its place."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    named = [
        defaults.find(qn("w:rPr")).find(qn("w:rFonts")),
        document.styles["Normal"].element.rPr.find(qn("w:rFonts")),
    ]
    for table in (document.tables[0], document.tables[-1]):
        for row in table.rows:
            for cell in row.cells:
                named += [
                    run._r.rPr.find(qn("w:rFonts")) for p in cell.paragraphs for run in p.runs
                ]
    for fonts in named:
        assert fonts is not None
        slots = {slot: fonts.get(qn(slot)) for slot in FONT_SLOTS}
        assert slots == dict.fromkeys(FONT_SLOTS, "Times New Roman"), slots
    themed = document.element.body.xpath(".//w:rFonts[@w:asciiTheme or @w:eastAsiaTheme]")
    assert not themed and not [n for f in named for n in f.attrib if n.endswith("Theme")]
