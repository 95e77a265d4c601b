"""Charts of a results snapshot, the same for the public pages and the printed reports.

Each function takes rows from results/analysis.py (or snapshot units) and returns SVG text
(`fmt="svg"`, the default: text kept as text, with a <title> and <desc> for screen readers) or PNG
bytes (`fmt="png"`, for Word and PDF), drawn with the platform's one chart helper, core/charts.py.
"""

from __future__ import annotations

import base64
import math

import matplotlib
from matplotlib.ticker import MaxNLocator

# The shared drawing helpers live in core (the staff boards draw with them too); re-exported here for
# the reports, which import them from this module.
from core.charts import (  # noqa: F401
    _RC,
    BAR,
    BAR_LIGHT,
    BEST,
    GRID,
    HEAT,
    INK,
    MEAN,
    MISSING,
    MUTED,
    PNG_DPI,
    _axes,
    _empty,
    _figure,
    _render,
    _short,
    number,
)
from core.formats import percent, points  # noqa: F401 (the report's chart texts)


def rank_label(unit: dict) -> str:
    """ "12 (9–16)": the rank and, when it differs, its interval; "–" for an unranked unit."""
    rank = unit.get("rank")
    if rank is None:
        return "–"
    low, high = unit.get("rank_low"), unit.get("rank_high")
    if low is None or high is None or low == high == rank:
        return str(rank)
    return f"{rank} ({low}–{high})"


def ranking_bars(
    units: list[dict], fmt: str = "svg", title: str = "Chỉ số CCHC theo đơn vị"
) -> str | bytes:
    """The index of each unit of a group (snapshot units), highest first, with its rank and interval."""
    rows = [u for u in units if u.get("index") is not None]
    if not rows:
        return _empty(fmt, title)
    rows.sort(key=lambda u: (u.get("rank") or math.inf, -u["index"], u["name"]))
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 0.9 + 0.24 * len(rows))
        ax = _axes(fig)
        positions = range(len(rows))
        values = [u["index"] for u in rows]
        ax.barh(positions, values, color=BAR, height=0.7)
        ax.set_yticks(
            list(positions), [f"{u.get('rank') or '–'}. {_short(u['name'])}" for u in rows]
        )
        ax.invert_yaxis()
        low = min(values)
        ax.set_xlim(max(0.0, math.floor(low / 10) * 10 - 10), 100 + 14)
        ax.set_xticks([t for t in range(0, 101, 10) if t >= ax.get_xlim()[0]])
        ax.xaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        ax.set_xlabel("Chỉ số (%)")
        for pos, unit in zip(positions, rows, strict=True):
            ax.text(
                unit["index"] + 0.6,
                pos,
                f"{points(unit['index'])}  hạng {rank_label(unit)}",
                va="center",
                fontsize=7.5,
                color=INK,
                in_layout=False,
            )
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    best, worst = rows[0], rows[-1]
    desc = (
        f"Chỉ số của {len(rows)} đơn vị, xếp từ cao xuống thấp. Cao nhất: {best['name']} "
        f"{percent(best['index'])}; thấp nhất: {worst['name']} {percent(worst['index'])}. "
        "Bên cạnh mỗi đơn vị là thứ hạng và khoảng thứ hạng 90\u00a0%."
    )
    return _render(fig, fmt, title, desc)


def domain_profile(
    rows: list[dict], fmt: str = "svg", title: str = "Chỉ số theo lĩnh vực so với khối"
) -> str | bytes:
    """A unit's index per domain (analysis.domain_comparison rows) against its group's mean and best.

    Bonus and penalty parts are in points, not a percentage, and are left out of the chart.
    """
    rows = [r for r in rows if not r.get("extra") and r.get("value") is not None]
    if not rows:
        return _empty(fmt, title)
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 1.2 + 0.42 * len(rows))
        ax = _axes(fig)
        positions = list(range(len(rows)))
        bars = ax.barh(positions, [r["value"] for r in rows], color=BAR, height=0.6, label="Đơn vị")
        means = [(p, r["group_mean"]) for p, r in zip(positions, rows, strict=True)]
        bests = [(p, r["group_best"]) for p, r in zip(positions, rows, strict=True)]
        mean_marks = ax.scatter(
            [v for _, v in means if v is not None],
            [p for p, v in means if v is not None],
            marker="|",
            s=260,
            linewidths=2.5,
            color=MEAN,
            zorder=3,
            label="Trung bình khối",
        )
        best_marks = ax.scatter(
            [v for _, v in bests if v is not None],
            [p for p, v in bests if v is not None],
            marker="D",
            s=22,
            color=BEST,
            zorder=3,
            label="Cao nhất khối",
        )
        ax.set_yticks(positions, [_short(f"{r['code']}. {r['title']}", 44) for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, 114)
        ax.set_xticks(range(0, 101, 20))
        ax.xaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        ax.set_xlabel("Chỉ số lĩnh vực (%)")
        for pos, row in zip(positions, rows, strict=True):
            ax.text(103, pos, number(row["value"], 1), va="center", fontsize=7.5, in_layout=False)
        ax.legend(
            handles=[bars, mean_marks, best_marks],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=3,
            frameon=False,
        )
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold", pad=22)
    parts = [
        f"{r['code']}. {r['title']}: {percent(r['value'])} "
        f"(trung bình khối {percent(r['group_mean'])}, cao nhất {percent(r['group_best'])})"
        for r in rows
    ]
    return _render(fig, fmt, title, "; ".join(parts) + ".")


def heatmap(
    data: dict, fmt: str = "svg", title: str = "Chỉ số theo đơn vị và lĩnh vực"
) -> str | bytes:
    """Units × domains (analysis.heatmap output), a colour per index, the number in each cell when the
    map is small enough to read it; a missing value is a grey cell."""
    domains, rows = data.get("domains", []), data.get("rows", [])
    if not domains or not rows:
        return _empty(fmt, title)
    import numpy as np

    values = np.array(
        [[math.nan if v is None else v for v in row["values"]] for row in rows], dtype=float
    )
    masked = np.ma.masked_invalid(values)
    annotate = len(rows) * len(domains) <= 600
    with matplotlib.rc_context(_RC):
        fig = _figure(3.4 + 0.6 * len(domains), 1.6 + 0.22 * len(rows))
        ax = fig.add_subplot()
        cmap = HEAT.with_extremes(bad=MISSING)
        image = ax.imshow(masked, aspect="auto", cmap=cmap, vmin=50, vmax=100)
        ax.set_xticks(range(len(domains)), [code for code, _ in domains])
        ax.xaxis.set_ticks_position("top")
        ax.set_yticks(
            range(len(rows)),
            [
                _short(r["name"], 32)
                if r.get("rank") is None
                else f"{r['rank']}. {_short(r['name'], 32)}"
                for r in rows
            ],
        )
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if annotate:
            for i, row in enumerate(rows):
                for j, value in enumerate(row["values"]):
                    if value is not None:
                        ax.text(
                            j,
                            i,
                            number(value, 0),
                            ha="center",
                            va="center",
                            fontsize=7,
                            color="white" if value < 70 or value >= 92 else INK,
                            in_layout=False,
                        )
        bar = fig.colorbar(image, ax=ax, shrink=min(1.0, 6 / max(len(rows), 1) + 0.3), pad=0.02)
        bar.set_label("Chỉ số lĩnh vực (%)")
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    legend = "; ".join(f"{code}: {name}" for code, name in domains)
    desc = (
        f"Bảng màu chỉ số của {len(rows)} đơn vị (hàng, theo thứ hạng) ở {len(domains)} lĩnh vực "
        f"(cột): {legend}. Màu đỏ là thấp, xanh là cao; ô xám là chưa có số liệu."
    )
    return _render(fig, fmt, title, desc)


def distribution(
    bins: list[tuple[float, int]], fmt: str = "svg", title: str = "Phân bố chỉ số CCHC"
) -> str | bytes:
    """How many units fall in each index bin (analysis.distribution output: [(start, count)])."""
    if not bins:
        return _empty(fmt, title)
    starts = [float(start) for start, _ in bins]
    width = starts[1] - starts[0] if len(starts) > 1 else 5.0
    counts = [count for _, count in bins]
    labels = [f"{number(s, 0)}–{number(s + width, 0)}" for s in starts]
    with matplotlib.rc_context(_RC):
        fig = _figure(max(4.5, 0.55 * len(bins) + 1.5), 3.0)
        ax = _axes(fig)
        ax.bar(range(len(bins)), counts, color=BAR, width=0.85)
        ax.set_xticks(range(len(bins)), labels, rotation=45 if len(bins) > 8 else 0, ha="center")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.yaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        ax.set_xlabel("Chỉ số (%)")
        ax.set_ylabel("Số đơn vị")
        for pos, count in enumerate(counts):
            if count:
                ax.text(
                    pos, count, str(count), ha="center", va="bottom", fontsize=7.5, in_layout=False
                )
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    desc = "Số đơn vị theo khoảng chỉ số: " + "; ".join(
        f"{label}\u00a0%: {count}" for label, count in zip(labels, counts, strict=True)
    )
    return _render(fig, fmt, title, desc + ".")


def history(
    rows: list[dict], fmt: str = "svg", title: str = "Chỉ số CCHC qua các năm"
) -> str | bytes:
    """A unit's index over the years (analysis.history rows: year, index, rank), its rank beside each
    point."""
    rows = [r for r in rows if r.get("index") is not None]
    if not rows:
        return _empty(fmt, title)
    years = [r["year"] for r in rows]
    values = [r["index"] for r in rows]
    with matplotlib.rc_context(_RC):
        fig = _figure(max(4.0, 1.1 * len(rows) + 2), 2.8)
        ax = _axes(fig)
        ax.plot(years, values, color=BAR, marker="o", linewidth=2)
        ax.set_xticks(years, [str(y) for y in years])
        if len(years) == 1:
            ax.set_xlim(years[0] - 1, years[0] + 1)
        low, high = min(values), max(values)
        ax.set_ylim(max(0.0, math.floor(low / 5) * 5 - 5), math.ceil(high / 5) * 5 + 6)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
        ax.yaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        ax.set_ylabel("Chỉ số (%)")
        for row in rows:
            text = points(row["index"])
            if row.get("rank") is not None:
                text += f"\nhạng {row['rank']}"
            ax.annotate(
                text,
                (row["year"], row["index"]),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=7.5,
                in_layout=False,
            )
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    desc = "; ".join(
        f"Năm {r['year']}: {percent(r['index'])}"
        + (f", hạng {r['rank']}" if r.get("rank") is not None else "")
        for r in rows
    )
    return _render(fig, fmt, title, desc + ".")


def forecast_intervals(
    rows: list[dict], fmt: str = "svg", title: str = "Dự báo chỉ số CCHC"
) -> str | bytes:
    """Each unit's forecast with its interval (rows: name, point, low, high, last), last year's
    index as a hollow mark beside it."""
    if not rows:
        return _empty(fmt, title)
    with matplotlib.rc_context(_RC):
        fig = _figure(4.8, 0.9 + 0.3 * len(rows))
        ax = _axes(fig)
        positions = list(range(len(rows)))
        points = [r["point"] for r in rows]
        ax.errorbar(
            points,
            positions,
            xerr=[[r["point"] - r["low"] for r in rows], [r["high"] - r["point"] for r in rows]],
            fmt="o",
            color=BAR,
            ecolor=BAR_LIGHT,
            elinewidth=3,
            capsize=0,
            label="Dự báo (khoảng 90 %)",
        )
        last = [(r["last"], pos) for r, pos in zip(rows, positions, strict=True) if r["last"]]
        if last:
            ax.scatter(
                [x for x, _ in last],
                [y for _, y in last],
                facecolors="none",
                edgecolors=MEAN,
                label="Năm trước",
            )
        ax.set_yticks(positions, [_short(r["name"], 24) for r in rows])
        ax.invert_yaxis()
        low = min(min(r["low"] for r in rows), min((x for x, _ in last), default=100))
        ax.set_xlim(max(0.0, math.floor(low / 10) * 10 - 5), 100)
        ax.xaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        ax.set_xlabel("Chỉ số (%)")
        ax.legend(loc="lower left", fontsize=7.5, frameon=False)
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    desc = "; ".join(
        f"{r['name']}: dự báo {number(r['point'])} % ({number(r['low'])}–{number(r['high'])})"
        + (f", năm trước {number(r['last'])} %" if r["last"] is not None else "")
        for r in rows
    )
    return _render(fig, fmt, title, desc + ".")


def data_uri(svg: str) -> str:
    """An SVG chart as an <img> source: the page carries it with no second request, and its own
    styles stay inside the image, out of the page's content security policy."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# Line colours of the review's trends, in order (the first is the city's mean).
TREND_COLOURS = (INK, BAR, BEST, MEAN, "#7c3aed", "#db2777", "#0891b2", MUTED)


def trend_lines(
    years: list[int],
    series: list[tuple[str, list]],
    fmt: str = "svg",
    title: str = "Xu hướng qua các năm",
    ylabel: str = "Chỉ số (%)",
) -> str | bytes:
    """Several series over the same years (the five-year review): one line each, a year with no value
    left as a gap; the description carries every figure."""
    series = [(label, values) for label, values in series if any(v is not None for v in values)]
    if not series:
        return _empty(fmt, title)
    with matplotlib.rc_context(_RC):
        fig = _figure(7.0, 3.2)
        ax = _axes(fig)
        for i, (label, values) in enumerate(series):
            ys = [math.nan if v is None else v for v in values]
            colour = TREND_COLOURS[i % len(TREND_COLOURS)]
            ax.plot(years, ys, color=colour, marker="o", linewidth=2, label=_short(label, 34))
        ax.set_xticks(years, [str(y) for y in years])
        found = [v for _, values in series for v in values if v is not None]
        ax.set_ylim(max(0.0, math.floor(min(found) / 5) * 5 - 5), math.ceil(max(found) / 5) * 5 + 5)
        ax.yaxis.grid(True, color=GRID)
        ax.set_axisbelow(True)
        ax.set_ylabel(ylabel)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    desc = "; ".join(
        label
        + ": "
        + ", ".join(f"{y} {number(v)}" for y, v in zip(years, values, strict=True) if v is not None)
        for label, values in series
    )
    return _render(fig, fmt, title, desc + ".")
