"""One leader, one entry in the plan's filter, however the plan spells the name.

A plan's appendix writes the same leader several ways: "Đ/c Hà Minh Hải, Phó Chủ tịch UBND Thành phố"
and "Đ/c Phó Chủ tịch UBND Thành phố Hà Minh Hải"; "Đ/c Lê Hồng Sơn, Phó Chủ tịch UBND Thành phố" and
"…, Phó Chủ tịch thường trực UBND Thành phố"; "phụ trách khối" and "phụ trách theo khối". `key` gives
them one key (the person's name where there is one); `options` one filter entry per key.
"""

import re
from collections import Counter

from core.collation import sort_key

_ADDRESS = re.compile(r"^(đ/c|đồng chí)\s+", re.IGNORECASE)
# "<title> UBND Thành phố <Name>": a name after the body, written before it elsewhere.
_NAME_LAST = re.compile(r"^(?P<title>.*?UBND Thành phố)\s+(?P<name>[A-ZÀ-Ỹ][^,]*)$")
_TITLE_WORDS = ("chủ tịch", "ubnd", "phụ trách", "giám đốc", "bí thư")


def canonical(text: str) -> str:
    """The spelling shown: "Hà Minh Hải, Phó Chủ tịch UBND Thành phố" for any of its forms."""
    text = " ".join(text.split())
    text = _ADDRESS.sub("", text)
    text = re.sub(r"phụ trách theo khối", "phụ trách khối", text)
    reordered = _NAME_LAST.match(text)
    if reordered and not _is_title(reordered["name"]):
        text = f"{reordered['name']}, {reordered['title']}"
    return text


def _is_title(words: str) -> bool:
    return any(word in words.lower() for word in _TITLE_WORDS)


def key(text: str) -> str:
    """What tells two spellings of one leader apart from another leader: the person's name when the
    text has one ("hà minh hải"), the whole canonical text otherwise."""
    text = canonical(text)
    name = text.split(",", 1)[0]
    return (name if "," in text and not _is_title(name) else text).casefold()


def options(spellings) -> list[tuple[str, str]]:
    """(key, label) per leader, in label order; the label is the spelling used most (the longest on a
    tie, which keeps "thường trực")."""
    by_key: dict[str, Counter] = {}
    for spelling in spellings:
        if spelling.strip():
            by_key.setdefault(key(spelling), Counter())[canonical(spelling)] += 1
    labels = {
        k: max(counts.items(), key=lambda item: (item[1], len(item[0])))[0]
        for k, counts in by_key.items()
    }
    return sorted(labels.items(), key=lambda item: sort_key(item[1]))


def spellings_of(leader_key: str, spellings) -> set[str]:
    """The spellings among `spellings` that name the leader of `leader_key`."""
    return {s for s in spellings if s.strip() and key(s) == leader_key}
