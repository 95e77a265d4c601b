"""Reading the charts a page carries (core.charts.for_page images), for the rooms' page tests."""

import base64
import re
from html import unescape

PREFIX = "data:image/svg+xml;base64,"


def svgs_in(page: str) -> list[str]:
    """The SVG text of every chart image in `page`, in page order."""
    return [
        base64.b64decode(unescape(encoded)).decode()
        for encoded in re.findall(r'src="' + re.escape(PREFIX) + r'([^"]+)"', page)
    ]


def description(svg: str) -> str:
    return unescape(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1))
