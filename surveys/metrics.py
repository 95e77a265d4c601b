"""The survey intake's Prometheus counter: responses submitted by channel and outcome.

It lives with the surveys (ops/metrics.py serves every registered metric on /metrics).
"""

import functools

from prometheus_client import Counter

from surveys.errors import SurveyError

SURVEY_SUBMISSIONS = Counter(
    "parindex_survey_submissions",
    "Survey responses submitted, by channel and outcome (stored, duplicate, refused, error).",
    ["channel", "outcome"],
)


@functools.cache
def _channels(choices) -> frozenset:
    return frozenset(choices.values)  # `.values` builds a new list each time it is read


def count_submissions(submit):
    """Wraps `submit_response` (surveys/intake/submit.py): counts each call by channel and outcome."""

    @functools.wraps(submit)
    def counted(*args, **kwargs):
        from surveys.models import Channel

        channel = kwargs.get("channel")
        label = channel if channel in _channels(Channel) else "other"
        try:
            result = submit(*args, **kwargs)
        except SurveyError:
            SURVEY_SUBMISSIONS.labels(label, "refused").inc()
            raise
        except Exception:
            SURVEY_SUBMISSIONS.labels(label, "error").inc()
            raise
        SURVEY_SUBMISSIONS.labels(label, "stored" if result[1] else "duplicate").inc()
        return result

    return counted
