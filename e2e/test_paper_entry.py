"""Paper forms keyed twice (issue 18, item 4, done when): a clerk keys three paper forms of the built-in
SIPAS questionnaire with the keyboard alone (the form's reference as a scanner types it, then the
option numbers, Enter where one digit does not decide), a second clerk keys them again with one answer
different on the second form, the secretariat resolves the difference side by side, and the figures
count each form once: three paper responses for the unit, whichever clerk keyed them.

Screenshots of the entry screen and of the resolution at 1366 and 390 px go to PARINDEX_SCREENSHOTS
when set."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.models import Role, User
from conftest import PASSWORD
from e2e.conftest import login
from surveys import questionnaire as q
from surveys.models import Channel, PaperForm, Response
from surveys.permissions import CLERK_GROUP
from surveys.services import paper

pytestmark = pytest.mark.e2e

WIDE = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def strokes(questions, choice="1", changed=None):
    """What a clerk types question by question for a form answered `choice` everywhere (`changed`:
    another option number for some questions), and the answers it stands for."""
    changed = changed or {}
    keys, raw = [], {}
    for question in paper.keyable(questions):
        if not q.shown(question, q.validate_answers(questions, raw)[0]):
            continue
        if question.type in paper.OPTION_TYPES:
            digit = changed.get(question.name, choice)
            options = question.options
            raw[question.name] = (
                [options[int(digit) - 1][0]]
                if question.type == "multiple"
                else options[int(digit) - 1][0]
            )
            decided = question.type != "multiple" and len(options) <= 9
            keys.append(digit if decided else digit + "\n")
        elif question.required:
            value = "2" if question.type == "number" else "không"
            raw[question.name] = value
            keys.append(value + "\n")
        else:
            keys.append("\n")  # left blank on the paper
    return keys, raw


def key_form(page, reference: str, keys: list[str]) -> None:
    page.locator("#ref").focus()
    page.keyboard.type(reference)
    page.keyboard.press("Enter")
    for key in keys:
        if key.endswith("\n"):
            if key[:-1]:
                page.keyboard.type(key[:-1])
            page.keyboard.press("Enter")
        else:
            page.keyboard.type(key)
    expect(page.locator("[data-save]")).to_be_focused()
    page.keyboard.press("Enter")


def idle(page) -> None:
    """The page's session last seen longer ago than the idle limit (accounts/middleware.py)."""
    import time

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import SEEN_AT

    key = next(
        c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    )
    session = SessionStore(session_key=key)
    session[SEEN_AT] = time.time() - settings.SESSION_IDLE_TIMEOUT - 60
    session.save()


def clerk(username: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=Role.UNIT_OFFICER)
    # The migration makes the group, but a live-server journey's database is flushed between tests.
    user.groups.add(Group.objects.get_or_create(name=CLERK_GROUP)[0])
    return user


def test_two_clerks_key_three_forms_and_a_mismatch_is_resolved(
    new_page, live_server, sipas_wave, unit_a, secretariat, tmp_path
):
    folder = Path(os.environ.get("PARINDEX_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    wave = sipas_wave
    questions = wave.version.parsed()
    clerk("nhapphieu.1"), clerk("nhapphieu.2")
    keys, _raw = strokes(questions)
    references = [paper.reference(wave.pk, unit_a.code, n) for n in (1, 2, 3)]
    entry = f"{live_server.url}/surveys/{wave.pk}/phieu-giay/nhap/"

    first = new_page(**WIDE)
    login(first, live_server, "nhapphieu.1")
    first.goto(entry)
    first.screenshot(path=str(folder / "paper-entry-1366.png"), full_page=False)
    for number, reference in enumerate(references, start=1):
        key_form(first, reference, keys)
        # Saved through htmx: the status line names this form, and the next one starts blank.
        expect(first.locator("[data-testid=saved]")).to_contain_text(
            f"lần nhập thứ nhất của phiếu số {number}"
        )
        expect(first.locator("#ref")).to_be_focused()
        expect(first.locator("[data-key]").first).to_have_value("")
    assert PaperForm.objects.filter(status=PaperForm.Status.WAITING).count() == 3
    assert not Response.objects.exists()  # one keying alone never counts

    # The session ends while a fourth form is typed (a long break): saving keeps it on the screen
    # and says so; once the clerk has logged in again in another tab, saving again stores it.
    idle(first)
    fourth = paper.reference(wave.pk, unit_a.code, 4)
    key_form(first, fourth, keys)
    expect(first.get_by_test_id("unsaved")).to_contain_text("Phiên đăng nhập đã hết")
    expect(first.locator("#ref")).to_have_value(fourth)
    assert not PaperForm.objects.filter(number=4).exists()
    again = first.context.new_page()
    login(again, live_server, "nhapphieu.1")
    again.close()
    first.locator("[data-save]").click()  # the token changed with the login: read afresh, saved
    expect(first.locator("[data-testid=saved]")).to_contain_text("phiếu số 4")
    assert PaperForm.objects.get(number=4).status == PaperForm.Status.WAITING

    second = new_page(**WIDE)
    login(second, live_server, "nhapphieu.2")
    second.goto(entry)
    # The sex question keyed 2 (Nữ) instead of 1 on the second form.
    different, _ = strokes(questions, changed={"sex": "2"})
    for number, (reference, typed) in enumerate(
        zip(references, [keys, different, keys], strict=True), start=1
    ):
        key_form(second, reference, typed)
        expect(second.locator("[data-testid=saved]")).to_contain_text(f"Phiếu số {number} ")
    expect(second.locator("[data-testid=saved]")).to_contain_text("khớp")
    assert Response.objects.filter(channel=Channel.PAPER).count() == 2
    mismatch = PaperForm.objects.get(status=PaperForm.Status.MISMATCH)
    assert mismatch.number == 2

    phone = new_page(**PHONE)
    login(phone, live_server, "nhapphieu.2")
    phone.goto(entry)
    phone.screenshot(path=str(folder / "paper-entry-390.png"), full_page=False)
    # A form saved with no number: refused where it stands, the problem named and nothing stored.
    phone.locator("#unit").select_option(unit_a.code)
    phone.locator("[data-save]").click()
    expect(phone.locator("#problems")).to_contain_text("số phiếu")
    expect(phone.locator("#ref")).to_be_focused()
    assert PaperForm.objects.count() == 4

    boss = new_page(**WIDE)
    login(boss, live_server, secretariat.username)
    boss.goto(f"{live_server.url}/surveys/{wave.pk}/phieu-giay/")
    expect(boss.locator('[data-status="mismatch"]')).to_have_text("1")
    boss.get_by_role("link", name=f"{unit_a.display_name}: phiếu số 2").click()
    differing = boss.locator("tr[data-differs]")
    expect(differing).to_have_count(1)
    expect(differing).to_contain_text("1. Nam")
    expect(differing).to_contain_text("2. Nữ")
    boss.screenshot(path=str(folder / "paper-resolve-1366.png"), full_page=True)
    phone_boss = new_page(**PHONE)
    login(phone_boss, live_server, secretariat.username)
    phone_boss.goto(boss.url)
    phone_boss.screenshot(path=str(folder / "paper-resolve-390.png"), full_page=False)
    boss.locator('[data-choice="sex"]').get_by_label("Lần 1").check()
    boss.fill("#reason", "Phiếu gốc ghi Nam")
    boss.get_by_role("button", name="Xác nhận và tính phiếu").click()
    expect(boss.locator("[data-testid=messages]")).to_contain_text("phiếu số 2")
    expect(boss.locator('[data-status="resolved"]')).to_have_text("1")
    expect(boss.locator('[data-status="agreed"]')).to_have_text("2")

    # The figures: three paper responses for the unit, each form once.
    assert Response.objects.filter(unit=unit_a, channel=Channel.PAPER).count() == 3
    boss.goto(f"{live_server.url}/surveys/{wave.pk}/")
    row = boss.locator("tbody tr", has_text=unit_a.display_name)
    expect(row.locator("td").nth(3)).to_have_text("3")
    sex = next(x for x in questions if x.name == "sex")
    assert Response.objects.get(paper_form__number=2).answers["sex"] == sex.options[0][0]
