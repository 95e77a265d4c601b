"""The assistant's built-in engine on the demo year (issue 20): 200 questions of its question set
(results/assistant/questions.json, as written, without diacritics and in capitals), each asked as its
persona through `engine.ask` (reading, the tool, the answer and the log's write), timed one by one.

Loads the demo into a fresh PostgreSQL database first (not timed; bench/_harness.py). The last line:
{"questions": …, "answered": …, "p95_ms": …}. "answered": an answer with its figures, or the refusal
the question expects. Target: p95 under 300 ms.
"""

import json
import os
import statistics
import tempfile
import time
import unicodedata
import warnings

from _harness import ROOT, arguments, fresh_database, percentile

QUESTIONS = 200
PERSONAS = {"leader": "lanhdao", "secretariat": "thuky", "officer_b": "canbo.tuphap"}


def configure_environment() -> None:
    """Before Django is set up: uploads to a temporary MEDIA_ROOT, tasks run at once, no DEBUG."""
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="parindex-bench-media-")
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["ASSISTANT_API_BASE"] = ""  # the built-in engine alone
    os.environ.pop("DEBUG", None)
    warnings.filterwarnings("ignore", message="No directory at")


def _bare(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def questions(count: int) -> list[dict]:
    """The set as written, then without diacritics, then in capitals, until `count`."""
    base = json.loads((ROOT / "results" / "assistant" / "questions.json").read_text())
    variants = (lambda t: t, _bare, str.upper)
    chosen = []
    for i in range(count):
        entry = base[i % len(base)]
        written = variants[(i // len(base)) % len(variants)](entry["question"])
        chosen.append({**entry, "question": written})
    return chosen


def main():
    args = arguments(__doc__)
    configure_environment()
    with fresh_database():
        from django.conf import settings

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        from demo.load import load_demo

        started = time.perf_counter()
        load_demo()
        print(f"demo loaded in {time.perf_counter() - started:.0f} s")
        figures = measure(questions(50 if args.quick else QUESTIONS))
    print(json.dumps(figures))


def measure(asked: list[dict]) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from results.assistant import engine, intents

    users = {key: User.objects.get(username=name) for key, name in PERSONAS.items()}
    users["anonymous"] = AnonymousUser()
    times, answered, kinds = [], 0, {}
    for entry in asked:
        start = time.perf_counter()
        reply = engine.ask(users[entry["as"]], entry["question"])
        times.append((time.perf_counter() - start) * 1000)
        refused = "không có quyền" in reply.text
        ok = refused if entry["check"] == "refused" else bool(reply.figures) and not refused
        if reply.intent == intents.UNKNOWN:
            ok = False
        answered += ok
        kind = kinds.setdefault(reply.intent, [0, 0, []])
        kind[0] += 1
        kind[1] += ok
        kind[2].append(times[-1])
        if not ok:
            print(f"  not answered ({entry['as']}): {entry['question']} → {reply.text[:100]}")
    for intent, (n, ok, spent) in sorted(kinds.items()):
        p95 = percentile(spent, 0.95)
        print(
            f"{intent:>24}: {ok}/{n} answered, median {statistics.median(spent):.0f} ms, p95 {p95:.0f} ms"
        )
    print(f"{'median_ms':>24}: {statistics.median(times):.1f}")
    print(f"{'max_ms':>24}: {max(times):.1f}")
    return {
        "questions": len(asked),
        "answered": answered,
        "p95_ms": round(percentile(times, 0.95), 1),
    }


if __name__ == "__main__":
    main()
