"""The content security policy allows no inline style or script (ops.middleware): no template may carry one,
or the browser ignores it (the results progress bar read "100%" while a quarter full)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
INLINE = re.compile(r"\sstyle\s*=|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def templates() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    ]


def test_no_template_has_an_inline_style_or_script():
    found = {
        str(path.relative_to(ROOT)): match.group(0)
        for path in templates()
        for match in [INLINE.search(path.read_text())]
        if match
    }
    assert len(templates()) > 50
    assert found == {}
