"""What a `survey` leaf reads: its source, the dimension of that source and, for the officials' survey,
the respondent groups (docs/surveys.md, "Tiêu chí khảo sát gắn với thành phần đo").

A leaf that names none of these would take the overall index, so that "thời gian đúng hẹn" and "thái độ
công chức" scored the same number; the import and the rule editor therefore refuse an unbound or unknown
binding (scoring.validate_params). The vocabulary is the bundled questionnaires' (surveys/data/), which a
surveys test holds equal to this list; surveys/leaves.py reads the figures.
"""

from collections.abc import Mapping

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SIPAS = "sipas"
OFFICIALS = "officials"
OVERALL = "overall"
INDICATOR = "indicator/"
CRITERION = "criterion/"
SOURCE_LABELS = {
    SIPAS: gettext_lazy("Khảo sát sự hài lòng của người dân, tổ chức (SIPAS)"),
    OFFICIALS: gettext_lazy("Điều tra xã hội học"),
}
SIPAS_DIMENSIONS = {
    OVERALL: gettext_lazy("Chỉ số SIPAS chung"),
    "service": gettext_lazy("Cung ứng dịch vụ hành chính công"),
    "service/access": gettext_lazy("Tiếp cận dịch vụ"),
    "service/procedures": gettext_lazy("Thủ tục hành chính"),
    "service/civil_servants": gettext_lazy("Công chức giải quyết công việc"),
    "service/results": gettext_lazy("Kết quả giải quyết công việc"),
    "service/feedback": gettext_lazy("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"),
    "policy": gettext_lazy("Xây dựng và tổ chức thực hiện chính sách"),
    "policy/accountability": gettext_lazy("Công khai, minh bạch và trách nhiệm giải trình"),
    "policy/participation": gettext_lazy("Sự tham gia của người dân"),
    "policy/implementation": gettext_lazy("Tổ chức thực hiện chính sách"),
    "policy/results": gettext_lazy("Kết quả thực hiện chính sách"),
    # The share of respondents answering "none" to a single-choice assessment question.
    "indicator/harassment": gettext_lazy("Tỷ lệ không gặp phiền hà, nhũng nhiễu"),
    "indicator/unofficial_payment": gettext_lazy(
        "Tỷ lệ không phải chi trả chi phí không chính thức"
    ),
}
# The eight PAR domains of Decision 5666/QĐ-UBND (DOMAIN.md §3), as the officials' items are grouped.
OFFICIALS_DIMENSIONS = {
    f"{CRITERION}{n}": format_lazy("{} {}", gettext_lazy("Lĩnh vực"), n) for n in range(1, 9)
}
DIMENSIONS = {SIPAS: SIPAS_DIMENSIONS, OFFICIALS: OFFICIALS_DIMENSIONS}
# The values of the officials' questionnaire's `respondent_group` (surveys/data/README.md).
GROUPS = {
    "council_deputy": gettext_lazy("Đại biểu Hội đồng nhân dân"),
    "department_director": gettext_lazy("Lãnh đạo sở, cơ quan tương đương sở"),
    "commune_chair": gettext_lazy("Lãnh đạo Ủy ban nhân dân xã, phường"),
    "division_head": gettext_lazy("Trưởng phòng, ban chuyên môn"),
    "unit_staff": gettext_lazy("Cán bộ, công chức, viên chức, người lao động của đơn vị"),
    "business": gettext_lazy("Doanh nghiệp, tổ chức"),
    "citizen": gettext_lazy("Người dân"),
}


def source_of(dimension: str) -> str | None:
    """The source whose questionnaire holds `dimension` (None when none does)."""
    return next((source for source, known in DIMENSIONS.items() if dimension in known), None)


def _listing(codes) -> str:
    return ", ".join(f"“{code}”" for code in codes)


def binding_problems(params: Mapping) -> list[str]:
    """Why a survey leaf's parameters do not say what it reads (in the active language); empty when
    they name a known source, one of its dimensions and, for the officials' survey, known groups.

    `groups` read through a `group_question` of the leaf's own are the questionnaire's business: only
    their form is checked (scoring._check_survey)."""
    source = params.get("source")
    if not source:
        return [
            _(
                "tiêu chí khảo sát phải ghi nguồn khảo sát “source” (%(sources)s) và thành phần "
                "đo “dimension” mà nó lấy điểm."
            )
            % {"sources": _listing(DIMENSIONS)}
        ]
    if source not in DIMENSIONS:
        return [
            _("nguồn khảo sát “source” phải là một trong: %(sources)s; hiện là “%(value)s”.")
            % {"sources": _listing(DIMENSIONS), "value": source}
        ]
    problems = []
    dimension = params.get("dimension")
    known = DIMENSIONS[source]
    if not dimension:
        problems.append(
            _(
                "tiêu chí khảo sát phải ghi thành phần đo “dimension” mà nó lấy điểm, "
                "ví dụ %(example)s; dùng một trong: %(dimensions)s."
            )
            % {
                "example": "“service/results”" if source == SIPAS else "“criterion/3”",
                "dimensions": _listing(known),
            }
        )
    elif dimension not in known:
        problems.append(
            _(
                "thành phần đo “%(value)s” không có trong %(source)s; dùng một trong: %(dimensions)s."
            )
            % {
                "value": dimension,
                "source": SOURCE_LABELS[source],
                "dimensions": _listing(known),
            }
        )
    groups = params.get("groups")
    if "group_question" in params:
        return problems
    if source == OFFICIALS and groups is None:
        problems.append(
            _(
                "tiêu chí điều tra xã hội học phải ghi nhóm đối tượng “groups” được tính, "
                'ví dụ ["council_deputy"]; dùng: %(groups)s.'
            )
            % {"groups": _listing(GROUPS)}
        )
    elif source == SIPAS and groups is not None:
        problems.append(_("phiếu SIPAS không phân nhóm đối tượng: bỏ “groups”."))
    elif isinstance(groups, list):
        unknown = [g for g in groups if isinstance(g, str) and g and g not in GROUPS]
        if unknown:
            problems.append(
                _("nhóm đối tượng %(unknown)s không có trong phiếu; dùng: %(groups)s.")
                % {"unknown": _listing(unknown), "groups": _listing(GROUPS)}
            )
    return problems


def dimension_choices() -> list:
    """The editor's choices, one group per source."""
    return [("", "—")] + [
        (SOURCE_LABELS[source], [(code, f"{label} ({code})") for code, label in known.items()])
        for source, known in DIMENSIONS.items()
    ]
