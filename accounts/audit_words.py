"""The audit trail in words: one mapping from each recorded action, field and state to what people read.

Pages and exports show `AuditEvent.label` ("Chuyển giai đoạn: Dự thảo → Tự đánh giá") and
`AuditEvent.before_words` / `after_words`, never the codes that `accounts.audit.record` stores
("cycle.transition", "self_points"). A new action gets its label here;
`accounts/tests/test_audit_words.py` finds every action the code records and fails on one without.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "admin.add": _("Thêm trong trang quản trị"),
    "admin.change": _("Sửa trong trang quản trị"),
    "admin.delete": _("Xoá trong trang quản trị"),
    "api_token.create": _("Tạo khoá API"),
    "api_token.revoke": _("Thu hồi khoá API"),
    "assessment.assign_leaves": _("Giao tiêu chí cho các sở, ngành"),
    "assessment.demo_load": _("Nạp dữ liệu mẫu"),
    "assessment.fill_from_sources": _("Lấy điểm từ nguồn dữ liệu"),
    "assessment.finalise": _("Phê duyệt bản đánh giá"),
    "assessment.reopen": _("Mở lại bản tự đánh giá để sửa"),
    "assessment.submit": _("Nộp bản tự đánh giá"),
    "auth.locked": _("Tạm khoá đăng nhập"),
    "auth.login": _("Đăng nhập"),
    "auth.login_failed": _("Đăng nhập không thành công"),
    "auth.logout": _("Đăng xuất"),
    "cycle.add_participants": _("Thêm đơn vị tham gia"),
    "cycle.choose_framework": _("Chọn phương án bộ tiêu chí cho đơn vị"),
    "cycle.create": _("Tạo kỳ đánh giá"),
    "cycle.letterhead": _("Sửa thể thức văn bản của đơn vị tổ chức"),
    "cycle.remove_participant": _("Bỏ đơn vị tham gia"),
    "cycle.set_phase": _("Đặt thời gian giai đoạn"),
    "cycle.transition": _("Chuyển giai đoạn"),
    "cycle.transition_confirmed": _("Xác nhận chuyển giai đoạn"),
    "evidence.add": _("Thêm tài liệu kiểm chứng"),
    "evidence.remove": _("Gỡ tài liệu kiểm chứng"),
    "framework.add_node": _("Thêm tiêu chí"),
    "framework.confirm_year_text": _("Xác nhận năm trong nội dung tiêu chí"),
    "framework.delete_node": _("Xoá tiêu chí"),
    "framework.import": _("Nhập bộ tiêu chí"),
    "framework.update_node": _("Sửa tiêu chí"),
    "item.appraise": _("Thẩm định điểm"),
    "item.data_value": _("Nhập hoặc điều chỉnh số liệu từ nguồn dữ liệu"),
    "item.explain": _("Giải trình"),
    "item.finalise": _("Chốt điểm cuối cùng"),
    "item.self_assess": _("Tự chấm điểm"),
    "paper.resolve": _("Xử lý chênh lệch giữa hai lần nhập phiếu giấy"),
    "password.change": _("Đổi mật khẩu"),
    "password.reset": _("Đặt lại mật khẩu"),
    "password.reset_throttled": _("Từ chối đặt lại mật khẩu (yêu cầu quá nhiều lần)"),
    "indicator_feed.receive": _("Nhận số liệu chỉ tiêu từ nguồn dữ liệu"),
    "period.open": _("Mở kỳ báo cáo"),
    "period.set_due": _("Đổi hạn nộp báo cáo"),
    "plan.confirm_name": _("Xác nhận tên cơ quan ngoài danh mục"),
    "plan.create": _("Tạo kế hoạch"),
    "plan.import_tasks": _("Nhập nhiệm vụ của kế hoạch"),
    "plan.update": _("Sửa kế hoạch"),
    "questionnaire.option_weights": _("Đặt trọng số phương án của bảng hỏi"),
    "questionnaire.version": _("Nhập phiên bản bảng hỏi"),
    "report.save": _("Lưu báo cáo"),
    "report_request.create": _("Gửi yêu cầu báo cáo đột xuất"),
    "report.submit": _("Gửi báo cáo"),
    "report_template.create": _("Tạo mẫu báo cáo"),
    "response.exclude": _("Loại phiếu khảo sát"),
    "response.restore": _("Khôi phục phiếu khảo sát"),
    "results.docx": _("Yêu cầu báo cáo phân tích (Word)"),
    "results.import_history": _("Nhập kết quả đã công bố"),
    "results.pdf": _("Yêu cầu báo cáo phân tích (PDF)"),
    "results.provincial_value": _("Nhập số liệu chỉ số cấp tỉnh của Thành phố"),
    "results.publish": _("Công bố kết quả"),
    "results.recompute": _("Yêu cầu tính kết quả"),
    "results.short": _("Yêu cầu báo cáo rút gọn (Word)"),
    "results.xlsx": _("Yêu cầu bảng tính kết quả (Excel)"),
    "review.assign": _("Phân công thẩm định"),
    "review.unassign": _("Bỏ phân công thẩm định"),
    "session.end": _("Kết thúc phiên đăng nhập"),
    "session.end_others": _("Kết thúc các phiên đăng nhập khác"),
    "target.assign": _("Giao chỉ tiêu cho đơn vị"),
    "target.create": _("Thêm chỉ tiêu"),
    "target.delete": _("Xoá chỉ tiêu"),
    "target.unassign": _("Thôi giao chỉ tiêu cho đơn vị"),
    "target.update": _("Sửa chỉ tiêu"),
    "task.unit_update": _("Đơn vị chủ trì cập nhật tiến độ nhiệm vụ"),
    "task.update": _("Cập nhật nhiệm vụ"),
    "twofactor.disable": _("Tắt xác thực hai bước"),
    "twofactor.enrol": _("Bật xác thực hai bước"),
    "twofactor.recovery_regenerated": _("Cấp lại mã khôi phục"),
    "twofactor.recovery_used": _("Dùng mã khôi phục"),
    "twofactor.replace": _("Đổi ứng dụng xác thực"),
    "twofactor.reset": _("Đặt lại xác thực hai bước"),
    "units.import": _("Nhập danh mục đơn vị"),
    "user.create": _("Tạo tài khoản"),
    "user.security_change": _("Đổi quyền hoặc trạng thái tài khoản"),
    "wave.by_roster": _("Đặt đợt khảo sát chỉ nhận mã cá nhân"),
    "wave.change": _("Sửa đợt khảo sát"),
    "wave.create": _("Mở đợt khảo sát"),
    "wave.figures_source": _("Đổi nguồn số liệu tính điểm khảo sát"),
    "wave.import_published": _("Nhập số liệu khảo sát do đơn vị độc lập công bố"),
    "wave.import_responses": _("Nhập dữ liệu phiếu khảo sát từ tệp"),
    "wave.invitations": _("Tạo mã mời khảo sát"),
    "wave.sample": _("Chọn mẫu hồ sơ khảo sát"),
    "wave.sample_contacts_erased": _("Xóa thông tin liên hệ của mẫu khảo sát"),
    "wave.rating_rules": _("Đặt quy tắc ai đánh giá đơn vị nào"),
    "wave.roster": _("Nhập danh sách người trả lời phiếu khảo sát"),
    "wave.roster_codes": _("Cấp mã cá nhân khảo sát"),
    "wave.roster_remind": _("Gửi nhắc trả lời phiếu khảo sát"),
    "wave.targets": _("Đặt số phiếu cần thu"),
}

# The fields an event's before and after name (an assessment leaf's snapshot, a state, a job…).
FIELD_LABELS = {
    "inputs": _("Số liệu nhập"),
    "self_points": _("Điểm tự chấm"),
    "not_applicable": _("Không áp dụng"),
    "na_reason": _("Lý do không áp dụng"),
    "note": _("Ghi chú"),
    "appraised_points": _("Điểm thẩm định"),
    "appraisal_comment": _("Nhận xét thẩm định"),
    "na_decision": _("Quyết định về không áp dụng"),
    "needs_explanation": _("Yêu cầu giải trình"),
    "explanation": _("Giải trình"),
    "final_points": _("Điểm cuối cùng"),
    "final_comment": _("Ghi chú điểm cuối cùng"),
    "state": _("Trạng thái"),
    "job": _("Công việc"),
    "units": _("Đơn vị"),
    "unit": _("Đơn vị"),
    "reviewer": _("Người thẩm định"),
    "file": _("Tệp"),
    "source": _("Nguồn"),
    "items": _("Số tiêu chí"),
    "tasks": _("Số nhiệm vụ"),
    "version": _("Phiên bản"),
    "reason": _("Lý do"),
    "role": _("Vai trò"),
    "unit_id": _("Đơn vị"),
    "is_active": _("Đang hoạt động"),
    "ip": _("Địa chỉ IP"),
    "method": _("Cách xác thực"),
    "stage": _("Bước"),
    "sessions_ended": _("Số phiên đã kết thúc"),
    "limit": _("Giới hạn"),
}

# State words per kind of object ("cycles.cycle" → {"draft": "Dự thảo", …}): the rooms that own the
# states are above this one, so parindex/apps.py fills this in ready().
STATE_LABELS: dict[str, dict[str, str]] = {}


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def state_label(object_type: str, value) -> str:
    return str(STATE_LABELS.get(object_type, {}).get(value, value))


def describe(event) -> str:
    """The action in words and, for a move between states, the two states in words."""
    label = action_label(event.action)
    before, after = event.before or {}, event.after or {}
    if isinstance(after, dict) and after.get("state"):
        to = state_label(event.object_type, after["state"])
        if isinstance(before, dict) and before.get("state"):
            return f"{label}: {state_label(event.object_type, before['state'])} → {to}"
        return f"{label}: {to}"
    return label


def value_words(object_type: str, key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("có") if value else gettext("không")
    if key == "state":
        return state_label(object_type, value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_words(object_type, k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(value_words(object_type, key, v) for v in value)
    return str(value)


def words(object_type: str, values) -> list[tuple[str, str]]:
    """(field in words, value in words) for each field of an event's before or after."""
    if not isinstance(values, dict):
        return [] if values in (None, "") else [("", str(values))]
    return [
        (field_label(key), value_words(object_type, key, value)) for key, value in values.items()
    ]
