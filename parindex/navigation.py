"""The staff menu: the links each role may use, grouped as the work is (docs/ui.md).

Each link names the predicate of its room that guards the page itself, so the menu never offers a page
that answers 403. A group with no link for the user is left out.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import can_use_admin, is_city_staff, is_secretariat
from plans.permissions import can_view_plans
from reporting.permissions import can_view_consolidated
from results.permissions import may_open_results
from surveys.permissions import can_do_fieldwork, can_manage_surveys, can_view_results


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    allowed: object  # predicate(user) -> bool


def _reviewer(user) -> bool:
    return user.is_authenticated and user.role == Role.REVIEWER


def _reports(user) -> bool:
    return can_view_consolidated(user) or bool(user.unit_id)


def _anyone(user) -> bool:
    return user.is_authenticated


GROUPS = [
    (
        _("Kỳ đánh giá"),
        [
            Link(_("Các kỳ đánh giá"), "cycles:list", _anyone),
            Link(_("Đơn vị"), "units:list", _anyone),
        ],
    ),
    (_("Thẩm định"), [Link(_("Việc thẩm định của tôi"), "assessments:queue", _reviewer)]),
    (
        _("Khảo sát"),
        [
            Link(_("Các đợt khảo sát"), "surveys:waves", can_view_results),
            Link(_("Bảng hỏi"), "surveys:questionnaires", can_manage_surveys),
            Link(_("Phiếu giấy, điều tra viên"), "surveys:paper_home", can_do_fieldwork),
        ],
    ),
    (
        _("Kết quả"),
        [
            Link(_("Kết quả Chỉ số CCHC"), "results:list", may_open_results),
            Link(_("Trang công khai kết quả"), "public:index", _anyone),
        ],
    ),
    (
        _("Kế hoạch & báo cáo"),
        [
            Link(_("Kế hoạch CCHC"), "plans:list", can_view_plans),
            Link(_("Báo cáo định kỳ"), "reporting:list", _reports),
        ],
    ),
    (
        _("Quản trị"),
        [
            Link(_("Nhật ký bảo mật"), "accounts:security_log", is_secretariat),
            Link(_("Xác thực hai bước"), "accounts:twofactor_users", is_secretariat),
            Link(_("Thành phần giao diện"), "ui", is_city_staff),
            Link(_("Trang quản trị dữ liệu"), "admin:index", can_use_admin),
        ],
    ),
]


def menu(user, path: str = "") -> list[dict]:
    """The groups `user` may use, each with its links; the link and group of the current page are
    marked `current` (the longest link address that starts the path)."""
    groups = []
    for label, links in GROUPS:
        allowed = [
            {"label": link.label, "url": reverse(link.url_name)}
            for link in links
            if link.allowed(user)
        ]
        if allowed:
            groups.append({"label": label, "links": allowed, "current": False})
    here = max(
        (link for group in groups for link in group["links"] if path.startswith(link["url"])),
        key=lambda link: len(link["url"]),
        default=None,
    )
    for group in groups:
        for link in group["links"]:
            link["current"] = link is here
        group["current"] = any(link["current"] for link in group["links"])
    return groups
