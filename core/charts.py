"""The one chart helper of the platform: matplotlib to SVG (for pages) or PNG (for Word and PDF).

Rooms draw their charts with it: results/charts.py (the public site and the printed reports), the staff
boards (assessments, surveys, reporting) with `progress`. Output is deterministic: the same input gives
the same bytes (fixed SVG id salt, no dates or software names in the metadata). Matplotlib's object API
is used, not pyplot, so nothing global is kept between calls; DejaVu Sans carries the Vietnamese
diacritics and is shipped with matplotlib itself, so no system font and no CDN is needed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from html import escape, unescape

import matplotlib
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import formats

INK = "#1f2937"
MUTED = "#6b7280"
BAR = "#2563eb"
BAR_LIGHT = "#93c5fd"
MEAN = "#f59e0b"
BEST = "#059669"
GRID = "#e5e7eb"
MISSING = "#d1d5db"
# Red (low) to amber to green (high), readable in greyscale print as light-to-dark is not needed:
# cells carry their number when there is room.
HEAT = LinearSegmentedColormap.from_list("parindex", ["#b91c1c", "#f59e0b", "#fde68a", "#15803d"])

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "parindex",
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
}
# Set once for the process as well as around each chart: rc_context restores the values it found,
# so two threads drawing at once (a threaded web server) can only ever restore these same values.
matplotlib.rcParams.update(_RC)
_SVG_META = {"Date": None, "Creator": None, "Format": None, "Type": None}
_PNG_META = {"Software": None}
PNG_DPI = 150


def number(value: float | None, places: int = 2) -> str:
    """A number as the formatter writes it ("85,12"; core/formats.py); an en dash for no value."""
    return formats.number(value, places)


_COMMA = FuncFormatter(lambda value, _pos: number(value, 0 if float(value).is_integer() else 1))


def _short(text: str, limit: int = 38) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _render(fig: Figure, fmt: str, title: str, desc: str) -> str | bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        if fmt == "png":
            fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata=_PNG_META)
            return buffer.getvalue()
        if fmt != "svg":
            raise ValueError(f"unknown chart format {fmt!r}")
        fig.savefig(buffer, format="svg", metadata=_SVG_META)
    svg = buffer.getvalue().decode()
    # A role and an accessible name on the root element, the title and description first inside it.
    start = svg.index("<svg")
    end = svg.index(">", start)
    head = svg[start:end]
    # Ids unique per chart content (a page may hold several charts), yet the same for the same input.
    key = (
        "chart-"
        + hashlib.sha1((title + "\0" + desc).encode(), usedforsecurity=False).hexdigest()[:10]
    )
    head = head.replace("<svg", f'<svg role="img" aria-labelledby="{key}-title {key}-desc"', 1)
    return (
        svg[:start]
        + head
        + ">\n"
        + f'<title id="{key}-title">{escape(title)}</title>\n'
        + f'<desc id="{key}-desc">{escape(desc)}</desc>'
        + svg[end + 1 :]
    )


def for_page(svg: str) -> dict:
    """A chart to put in a page as `<img src alt>` (templates/components/chart.html): the SVG as a data
    address, since matplotlib's SVG styles its shapes with style attributes that the pages' content
    security policy refuses inline; inside an image they are the image's own. The alternative text is
    the chart's title and description, figures included."""
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    alt = ". ".join(unescape(m.group(1)).strip(" .") for m in (title, desc) if m) + "."
    encoded = base64.b64encode(svg.encode()).decode()
    return {"src": f"data:image/svg+xml;base64,{encoded}", "alt": alt}


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def _axes(fig: Figure):
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_formatter(_COMMA)
    ax.yaxis.set_major_formatter(_COMMA)
    return ax


def _empty(fmt: str, title: str, message: str = "Chưa có số liệu.") -> str | bytes:
    with matplotlib.rc_context(_RC):
        fig = _figure(6, 1.2)
        fig.text(0.5, 0.5, message, ha="center", va="center", color=MUTED)
        return _render(fig, fmt, title, message)


# Stacked segments of a progress bar, from the most done to the least (the last one is "not started").
PROGRESS_COLOURS = (BEST, BAR, MEAN, MISSING)


def percent(part: int, whole: int) -> str:
    """ "62 %" of a count against a total (one spacing rule: a space before %); "–" for no total."""
    if not whole:
        return "–"
    return f"{number(100 * part / whole, 0)} %"


def progress(
    rows: list[dict], series: list[str], title: str, fmt: str = "svg", unit: str = ""
) -> str | bytes:
    """Progress of several groups toward a total, one horizontal bar per group.

    `rows`: [{"label": "Khối UBND xã, phường", "counts": [12, 5], "total": 20}], `counts` in the order of
    `series` ("Đã nộp", "Đang làm"…), stacked left to right; what is left to the total shows as the
    grey track. A count may pass its total (more responses than the target): the bar runs past the
    track and the figure says so. `unit` names what is counted ("đơn vị", "phiếu") in the description.
    """
    rows = [r for r in rows if r.get("total") or any(r.get("counts", ()))]
    if not rows:
        return _empty(fmt, title)
    colours = PROGRESS_COLOURS[: len(series)]
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 1.1 + 0.42 * len(rows))
        ax = _axes(fig)
        positions = list(range(len(rows)))
        top = max(max(r["total"], sum(r["counts"])) for r in rows) or 1
        ax.barh(positions, [r["total"] for r in rows], color=GRID, height=0.7)
        left = [0] * len(rows)
        handles = []
        for index, (name, colour) in enumerate(zip(series, colours, strict=True)):
            values = [r["counts"][index] for r in rows]
            handles.append(
                ax.barh(positions, values, left=left, color=colour, height=0.7, label=name)
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(positions, [_short(r["label"], 34) for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.28)
        ax.xaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        for pos, row in zip(positions, rows, strict=True):
            done = row["counts"][0]
            ax.text(
                max(row["total"], sum(row["counts"])) + top * 0.01,
                pos,
                f"{number(done, 0)}/{number(row['total'], 0)} ({percent(done, row['total'])})",
                va="center",
                fontsize=7.5,
                in_layout=False,
            )
        if len(series) > 1:
            ax.legend(
                handles=handles,
                loc="lower left",
                bbox_to_anchor=(0.0, 1.0),
                ncols=len(series),
                frameon=False,
            )
        ax.set_title(
            title, loc="left", fontsize=10, fontweight="bold", pad=22 if len(series) > 1 else 6
        )
    parts = []
    for row in rows:
        counted = ", ".join(
            f"{name.lower()} {number(count, 0)}"
            for name, count in zip(series, row["counts"], strict=True)
        )
        parts.append(
            f"{row['label']}: {counted} trên tổng {number(row['total'], 0)} {unit}".rstrip()
        )
    return _render(fig, fmt, title, "; ".join(parts) + ".")
