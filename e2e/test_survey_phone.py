"""A citizen answers the SIPAS survey on a phone with an invitation code; the answers count in the
unit's figures.

The built-in SIPAS questionnaire (surveys/data/sipas.tsv), a wave open now and a batch of codes for
Unit A are set up through the services. On a 390×844 touch screen the respondent types the code, taps
the answers (conditional questions appear as they apply), types the free-text ones, sees the
progress notes, sends the form and lands on the thank-you page; the code then no longer opens the
survey and the secretariat's page of the unit shows the response in every figure. A second
respondent does the same with JavaScript switched off, and is refused once (a required answer
missing) with the answers kept. Each respondent page weighs under 100 KB beyond the shared CSS.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from surveys import services
from surveys.models import Channel, Invitation, Response

pytestmark = pytest.mark.e2e

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "vi-VN",
}
SHARED_CSS = "/static/bootstrap/"
PAGE_BUDGET = 100 * 1024
ALREADY_USED = "Mã mời này đã được dùng."

FEEDBACK = {"svc_fb_easy", "svc_fb_rules", "svc_fb_timely"}

SATISFACTION = {
    "1": "Rất không hài lòng",
    "2": "Không hài lòng",
    "3": "Bình thường",
    "4": "Hài lòng",
    "5": "Rất hài lòng",
}

# The first respondent: the answer tapped for every question that applies to them, by visible label.
PROFILE = {
    "sex": "Nữ",
    "ethnicity": "Kinh",
    "age_band": "Từ 35 đến 49 tuổi",
    "education": "Đại học",
    "occupation": "Nghề khác",  # opens occupation_other, typed below
}
POLICY_FOLLOWING = {
    "follow_education": "Rất quan tâm",
    "follow_health": "Quan tâm",
    "follow_social": "Quan tâm",
    "follow_electricity": "Ít quan tâm",
    "follow_water": "Quan tâm",
    "follow_security": "Rất quan tâm",
    "follow_transport": "Quan tâm",
    "follow_economy": "Quan tâm",
    "follow_admin_reform": "Rất quan tâm",
    "info_channels": ["Truyền hình, phát thanh", "Mạng xã hội (Facebook, Zalo, YouTube…)"],
    "info_channels_suitability": "Phù hợp",
    "consult_willing": "Sẵn sàng",
    "harassment": "Không có",
    "unofficial_payment": "Không có",
    "submit_in_person": "Rất phù hợp",
    "submit_online_full": "Phù hợp",
    "submit_online_partial": "Ít phù hợp",
    "exp_procedure": "Có",  # opens the 13 service items
    "exp_online": "Không",
    "exp_feedback": "Không",  # the 3 feedback items stay hidden
    "exp_consulted": "Không",
    "exp_dialogue": "Không",
}
SERVICE = {
    "svc_access_signage": "4",
    "svc_access_seats": "5",
    "svc_access_equipment": "4",
    "svc_proc_posted": "4",
    "svc_proc_dossier": "5",
    "svc_proc_fees": "4",
    "svc_proc_time_limit": "2",  # the one dissatisfied item: procedures 3 of 4 satisfied
    "svc_staff_polite": "5",
    "svc_staff_guidance": "4",
    "svc_staff_rules": "4",
    "svc_result_on_time": "4",
    "svc_result_accurate": "5",
    "svc_result_fair": "4",
}
POLICY = {
    "pol_acc_information": "4",
    "pol_acc_explanation": "4",
    "pol_part_opportunity": "5",
    "pol_part_uptake": "4",
    "pol_impl_education": "4",
    "pol_impl_health": "5",
    "pol_impl_social": "4",
    "pol_impl_electricity": "4",
    "pol_impl_water": "4",
    "pol_impl_security": "5",
    "pol_impl_transport": "4",
    "pol_impl_economy": "3",  # implementation 8 of 9 satisfied
    "pol_impl_admin_reform": "4",
    "pol_result_education": "4",
    "pol_result_health": "4",
    "pol_result_social": "5",
    "pol_result_electricity": "4",
    "pol_result_water": "4",
    "pol_result_security": "4",
    "pol_result_transport": "5",
    "pol_result_economy": "4",
    "pol_result_admin_reform": "4",
    "pol_result_overall": "4",
}
EXPECTATIONS = {
    name: "Rất mong đợi" if index % 2 else "Mong đợi"
    for index, name in enumerate(
        [
            "expect_information",
            "expect_participation",
            "expect_education_health",
            "expect_security_environment",
            "expect_simplify_procedures",
            "expect_fees",
            "expect_staff_attitude",
            "expect_staff_competence",
            "expect_online_services",
            "expect_anti_harassment",
        ]
    )
}
# Questions with a condition (`relevant`): hidden by the page's script until they apply.
STARTS_HIDDEN = {"ethnicity_other", "occupation_other", "consult_unwilling_reason"} | set(SERVICE)
STARTS_HIDDEN |= FEEDBACK
# Those that never apply to the first respondent, given their answers (the server skips them too).
NOT_ASKED = {"ethnicity_other", "consult_unwilling_reason"} | FEEDBACK
NOT_ASKED |= {"harassment_detail", "unofficial_payment_detail"}
OCCUPATION = "Thợ may"
COMMENT = "Nên có thêm chỗ để xe máy."


@pytest.fixture
def codes(secretariat, sipas_wave, unit_a):
    return services.generate_invitations(secretariat, sipas_wave, unit_a, 5)


class PageWeight:
    """Bytes the phone receives per page (the document and what it loads), shared CSS apart."""

    def __init__(self, page):
        self.pages: list[dict[str, int]] = []
        page.on("response", self.record)

    def record(self, response) -> None:
        if SHARED_CSS in response.url or 300 <= response.status < 400:
            return
        if response.request.resource_type == "document":
            self.pages.append({})
        if self.pages:
            # Read at once: a body is gone after the page navigates away.
            self.pages[-1][response.url] = len(response.body())

    def reset(self) -> None:
        self.pages.clear()


def assert_light(weight: PageWeight) -> None:
    """Every page loaded since the last reset stays under the budget."""
    assert weight.pages, "no page loaded"
    for sizes in weight.pages:
        assert sum(sizes.values()) < PAGE_BUDGET, sizes
    weight.reset()


def assert_fits(page) -> None:
    scroll_width, client_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width + 1, f"{page.url}: {scroll_width}px in {client_width}px"


def enter_code(page, live_server, typed: str):
    page.goto(f"{live_server.url}/khao-sat/ma/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khảo sát ý kiến người dân, tổ chức")
    code = page.get_by_label("Mã mời")
    code.tap()
    code.press_sequentially(typed)
    page.keyboard.press("Enter")


def reach(page, name: str) -> None:
    """Go on to the step (section) that shows the question, as the respondent does ("Tiếp tục");
    without the script every question is on the one page already."""
    question = page.locator(f"#q-{name}")
    for _step in range(10):
        if question.is_visible():
            return
        page.get_by_role("button", name="Tiếp tục").tap()
    raise AssertionError(f"no step shows {name}")


def shown_numbers(page) -> list[int]:
    """The numbers of the questions on the step shown ("Câu 3/60." → 3)."""
    labels = page.locator("[data-step]:not([hidden]) fieldset:not([hidden]) [data-number]")
    return [int(re.match(r"Câu (\d+)/", text)[1]) for text in labels.all_text_contents()]


def choose(page, name: str, labels, touch: bool = True) -> None:
    """Tap (or click) the option(s) of a question by their visible text, and check they took."""
    reach(page, name)
    question = page.locator(f"#q-{name}")
    for label in [labels] if isinstance(labels, str) else labels:
        option = question.get_by_text(label, exact=True)
        option.tap() if touch else option.click()
        expect(question.get_by_label(label, exact=True)).to_be_checked()


def satisfaction(answers: dict) -> dict:
    return {name: SATISFACTION[level] for name, level in answers.items()}


def item_row(page, label: str):
    """A question's row of the unit's figures: the question is the row's header."""
    return page.locator("tr", has=page.get_by_role("rowheader", name=label, exact=True))


def test_citizen_answers_sipas_on_a_phone_and_counts_in_the_unit_figures(
    new_page, page, live_server, sipas_wave, codes, unit_a, secretariat
):
    wave, questions = sipas_wave, sipas_wave.version.parsed()
    labels = {question.name: question.label for question in questions}
    asked = sum(question.type != "section" for question in questions)
    phone = new_page(**PHONE)
    weight = PageWeight(phone)

    # The code is typed as read from the paper: lower case, without the dash.
    enter_code(phone, live_server, codes[0].replace("-", "").lower())
    expect(phone).to_have_url(re.compile(rf"/khao-sat/{wave.pk}/{unit_a.code}/\?kenh=code&ma="))
    # A plain title for a citizen; the wave's own title in small print under it; the time it takes.
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Ý kiến của người dân về dịch vụ hành chính công"
    )
    expect(phone.get_by_test_id("wave-title")).to_have_text("Khảo sát SIPAS 2025")
    expect(phone.get_by_test_id("estimate")).to_contain_text(f"(tối đa {asked} câu hỏi")
    expect(phone.get_by_text("Phường Hoàn Kiếm", exact=True)).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^Phiếu không ghi tên\."))).to_be_visible()
    # The form carries the code as the system reads it (normalised: upper case).
    expect(phone.get_by_label("Mã mời *")).to_have_value(codes[0].replace("-", "").upper())
    assert_fits(phone)
    assert_light(weight)

    # One section at a time, under a progress bar that counts the questions asked (not headings,
    # nor the questions that do not apply).
    progress = phone.get_by_role(
        "progressbar", name=re.compile(r"^Phần 1\/6 · đã trả lời 0\/\d+ câu$")
    )
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("value", "0")
    expect(phone.locator("#q-follow_education")).to_be_hidden()  # on the next step

    # Conditional questions are hidden until an answer opens them.
    for name in STARTS_HIDDEN:
        expect(phone.locator(f"#q-{name}")).to_be_hidden()

    for name, label in PROFILE.items():
        choose(phone, name, label)
    expect(phone.locator("#q-ethnicity_other")).to_be_hidden()
    other = phone.get_by_role("textbox", name=labels["occupation_other"])
    expect(other).to_be_visible()
    other.tap()
    phone.keyboard.type(OCCUPATION)
    # The hidden "other ethnicity" takes no number: the questions shown count 1, 2, 3… without a gap.
    numbers = shown_numbers(phone)
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    answered = len(PROFILE) + 1
    expect(phone.locator("#survey-progress")).to_have_attribute("value", str(answered))

    for name, label in POLICY_FOLLOWING.items():
        choose(phone, name, label)
    reach(phone, "svc_access_signage")
    expect(phone.locator("[data-step-at]")).to_have_text("4")
    for name in SERVICE:
        expect(phone.locator(f"#q-{name}")).to_be_visible()
    numbers = shown_numbers(phone)  # this step goes on from the last, the hidden ones not counted
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), numbers
    for name in NOT_ASKED:
        expect(phone.locator(f"#q-{name}")).to_be_hidden()

    # The connection drops half-way: reopening the page finds the answers kept on the phone.
    phone.reload()
    expect(phone.get_by_role("status").filter(has_text="đã được điền lại")).to_be_visible()
    expect(phone.locator("#q-exp_procedure").get_by_label("Có", exact=True)).to_be_checked()
    expect(phone.locator("#q-occupation").get_by_label("Nghề khác", exact=True)).to_be_checked()
    # Back on the step where the respondent was; the earlier steps keep their answers.
    expect(phone.locator("[data-step-at]")).to_have_text("4")
    expect(phone.locator("#f-occupation_other")).to_have_value(OCCUPATION)
    expect(phone.locator("#q-svc_staff_polite")).to_be_visible()

    for name, label in satisfaction(SERVICE | POLICY).items():
        choose(phone, name, label)
    # One scale answered with the keyboard: Space on "Mong đợi", then the arrow to the next level.
    first, *rest = EXPECTATIONS.items()
    reach(phone, first[0])
    phone.locator(f"#q-{first[0]}").get_by_label("Mong đợi", exact=True).focus()
    phone.keyboard.press("Space")
    phone.keyboard.press("ArrowDown")
    expect(phone.locator(f"#q-{first[0]}").get_by_label("Rất mong đợi", exact=True)).to_be_checked()
    for name, label in rest:
        choose(phone, name, label)
    reach(phone, "other_comments")
    comment = phone.get_by_role("textbox", name=labels["other_comments"])
    comment.tap()
    phone.keyboard.type(COMMENT)

    weight.reset()
    phone.get_by_role("button", name="Gửi phiếu").tap()
    expect(phone).to_have_url(f"{live_server.url}/khao-sat/cam-on/?don-vi={unit_a.code}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Cảm ơn Ông/Bà đã tham gia khảo sát!"
    )
    expect(phone.get_by_role("link", name="Trang kết quả công khai")).to_be_visible()
    assert_light(weight)
    assert phone.evaluate("() => Object.keys(localStorage)") == []

    response = Response.objects.get()
    assert response.channel == Channel.CODE and response.unit == unit_a
    assert Invitation.objects.get(pk=response.invitation_id).used_at is not None
    answers = response.answers
    assert answers["occupation"] == "other" and answers["occupation_other"] == OCCUPATION
    assert answers["info_channels"] == ["tv_radio", "social_media"]
    assert answers["expect_information"] == 4 and answers["expect_participation"] == 4
    assert answers["svc_staff_polite"] == 5 and answers["svc_proc_time_limit"] == 2
    assert answers["other_comments"] == COMMENT
    assert set(answers) == {q.name for q in questions if q.type != "section"} - NOT_ASKED

    # The code is spent.
    weight.reset()
    enter_code(phone, live_server, codes[0])
    expect(phone.get_by_role("alert")).to_have_text(ALREADY_USED)
    expect(phone).to_have_url(f"{live_server.url}/khao-sat/ma/")
    assert_light(weight)

    # The secretariat sees the response in Unit A's figures.
    login(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/surveys/{wave.pk}/{unit_a.code}/")
    expect(page.get_by_test_id("unit-n")).to_have_text("1")
    polite = item_row(page, labels["svc_staff_polite"])
    # n, share satisfied, its 95 % Wilson interval, mean
    expect(polite.get_by_role("cell")).to_have_text(
        ["1", "100,0\u00a0%", "20,7\u00a0%–100,0\u00a0%", "5,00"]
    )
    expect(item_row(page, labels["svc_proc_time_limit"]).get_by_role("cell")).to_have_text(
        ["1", "0,0\u00a0%", "0,0\u00a0%–79,3\u00a0%", "2,00"]
    )
    expect(item_row(page, labels["svc_fb_easy"]).get_by_role("cell").nth(0)).to_have_text("0")
    # Service: access, procedures (3/4), civil servants, results → 93.75 %; policy:
    # accountability, participation, implementation (8/9), results → 97.22 %; overall 95.49 %.
    expect(page.get_by_test_id("overall")).to_have_text("95,49\u00a0%")

    # A second respondent, JavaScript off (an old phone): the page works the same.
    plain = new_page(**PHONE, java_script_enabled=False)
    weight = PageWeight(plain)
    enter_code(plain, live_server, codes[1])
    expect(plain.get_by_role("heading", level=1)).to_have_text(
        "Ý kiến của người dân về dịch vụ hành chính công"
    )
    assert_light(weight)
    # Without the script every question is on the page; the respondent skips those not for them.
    expect(plain.locator("#q-svc_staff_polite")).to_be_visible()
    for name, label in PROFILE.items():
        choose(plain, name, "Nam" if name == "sex" else label)
    plain.get_by_role("textbox", name=labels["occupation_other"]).fill(OCCUPATION)
    for name, label in (POLICY_FOLLOWING | {"exp_procedure": "Không"}).items():
        choose(plain, name, label)
    policy = satisfaction(dict.fromkeys(POLICY, "4"))
    forgotten = "pol_result_overall"
    for name, label in policy.items():
        if name != forgotten:
            choose(plain, name, label)
    for name, label in EXPECTATIONS.items():
        choose(plain, name, label)

    weight.reset()
    plain.get_by_role("button", name="Gửi phiếu").tap()
    problems = plain.get_by_role("alert")
    expect(problems).to_contain_text("Phiếu chưa gửi được:")
    expect(problems.get_by_role("listitem")).to_have_text(
        [f"Câu “{labels[forgotten]}”: cần trả lời."]
    )
    assert_light(weight)
    assert Response.objects.count() == 1
    expect(
        plain.locator("#q-pol_result_economy").get_by_label("Hài lòng", exact=True)
    ).to_be_checked()
    expect(
        plain.locator("#q-info_channels").get_by_label("Truyền hình, phát thanh")
    ).to_be_checked()
    choose(plain, forgotten, policy[forgotten])
    plain.get_by_role("button", name="Gửi phiếu").tap()
    expect(plain.get_by_role("heading", level=1)).to_have_text(
        "Cảm ơn Ông/Bà đã tham gia khảo sát!"
    )
    assert Response.objects.count() == 2
    second = Response.objects.exclude(pk=response.pk).get()
    assert second.answers["sex"] == "male" and "svc_staff_polite" not in second.answers
    enter_code(plain, live_server, codes[1])
    expect(plain.get_by_role("alert")).to_have_text(ALREADY_USED)

    page.reload()
    expect(page.get_by_test_id("unit-n")).to_have_text("2")
    expect(item_row(page, labels["svc_staff_polite"]).get_by_role("cell").nth(0)).to_have_text("1")
    expect(item_row(page, labels["pol_impl_economy"]).get_by_role("cell")).to_have_text(
        ["2", "50,0\u00a0%", "9,5\u00a0%–90,5\u00a0%", "3,50"]
    )


def test_a_shared_desk_tablet_does_not_hand_one_citizens_answers_to_the_next(
    new_page, live_server, sipas_wave, unit_a
):
    """Kept answers come back with a way to start afresh, and not at all once they are old."""
    tablet = new_page(**PHONE)
    url = f"{live_server.url}/khao-sat/{sipas_wave.pk}/{unit_a.code}/"
    tablet.goto(url)
    first_id = tablet.locator("input[name=submission_id]").input_value()
    choose(tablet, "sex", "Nữ")
    tablet.reload()  # the first citizen walked away; the next one opens the page
    expect(tablet.locator("#q-sex").get_by_label("Nữ", exact=True)).to_be_checked()
    tablet.get_by_role("button", name="Xoá và làm phiếu mới").tap()
    expect(tablet.locator("[data-restored]")).to_have_count(0)
    expect(tablet.locator("#q-sex").get_by_label("Nữ", exact=True)).not_to_be_checked()
    assert tablet.locator("input[name=submission_id]").input_value() != first_id

    # Answers kept longer ago than the keeping time are dropped, not filled in.
    choose(tablet, "sex", "Nam")
    tablet.evaluate(
        """() => { for (const key of Object.keys(localStorage)) {
            const kept = JSON.parse(localStorage.getItem(key));
            kept.savedAt -= 31 * 60 * 1000;
            localStorage.setItem(key, JSON.stringify(kept)); } }"""
    )
    tablet.reload()
    expect(tablet.locator("#q-sex").get_by_label("Nam", exact=True)).not_to_be_checked()
    expect(tablet.locator("[data-restored]")).to_have_count(0)
    assert tablet.evaluate("() => Object.keys(localStorage)") == []
