"""The demo's paper forms and fieldwork in the 2026 SIPAS wave (docs/surveys.md, "Phiếu giấy và điều tra
viên"), through the services as the clerks' and enumerators' screens call them: two clerks, a supervisor
and an enumerator (the fieldwork groups); twelve printed forms of Phường Hoàn Kiếm keyed by the first
clerk, ten of them again by the second (nine agree and count, one differs in one answer and waits for the
supervisor), two waiting for their second keying; and three forms an enumerator filled on a tablet.
Synthetic answers, seeded. Safe to run twice: a wave with paper forms is left alone."""

import random
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import Group

from accounts.models import Role, User
from demo.roster import SHOWCASE_COMMUNE, _answers
from surveys.models import Wave
from surveys.permissions import CLERK_GROUP, ENUMERATOR_GROUP, SUPERVISOR_GROUP
from surveys.services import paper
from units.models import Unit

SEED = 2026_18
FORMS = 12
KEYED_TWICE = 10
DIFFERING_FORM = 7  # keyed "Nữ" by one clerk and "Nam" by the other
FIELD_FORMS = 3


@dataclass(frozen=True)
class FieldAccount:
    username: str
    full_name: str
    group: str
    what: str


FIELD_ACCOUNTS = (
    FieldAccount("nhapphieu.1", "Bùi Thị Hoa", CLERK_GROUP, "nhập phiếu giấy"),
    FieldAccount("nhapphieu.2", "Ngô Văn Tâm", CLERK_GROUP, "nhập phiếu giấy (lần hai)"),
    FieldAccount("giamsat", "Đinh Thị Thu", SUPERVISOR_GROUP, "xử lý chênh lệch phiếu giấy"),
    FieldAccount("dieutra", "Phan Văn Long", ENUMERATOR_GROUP, "điều tra viên (máy tính bảng)"),
)


def ensure_field_accounts(password: str) -> dict[str, User]:
    users = {}
    for account in FIELD_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = account.full_name, ""
        user.email = f"{account.username}@demo.parindex.local"
        user.role = Role.UNIT_OFFICER
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=account.group)[0])
        users[account.username] = user
    return users


def keyed_from(questions, answers: dict) -> dict:
    """What a clerk types for a form with these answers: an option's number, "13" for options 1 and 3
    of a multiple choice, a number or a text as it is."""
    keyed = {}
    for question in paper.keyable(questions):
        if question.name not in answers:
            continue
        value = answers[question.name]
        if question.type in paper.OPTION_TYPES:
            values = [v for v, _label in question.options]
            chosen = value if isinstance(value, list) else [value]
            keyed[question.name] = "".join(str(values.index(str(v)) + 1) for v in chosen)
        else:
            keyed[question.name] = str(value)
    return keyed


def load_paper(wave: Wave, password: str) -> int:
    """The wave's paper forms and the enumerator's forms; the paper forms made (0 if there were)."""
    if wave.paper_forms.exists() or not wave.is_open():
        return 0  # loaded before, or a demo database older than its 2026 wave's closing
    users = ensure_field_accounts(password)
    unit = Unit.objects.get(code=SHOWCASE_COMMUNE)
    questions = wave.version.parsed()
    rng = random.Random(SEED)
    sex = next(q for q in questions if q.name == "sex")
    for number in range(1, FORMS + 1):
        keyed = keyed_from(questions, _answers(questions, "", rng, 0.8))
        paper.key_entry(users["nhapphieu.1"], wave, unit, number, keyed, uuid.uuid4())
        if number > KEYED_TWICE:
            continue
        again = dict(keyed)
        if number == DIFFERING_FORM:
            again[sex.name] = "1" if keyed.get(sex.name) == "2" else "2"
        paper.key_entry(users["nhapphieu.2"], wave, unit, number, again, uuid.uuid4())
    for _form in range(FIELD_FORMS):
        paper.collect_in_field(
            users["dieutra"],
            wave.pk,
            unit.code,
            _answers(questions, "", rng, 0.8),
            uuid.uuid4(),
        )
    return FORMS
