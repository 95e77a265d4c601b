"""Documents made from a results snapshot: kind → builder(snapshot, on_progress) → (filename, bytes)."""

from collections.abc import Callable

Builder = Callable[[dict, Callable[[int, str], None]], tuple[str, bytes]]
BUILDERS: dict[str, Builder] = {}
