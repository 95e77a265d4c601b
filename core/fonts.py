"""The serif of the official documents: whether one with every Vietnamese letter is installed, and
how wide a line of it is.

Official documents are set in Times New Roman; Liberation Serif 2 (Debian's fonts-liberation2, which
.ci/run installs) has the same metrics and every Vietnamese letter. Liberation Serif 1.x (Debian's
fonts-liberation) lacks "ơ", "ư", "ệ"…: WeasyPrint would then take those letters alone from another
font, a word printed in two typefaces, so the font is checked, not assumed. Fonts are looked up
through fontconfig (`fc-match`), as WeasyPrint finds them, so a font installed after matplotlib built
its cache is still seen.
"""

from __future__ import annotations

import subprocess
import unicodedata
from functools import cache

SERIFS = ("Times New Roman", "Liberation Serif")
SERIF_STACK = '"Times New Roman", "Liberation Serif", serif'
FALLBACK_STACK = '"DejaVu Serif", serif'
VIETNAMESE = "ĂÂĐÊÔƠƯăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
POINTS_PER_CM = 72 / 2.54


@cache
def font_file(family: str, bold: bool = False, italic: bool = False) -> str | None:
    """The file fontconfig gives for the family, or None when it would substitute another family."""
    pattern = family + (":bold" if bold else "") + (":italic" if italic else "")
    try:
        answer = subprocess.run(  # noqa: S603 (our own arguments, no shell)
            ["fc-match", "--format", "%{family}\n%{file}", pattern],  # noqa: S607 (fontconfig's tool)
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, path = answer.partition("\n")
    return path if family in families.split(",") else None


@cache
def covers_vietnamese(family: str) -> bool:
    from matplotlib.ft2font import FT2Font

    path = font_file(family)
    if path is None:
        return False
    try:
        charmap = FT2Font(path).get_charmap()
    except (RuntimeError, OSError, ValueError):
        return False
    return all(ord(letter) in charmap for letter in VIETNAMESE)


def css_font_stack() -> str:
    """The CSS font-family of the PDF: Times New Roman or its metric twin when one has every letter."""
    return SERIF_STACK if any(covers_vietnamese(f) for f in SERIFS) else FALLBACK_STACK


def text_width_cm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width of one line of Times New Roman (measured on its metric twin when that is what is
    installed); without either, an estimate from the letters' usual widths."""
    from matplotlib.ft2font import FT2Font, LoadFlags

    text = unicodedata.normalize("NFC", text)
    for family in SERIFS:
        path = font_file(family, bold, italic)
        if path is not None:
            font = FT2Font(path)
            font.set_size(size_pt, 72)
            font.set_text(text, 0, flags=LoadFlags.NO_HINTING)  # the printed, unhinted width
            return font.get_width_height()[0] / 64 / POINTS_PER_CM
    upper = sum(1 for c in text if c.isupper())
    return (upper * 0.72 + (len(text) - upper) * 0.47) * size_pt * (1.05 if bold else 1) / 72 * 2.54
