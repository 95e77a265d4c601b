"""The demo's paper forms and fieldwork (demo/paper.py): what the README promises is there."""

from django.db.models import Count

from demo import paper
from surveys.models import Channel, PaperForm
from surveys.permissions import can_collect_in_field, can_key_paper, can_resolve_paper


def test_forms_keyed_twice_one_to_resolve_two_waiting_and_the_enumerator_s(sipas_wave):
    wave = sipas_wave
    assert paper.load_paper(wave, "demo-Password-1") == 12
    statuses = dict(wave.paper_forms.values_list("status").annotate(n=Count("id")).order_by())
    assert statuses == {"agreed": 9, "mismatch": 1, "waiting": 2}
    assert wave.paper_forms.get(status=PaperForm.Status.MISMATCH).number == paper.DIFFERING_FORM
    channels = dict(wave.responses.values_list("channel").annotate(n=Count("id")).order_by())
    assert channels == {Channel.PAPER: 9, Channel.ENUMERATOR: 3}
    users = paper.ensure_field_accounts("demo-Password-1")
    assert can_key_paper(users["nhapphieu.2"]) and not can_resolve_paper(users["nhapphieu.2"])
    assert can_resolve_paper(users["giamsat"]) and can_collect_in_field(users["dieutra"])
    assert paper.load_paper(wave, "demo-Password-1") == 0  # loading again adds nothing
