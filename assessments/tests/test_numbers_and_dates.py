"""What a unit types is read either way, and what it entered is shown in Vietnamese formats."""

from types import SimpleNamespace

from django.http import QueryDict
from django.utils import translation

from assessments.forms import inputs_from_post
from assessments.templatetags.assessment_tags import describe_inputs


def _leaf(rule, params=None):
    return SimpleNamespace(rule=rule, rule_params=params or {})


def _post(**fields):
    data = QueryDict(mutable=True)
    data.update(fields)
    return data


def test_counts_typed_with_vietnamese_thousands_are_read_as_thousands():
    inputs = inputs_from_post(_leaf("ratio"), _post(numerator="316.508", denominator="335.721"))
    assert inputs == {"numerator": "316508", "denominator": "335721"}


def test_what_was_entered_reads_in_vietnamese_formats():
    def shown(rule, inputs, params=None):
        with translation.override("vi"):
            return describe_inputs(SimpleNamespace(inputs=inputs, node=_leaf(rule, params)))

    assert shown("deadline", {"date": "2026-01-05"}) == "05/01/2026"
    assert shown("manual", {"points": "1.25"}) == "1,25 điểm"
    assert shown("ratio", {"numerator": "316508", "denominator": "335721"}) == "316.508 / 335.721"
    assert shown("deduction", {"count": "2"}) == "2 lần"
