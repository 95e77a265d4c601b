"""The matrix of who rates which units, as a property: a rule by kind never gives a person their own
unit, `own_unit` gives exactly their own unit when it takes part, and nothing outside the wave."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from surveys.roster_codes import OWN_UNIT, units_to_rate
from units.models import UnitKind

KINDS = [k.value for k in UnitKind]
GROUPS = ["council_deputy", "commune_chair", "unit_staff"]

units = st.lists(st.sampled_from(KINDS), min_size=0, max_size=12).map(
    lambda kinds: [SimpleNamespace(pk=i + 1, kind=kind) for i, kind in enumerate(kinds)]
)
rules = st.sets(st.tuples(st.sampled_from(GROUPS), st.sampled_from([*KINDS, OWN_UNIT])))


@given(units, rules, st.sampled_from(GROUPS), st.integers(0, 14))
def test_the_matrix(targets, pairs, group, own):
    official = SimpleNamespace(group=group, unit_id=own or None, wave_id=1)
    found = units_to_rate(official, list(pairs), targets)
    rates = {r for g, r in pairs if g == group}
    assert all(u in targets for u in found)
    assert len({u.pk for u in found}) == len(found)
    for unit in targets:
        mine = unit.pk == official.unit_id
        assert (unit in found) == ((OWN_UNIT in rates) if mine else (unit.kind in rates))
