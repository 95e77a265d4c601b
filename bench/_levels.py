"""The province-sized installation of `bench/compute.py --levels` (issue 17), loaded fast and not timed.

- the city's index in four families (four city cycles, in appraisal): 30 departments, 40 public service
  units, 20 central agencies and 270 communes, each family with its bundled framework;
- 300 internal indices, one per department and commune (each its own organiser): its 5–15 divisions or
  offices (`parent` = the organiser), scored by the division or office framework; a third published,
  a third in appraisal, a third in self-assessment;
- the city's self-assessment for the Ministry (one provincial cycle, the provincial framework);
- 5,000 accounts: a secretariat and a reviewer per organiser assigned to its internal cycle, reviewers
  of the city assigned to the city's units, and unit officers and heads for the rest;
- every participant's assessment with points on every leaf (appraised where the cycle has been
  appraised, final where it is published).

Written with bulk_create and COPY (the services would take minutes for 4,000 units); what is timed
afterwards, the recomputation and the queue page, is the product's own code.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from _harness import copy_rows

ACCOUNTS = 5000
# (family, unit kind, bundled framework, units, code prefix, name)
CITY_FAMILIES = (
    ("departments", "department", "department", 30, "S", "Sở"),
    ("public_service", "public_service_unit", "public_service", 40, "N", "Trung tâm"),
    ("central_agencies", "central_agency", "central_agency", 20, "T", "Cục"),
    ("communes", "commune", "commune", 270, "X", "Xã"),
)
SUB_UNITS = (5, 15)
CENTS = Decimal("0.01")


@dataclass
class Scene:
    cycles: list = field(default_factory=list)
    units: int = 0
    participations: int = 0
    items: int = 0
    accounts: int = 0
    scoped_reviewer: object = None
    city_reviewer: object = None
    queue_units: int = 0


def _frameworks(cycle_kinds: list[tuple[object, str, str]]) -> dict[int, list[tuple]]:
    """One framework per (cycle, kind) from the bundled file, nodes written level by level across all
    frameworks at once; returns each framework's leaves as (node id, rule, max points)."""
    from frameworks import tree
    from frameworks.bundled import BUNDLED, load_specs
    from frameworks.models import Framework, Node

    specs = {name: load_specs(name) for _, _, name in cycle_kinds}
    frameworks = Framework.objects.bulk_create(
        Framework(
            cycle=cycle,
            kind=kind,
            title=f"Bộ tiêu chí {cycle.key}",
            target_total=BUNDLED[name].target_total,
        )
        for cycle, kind, name in cycle_kinds
    )
    saved: dict[tuple[int, str], int] = {}
    leaves: dict[int, list[tuple]] = {f.pk: [] for f in frameworks}
    levels = [
        (framework, tree.build(specs[name]))
        for framework, (_, _, name) in zip(frameworks, cycle_kinds, strict=True)
    ]
    while levels:
        batch, shapes = [], []
        for framework, level in levels:
            for position, tree_node in enumerate(level):
                spec, parent = tree_node.node, tree.parent_code(tree_node.node.code)
                batch.append(
                    Node(
                        framework=framework,
                        parent_id=saved[(framework.pk, parent)] if parent else None,
                        code=spec.code,
                        title=spec.title,
                        max_points=spec.max_points,
                        order=position,
                        evidence_rule=spec.evidence_rule,
                        rule=spec.rule if tree_node.is_leaf else "",
                        rule_params=spec.rule_params if tree_node.is_leaf else {},
                    )
                )
                shapes.append((framework.pk, tree_node.is_leaf))
        for node, (framework_id, is_leaf) in zip(
            Node.objects.bulk_create(batch, batch_size=2000), shapes, strict=True
        ):
            saved[(framework_id, node.code)] = node.pk
            if is_leaf:
                leaves[framework_id].append((node.pk, node.rule, node.max_points))
        levels = [
            (framework, [child for tree_node in level for child in tree_node.children])
            for framework, level in levels
        ]
        levels = [(framework, level) for framework, level in levels if level]
    return {f.cycle_id: (f, leaves[f.pk]) for f in frameworks}


ITEM_COLUMNS = [
    "assessment_id",
    "node_id",
    "inputs",
    "self_points",
    "not_applicable",
    "na_reason",
    "note",
    "appraised_points",
    "appraisal_comment",
    "na_decision",
    "needs_explanation",
    "explanation",
    "final_points",
    "final_comment",
    "version",
    "updated_at",
]


def item_row(assessment_id, node_id, own, appraised, final, now) -> tuple:
    """A row of assessments_item in ITEM_COLUMNS order (no note, inputs or N/A)."""
    return (
        assessment_id,
        node_id,
        "{}",
        own,
        False,
        "",
        "",
        appraised,
        "",
        "",
        False,
        "",
        final,
        "",
        1,
        now,
    )


def leaf_points(rng: random.Random, rule: str, maximum: Decimal, quality: float) -> Decimal:
    """A plausible score: a penalty now and then, a bonus sometimes, else about `quality` × maximum."""
    if rule == "penalty":
        return -Decimal("0.25") if rng.random() < 0.1 else Decimal("0")
    if rule == "bonus":
        return Decimal("0.25") if rng.random() < 0.2 else Decimal("0")
    share = Decimal(str(round(min(1.0, rng.gauss(quality, 0.1)), 2)))
    return max(Decimal("0"), min(maximum, (maximum * share).quantize(CENTS)))


def _items(rng, assessments, frameworks, states, now):
    """Self points everywhere, appraised points once the cycle has been appraised, final points once
    it is published (survey and automatic leaves: self points only)."""
    from frameworks.scoring import READ_ONLY_RULES

    for assessment in assessments:
        state = states[assessment.cycle_id]
        quality = min(0.99, max(0.5, rng.gauss(0.85, 0.07)))
        for node_id, rule, maximum in frameworks[assessment.cycle_id][1]:
            own = leaf_points(rng, rule, maximum, quality)
            scored = rule not in READ_ONLY_RULES
            appraised = own if scored and state in ("appraisal", "published") else None
            final = own if scored and state == "published" else None
            yield item_row(assessment.pk, node_id, own, appraised, final, now)


def build(quick: bool, year: int = 2026) -> Scene:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.twofactor import enrol_with_secret
    from assessments.models import Assessment, ReviewerAssignment
    from cycles.models import Cycle, CycleState, IndexFamily, Participation, cycle_key
    from units.models import Unit, UnitKind

    rng = random.Random(17)
    scale = 10 if quick else 1
    scene = Scene()
    now = timezone.now()

    # The city's units, family by family; the provincial self-assessment's one participant.
    city_units: dict[str, list] = {}
    for family, kind, _, count, prefix, name in CITY_FAMILIES:
        city_units[family] = Unit.objects.bulk_create(
            Unit(
                code=f"{prefix}{n:04d}",
                name=f"{name} số {n}",
                kind=kind,
                sub_kind="xa" if kind == UnitKind.COMMUNE else "",
            )
            for n in range(1, count // scale + 1)
        )
    city = Unit.objects.create(code="HN", name="Thành phố Hà Nội", kind=UnitKind.DEPARTMENT)
    organisers = city_units["departments"] + city_units["communes"]
    sub_units: dict[int, list] = {}
    pending = []
    for organiser in organisers:
        sub_kind = UnitKind.DIVISION if organiser.kind == UnitKind.DEPARTMENT else UnitKind.OFFICE
        label = "Phòng" if sub_kind == UnitKind.OFFICE else "Phòng chuyên môn"
        for n in range(1, rng.randint(*SUB_UNITS) + 1):
            pending.append(
                Unit(
                    code=f"{organiser.code}-{n:02d}",
                    name=f"{label} {n} ({organiser.name})",
                    kind=sub_kind,
                    parent=organiser,
                )
            )
    for unit in Unit.objects.bulk_create(pending, batch_size=2000):
        sub_units.setdefault(unit.parent_id, []).append(unit)
    scene.units = Unit.objects.count()

    # Cycles: four city families and the provincial one in appraisal; the internal ones in thirds.
    spec = []  # (organiser, family, state, units, kind, framework name)
    for family, kind, framework, *_ in CITY_FAMILIES:
        spec.append((None, family, CycleState.APPRAISAL, city_units[family], kind, framework))
    spec.append(
        (None, IndexFamily.PROVINCIAL, CycleState.APPRAISAL, [city], "department", "provincial")
    )
    internal_states = (CycleState.PUBLISHED, CycleState.APPRAISAL, CycleState.SELF_ASSESSMENT)
    for n, organiser in enumerate(organisers):
        is_department = organiser.kind == UnitKind.DEPARTMENT
        spec.append(
            (
                organiser,
                IndexFamily.INTERNAL,
                internal_states[n % 3],
                sub_units[organiser.pk],
                UnitKind.DIVISION if is_department else UnitKind.OFFICE,
                "division" if is_department else "office",
            )
        )
    cycles = Cycle.objects.bulk_create(
        Cycle(
            year=year,
            organiser=organiser,
            family=family,
            key=cycle_key(year, family, organiser.code if organiser else None),
            title=f"Chỉ số CCHC {year} ({family})",
            state=state,
        )
        for organiser, family, state, *_ in spec
    )
    scene.cycles = cycles
    states = {c.pk: c.state for c in cycles}
    frameworks = _frameworks([(c, s[4], s[5]) for c, s in zip(cycles, spec, strict=True)])
    participations = Participation.objects.bulk_create(
        (
            Participation(
                cycle=cycle,
                unit=unit,
                framework_kind=s[4],
                ranking_group=f"Khối {i % 2 + 1}" if s[0] is None else "Phòng, ban",
            )
            for cycle, s in zip(cycles, spec, strict=True)
            for i, unit in enumerate(s[3])
        ),
        batch_size=2000,
    )
    scene.participations = len(participations)
    assessment_state = {
        CycleState.SELF_ASSESSMENT: "draft",
        CycleState.APPRAISAL: "submitted",
        CycleState.PUBLISHED: "finalised",
    }
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                cycle_id=p.cycle_id,
                unit_id=p.unit_id,
                framework=frameworks[p.cycle_id][0],
                state=assessment_state[states[p.cycle_id]],
            )
            for p in participations
        ),
        batch_size=2000,
    )
    with connection.connection.cursor() as raw:
        rows = _items(rng, assessments, frameworks, states, now)
        scene.items = copy_rows(raw, "assessments_item", ITEM_COLUMNS, rows)

    # Accounts: a secretariat and a reviewer per organiser, the city's reviewers, then unit staff.
    users = [User(username="thuky", role=Role.SECRETARIAT)]
    users += [User(username=f"thamdinh{n}", role=Role.REVIEWER) for n in range(20)]
    for organiser in organisers:
        users.append(
            User(username=f"thuky.{organiser.code}", role=Role.SECRETARIAT, unit=organiser)
        )
        users.append(
            User(username=f"thamdinh.{organiser.code}", role=Role.REVIEWER, unit=organiser)
        )
    every_unit = list(Unit.objects.order_by("pk"))
    n = 0
    while len(users) < ACCOUNTS:
        unit = every_unit[n % len(every_unit)]
        role = Role.UNIT_OFFICER if n % 3 else Role.UNIT_HEAD
        users.append(User(username=f"canbo{n:05d}", role=role, unit=unit))
        n += 1
    for user in users:
        user.set_unusable_password()
    users = User.objects.bulk_create(users, batch_size=2000)
    scene.accounts = len(users)
    by_name = {u.username: u for u in users}

    # Assignments: each organiser's reviewer to its internal cycle's units; the city's reviewers share
    # the city's units. The measured pair: the reviewer of the commune with the most offices among the
    # internal cycles in appraisal, and a city reviewer given as many communes of the city's index.
    assignments = []
    internal = [(c, s) for c, s in zip(cycles, spec, strict=True) if s[0] is not None]
    for cycle, s in internal:
        reviewer = by_name[f"thamdinh.{s[0].code}"]
        assignments += [ReviewerAssignment(cycle=cycle, reviewer=reviewer, unit=u) for u in s[3]]
    scoped_cycle, scoped_spec = max(
        (
            (c, s)
            for c, s in internal
            if c.state == CycleState.APPRAISAL and s[0].kind == UnitKind.COMMUNE
        ),
        key=lambda pair: len(pair[1][3]),
    )
    scene.queue_units = len(scoped_spec[3])
    city_cycles = [(c, s) for c, s in zip(cycles, spec, strict=True) if s[0] is None]
    communes_cycle = next(c for c, s in city_cycles if s[1] == "communes")
    baseline = city_units["communes"][: scene.queue_units]
    city_reviewer = by_name["thamdinh0"]
    assignments += [
        ReviewerAssignment(cycle=communes_cycle, reviewer=city_reviewer, unit=u) for u in baseline
    ]
    others = [(c, u) for c, s in city_cycles for u in s[3] if c != communes_cycle]
    others += [(communes_cycle, u) for u in city_units["communes"][scene.queue_units :]]
    assignments += [
        ReviewerAssignment(cycle=c, reviewer=by_name[f"thamdinh{1 + i % 19}"], unit=u)
        for i, (c, u) in enumerate(others)
    ]
    ReviewerAssignment.objects.bulk_create(assignments, batch_size=2000)
    scene.scoped_reviewer = by_name[f"thamdinh.{scoped_spec[0].code}"]
    scene.city_reviewer = city_reviewer
    # Reviewers log in with a second factor (docs/security.md): enrolled, as the demo accounts are.
    for reviewer in (scene.scoped_reviewer, scene.city_reviewer):
        enrol_with_secret(reviewer, b"bench-reviewer-secret")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return scene
