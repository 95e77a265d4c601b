"""Documents made from a results snapshot: kind → builder(snapshot, on_progress) → (filename, bytes).

Kinds (results.models.JobKind): "xlsx" the results workbook, "docx" the analysis report in Word,
"pdf" the same report as PDF, "short" the short version for printing. The builders register
themselves when `builders` is imported below.
"""

from collections.abc import Callable

Builder = Callable[[dict, Callable[[int, str], None]], tuple[str, bytes]]
BUILDERS: dict[str, Builder] = {}

from . import builders  # noqa: E402, F401  (registers the builders)
