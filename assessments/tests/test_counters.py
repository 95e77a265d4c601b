"""The counters sent back with each autosave agree with what the whole form computes."""

from assessments import services
from assessments.presenters import counters_after_save, load_items, progress
from conftest import item_of

from .helpers import PDF, upload


def test_counters_after_a_save_equal_the_forms_progress(officer_a, assessment_a):
    services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "0.5"})
    services.save_self(officer_a, item_of(assessment_a, "2.1"), inputs={"done": True})
    services.add_evidence_file(officer_a, item_of(assessment_a, "2.1"), upload(PDF, "a.pdf"))
    services.save_self(officer_a, item_of(assessment_a, "1.3"), inputs={"count": "1"})
    services.save_self(
        officer_a,
        item_of(assessment_a, "1.2"),
        inputs={},
        not_applicable=True,
        na_reason="Không có",
    )
    saved = item_of(assessment_a, "1.5")

    counters = counters_after_save(saved)
    items = load_items(assessment_a)
    assert counters["progress"] == progress(items)
    assert counters["progress"].answered >= 3
    assert counters["progress"].evidence_missing == sum(i.evidence_missing for i in items)
    domain = [i for i in items if i.node.code.startswith("1.")]
    assert counters["domain_claimed"] == sum(i.self_points or 0 for i in domain)
