"""Year references in a framework's free text, for a framework copied into a new year.

Rule (docs/frameworks.md, "Years in copied texts"): copying cycle S into cycle T re-words "năm S" in a
title as "năm T" (the copied year is the year being assessed). Every other year before T named in a title
or a guidance is listed for the secretariat to confirm or edit: "quyết toán ngân sách năm 2024" moves with
the year, "Luật Thủ đô năm 2024" does not, and only a person can tell them apart.
"""

import re

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def reword_title(title: str, source_year: int, target_year: int) -> str:
    """The title with "năm <source year>" as "năm <target year>"."""
    if source_year == target_year:
        return title
    pattern = re.compile(rf"(\b[Nn]ăm\s+){source_year}(?!\d)")
    return pattern.sub(rf"\g<1>{target_year}", title)


def stale_years(year: int) -> set[int]:
    """The years a text of cycle `year` should not name without a person's confirmation: every year
    before it (a demo framework names about a dozen: laws, decrees, baselines, last year's reports)."""
    return set(range(2000, year))


def years_named(text: str) -> set[int]:
    return {int(match) for match in YEAR.findall(text or "")}


def findings(nodes, years: set[int], confirmed: dict[int, dict]) -> list[dict]:
    """Nodes whose title or guidance names one of `years`, unless confirmed with the same text."""
    found = []
    for node in nodes:
        named = sorted((years_named(node.title) | years_named(node.guidance)) & years)
        if not named:
            continue
        if confirmed.get(node.pk) == {"title": node.title, "guidance": node.guidance}:
            continue
        found.append({"node": node, "years": named})
    return found
