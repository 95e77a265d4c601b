"""The `<cycle:key>` URL part: a cycle's key ("2026", "2025-su-nghiep", "2025-00070-noi-bo")."""

from typing import Annotated

from ninja import Path


class CycleKeyConverter:
    regex = r"\d{4}(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


# The same key as a path parameter of the JSON API, documented in its schema.
CycleKey = Annotated[
    str,
    Path(
        description="Mã kỳ đánh giá: năm (2025) với chỉ số chung của Thành phố; mã như "
        "2025-su-nghiep, 2025-00070-noi-bo với các chỉ số khác (xem /indices)",
        max_length=80,
    ),
]
