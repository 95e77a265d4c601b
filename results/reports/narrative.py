"""Figures and sentences read from a snapshot, in Vietnamese: written once, used by every document.

`group_figures` gathers what the text says about a ranking group; the functions after it turn those
figures into sentences (decimal comma, "tăng"/"giảm", units named). Nothing here knows about Word,
PDF or Excel.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean, median

from results import analysis

from .text import group_phrase, join, movement, number, percent, points

MEANINGFUL = 0.95  # P(ahead of the next unit) from which a difference is called real


def cap(text: str) -> str:
    """The first letter in upper case, the rest untouched (str.capitalize lowers "Sở")."""
    return text[:1].upper() + text[1:]


def _share(points, maximum) -> float | None:
    return 100 * points / maximum if maximum and points is not None else None


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(mean(values), 2) if values else None


@dataclass
class GroupFigures:
    name: str
    units: list[dict]
    indexed: list[dict]
    mean_index: float | None
    median_index: float | None
    mean_change: float | None
    comparable: int
    best: list[dict]
    worst: list[dict]
    bands: list[tuple[str, int]]
    appraisal_percent: float | None
    survey_percent: float | None
    pairs: int
    distinct_pairs: int
    mean_interval_width: float | None
    wide_intervals: list[dict]
    progress: list[dict]
    survey_missing: list[dict]
    merged: list[dict]
    new: list[dict]
    domains: list[dict] = field(default_factory=list)  # {code, title, mean_index, best, worst}


def group_figures(snapshot: dict, name: str) -> GroupFigures:
    units = analysis.group_units(snapshot, name)
    indexed = [u for u in units if u["index"] is not None]
    top = max((u["index"] for u in indexed), default=None)
    low = min((u["index"] for u in indexed), default=None)
    comparable = [u for u in units if u["change"] is not None]
    bands = Counter(u["band"] for u in indexed if u["band"])
    pairs = [u for u in indexed if u.get("p_ahead_of_next") is not None]
    widths = [
        u["rank_high"] - u["rank_low"]
        for u in indexed
        if u.get("rank_low") is not None and u.get("rank_high") is not None
    ]
    progress = [u for u in units if u.get("progress") in ("outstanding", "notable")]
    progress.sort(key=lambda u: (u["progress"] != "outstanding", -(u["change"] or 0), u["code"]))
    domain_values = defaultdict(list)
    titles = {}
    for unit in indexed:
        for d in unit["domains"]:
            if not d.get("extra") and d["index"] is not None:
                domain_values[d["code"]].append(d["index"])
                titles.setdefault(d["code"], d["title"])
    domains = [
        {
            "code": code,
            "title": titles[code],
            "mean_index": round(mean(values), 2),
            "best": max(values),
            "worst": min(values),
        }
        for code, values in sorted(
            domain_values.items(), key=lambda item: [int(p) for p in item[0].split(".")]
        )
    ]
    return GroupFigures(
        name=name,
        units=units,
        indexed=indexed,
        mean_index=_mean(u["index"] for u in indexed),
        median_index=round(median(u["index"] for u in indexed), 2) if indexed else None,
        mean_change=_mean(u["change"] for u in comparable),
        comparable=len(comparable),
        best=[u for u in indexed if u["index"] == top],
        worst=[u for u in indexed if u["index"] == low],
        bands=sorted(bands.items()),
        appraisal_percent=_mean(
            _share(u["appraisal_points"], u["appraisal_maximum"]) for u in indexed
        ),
        survey_percent=_mean(_share(u["survey_points"], u["survey_maximum"]) for u in indexed),
        pairs=len(pairs),
        distinct_pairs=sum(1 for u in pairs if u["p_ahead_of_next"] >= MEANINGFUL),
        mean_interval_width=round(mean(widths), 1) if widths else None,
        wide_intervals=[
            u
            for u in indexed
            if u.get("rank_low") is not None and u["rank_high"] - u["rank_low"] >= 10
        ],
        progress=progress,
        survey_missing=[u for u in units if u.get("survey_missing")],
        merged=[u for u in units if u.get("comparison") == "lineage"],
        new=[u for u in units if u.get("comparison") == "new"],
        domains=domains,
    )


def _names(units: list[dict], limit: int = 5) -> str:
    names = [u["name"] for u in units[:limit]]
    if len(units) > limit:
        names.append(f"{len(units) - limit} đơn vị khác")
    return join(names)


def headline(fig: GroupFigures, year: int) -> str:
    """ "Chỉ số trung bình của khối Sở, ban, ngành đạt 85,12 %, tăng 1,30 điểm so với năm 2024; …" """
    if fig.mean_index is None:
        return f"{cap(group_phrase(fig.name))} chưa có đơn vị nào có chỉ số."
    text = f"Chỉ số trung bình của {group_phrase(fig.name)} đạt {percent(fig.mean_index)}"
    if fig.mean_change is None:
        text += f", chưa có kết quả năm {year - 1} để so sánh"
    else:
        text += f", {movement(fig.mean_change)} so với năm {year - 1}"
        if fig.comparable < len(fig.units):
            text += f" (tính trên {fig.comparable}/{len(fig.units)} đơn vị so sánh được)"
    best = fig.best[0]
    if len(fig.best) > 1:
        lead = f"{join([u['name'] for u in fig.best])} cùng dẫn đầu với {percent(best['index'])}"
    else:
        lead = f"đơn vị dẫn đầu là {best['name']} với {percent(best['index'])}"
    text += f"; {lead}"
    if len(fig.indexed) > 1 and fig.worst and fig.worst[0]["index"] != best["index"]:
        worst = fig.worst[0]
        text += (
            f"; thấp nhất là {join([u['name'] for u in fig.worst])} với {percent(worst['index'])}"
            f", thấp hơn đơn vị dẫn đầu {points(best['index'] - worst['index'])} điểm"
        )
    return text + "."


def size_and_spread(fig: GroupFigures) -> str:
    text = f"{cap(group_phrase(fig.name))} có {len(fig.units)} đơn vị được đánh giá"
    if len(fig.indexed) < len(fig.units):
        text += f", trong đó {len(fig.indexed)} đơn vị có chỉ số"
    if fig.median_index is not None:
        text += f"; một nửa số đơn vị đạt từ {percent(fig.median_index)} trở lên (trung vị)"
    return text + "."


def bands_sentence(fig: GroupFigures, thresholds: dict[str, float] | None = None) -> str:
    if not fig.bands:
        return ""
    parts = []
    for code, count in fig.bands:
        label = f"{count} đơn vị xếp loại {code}"
        if thresholds and code in thresholds:
            label += f" (từ {percent(thresholds[code])} trở lên)"
        parts.append(label)
    return f"Về xếp loại: {join(parts)}."


def parts_sentence(fig: GroupFigures) -> str:
    if fig.appraisal_percent is None and fig.survey_percent is None:
        return ""
    bits = []
    if fig.appraisal_percent is not None:
        bits.append(f"phần thẩm định đạt bình quân {percent(fig.appraisal_percent)} số điểm tối đa")
    if fig.survey_percent is not None:
        bits.append(f"phần điều tra xã hội học đạt {percent(fig.survey_percent)}")
    text = cap(join(bits))
    if fig.appraisal_percent is not None and fig.survey_percent is not None:
        gap = fig.survey_percent - fig.appraisal_percent
        if abs(gap) >= 0.005:
            text += (
                f"; đánh giá của người dân, tổ chức và cán bộ qua khảo sát "
                f"{'cao' if gap > 0 else 'thấp'} hơn kết quả thẩm định "
                f"{points(abs(gap))} điểm phần trăm"
            )
    return text + "."


def uncertainty_sentence(fig: GroupFigures) -> str:
    if not fig.pairs:
        return ""
    text = (
        f"Khoảng thứ hạng 90\u00a0% của các đơn vị rộng bình quân {number(fig.mean_interval_width, 1)}"
        f" hạng. Trong {fig.pairs} cặp đơn vị xếp liền nhau, {fig.distinct_pairs} cặp có chênh lệch "
        "đủ lớn để khẳng định đơn vị xếp trên thực sự cao hơn đơn vị liền sau (xác suất từ 95\u00a0% trở "
        "lên)"
    )
    if fig.distinct_pairs < fig.pairs:
        text += "; ở các cặp còn lại, hai đơn vị nên được xem là tương đương"
    return text + "."


def progress_sentence(fig: GroupFigures) -> str:
    if not fig.progress:
        return ""
    parts = []
    for unit in fig.progress[:5]:
        bit = f"{unit['name']} ({movement(unit['change'])}"
        if unit.get("previous_rank") and unit.get("rank"):
            bit += f", từ hạng {unit['previous_rank']} lên hạng {unit['rank']}"
        parts.append(bit + ")")
    outstanding = sum(1 for u in fig.progress if u["progress"] == "outstanding")
    label = (
        f"{outstanding} đơn vị tiến bộ vượt bậc"
        if outstanding == len(fig.progress)
        else f"{len(fig.progress)} đơn vị tiến bộ vượt bậc hoặc đáng kể"
    )
    return f"Có {label}: {join(parts)}."


def comparison_sentence(fig: GroupFigures, year: int) -> str:
    bits = []
    if fig.merged:
        bits.append(
            f"{len(fig.merged)} đơn vị hình thành sau sắp xếp được so sánh với bình quân chỉ số năm "
            f"{year - 1} của các đơn vị trước sáp nhập (đánh dấu * trong bảng)"
        )
    if fig.new:
        bits.append(
            f"{len(fig.new)} đơn vị mới chưa có kết quả năm {year - 1} để so sánh ({_names(fig.new)})"
        )
    return cap(join(bits)) + "." if bits else ""


def survey_missing_sentence(fig: GroupFigures) -> str:
    if not fig.survey_missing:
        return ""
    return (
        f"{len(fig.survey_missing)} đơn vị chưa có phiếu khảo sát hợp lệ nào ({_names(fig.survey_missing)}); "
        "điểm phần điều tra xã hội học của các đơn vị này cần được đọc thận trọng."
    )


def domains_sentence(fig: GroupFigures) -> str:
    if len(fig.domains) < 2:
        return ""
    ordered = sorted(fig.domains, key=lambda d: d["mean_index"])
    weak, strong = ordered[0], ordered[-1]
    return (
        f"Ở {group_phrase(fig.name)}, lĩnh vực có chỉ số bình quân cao nhất là “{strong['title']}” "
        f"({percent(strong['mean_index'])}), thấp nhất là “{weak['title']}” "
        f"({percent(weak['mean_index'])}); ở lĩnh vực này đơn vị thấp nhất chỉ đạt "
        f"{percent(weak['worst'])}, đơn vị cao nhất đạt {percent(weak['best'])}."
    )


def city_sentence(snapshot: dict) -> str:
    averages = analysis.city_averages(snapshot)
    units = [u for u in snapshot["units"] if u["index"] is not None]
    groups = snapshot["groups"]
    text = (
        f"Năm {snapshot['cycle']['year']}, {len(snapshot['units'])} cơ quan, đơn vị thuộc "
        f"{len(groups)} khối được đánh giá, xếp hạng"
    )
    if averages["mean_index"] is not None:
        text += (
            f"; chỉ số bình quân chung của {len(units)} đơn vị là {percent(averages['mean_index'])}"
            f", trung vị {percent(averages['median_index'])}"
        )
    return text + "."


def leaf_losses(fig: GroupFigures, limit: int = 5) -> list[dict]:
    """The leaves where the group's units lose most points on average (applicable scored leaves)."""
    extra = {d["code"] for u in fig.units for d in u["domains"] if d.get("extra")}
    lost = defaultdict(list)
    full = Counter()
    maxima = {}
    for unit in fig.units:
        for code, (scored, maximum, applicable) in unit["leaves"].items():
            if code.split(".")[0] in extra:
                continue  # bonus and penalty points are not lost points
            if applicable and maximum > 0:
                lost[code].append(maximum - scored)
                maxima[code] = max(maxima.get(code, 0), maximum)
                full[code] += scored >= maximum
    rows = [
        {
            "code": code,
            "max": maxima[code],
            "mean_lost": round(mean(values), 2),
            "mean_points": round(maxima[code] - mean(values), 2),
            "units": len(values),
            "full": full[code],
        }
        for code, values in lost.items()
        if mean(values) > 0.005
    ]
    rows.sort(key=lambda r: (-r["mean_lost"], [int(p) for p in r["code"].split(".")]))
    return rows[:limit]
