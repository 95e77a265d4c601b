"""The demo's plan and reports: Hà Nội's 2025 plan (Decision 6830/QĐ-UBND, every task of its appendix and
its targets) with realistic progress, and the periodic reports of 2025 and 2026 (the annual 2026 report
open today). Seeded; rows written in bulk."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from plans import leaders, progress
from plans import services as plan_services
from plans.appendix import (
    APPENDIX_2025,
    OUTSIDE_CATALOGUE_2025,
    PLAN_2025,
    targets,
    tsv_rows,
    workbook,
)
from plans.models import LeadStatus, Plan, Target, Task, TaskStatus
from reporting import services as report_services
from reporting.consolidation import expected_units
from reporting.feeds import FeedRow
from reporting.models import (
    KIND_ORDER,
    FeedChannel,
    IndicatorValue,
    NarrativeText,
    Period,
    PeriodKind,
    ReportState,
    UnitReport,
    data_window,
)
from units.models import Unit, UnitKind

INDICATORS = """dossiers_on_time; Tỷ lệ hồ sơ TTHC giải quyết đúng hạn; rate; %
dossiers_fully_online; Tỷ lệ hồ sơ TTHC được xử lý hoàn toàn trực tuyến; rate; %
reports_on_system; Tỷ lệ báo cáo định kỳ thực hiện trên Hệ thống thông tin báo cáo; rate; %
staff_trained; Tỷ lệ cán bộ, công chức được tập huấn về CCHC; rate; %
records_digitised; Tỷ lệ tài liệu lưu trữ được tạo lập dưới dạng điện tử; rate; %
inspections; Số cuộc kiểm tra CCHC đã thực hiện; number; cuộc
dialogues; Số cuộc đối thoại với người dân, doanh nghiệp về TTHC; number; cuộc
feedback; Số phản ánh, kiến nghị về TTHC đã tiếp nhận; number; lượt"""
SECTIONS = """direction; Công tác chỉ đạo, điều hành CCHC
institutions; Cải cách thể chế
procedures; Cải cách TTHC, thực hiện cơ chế một cửa, một cửa liên thông
apparatus; Cải cách tổ chức bộ máy
civil_service; Cải cách chế độ công vụ
public_finance; Cải cách tài chính công
digital; Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"""
SENTENCES = [
    "Đơn vị đã ban hành kế hoạch và triển khai đầy đủ các nhiệm vụ được giao.",
    "Duy trì hoạt động của bộ phận một cửa; niêm yết công khai đầy đủ TTHC.",
    "Tổ chức tập huấn cho cán bộ, công chức về kỹ năng số và giao tiếp ứng xử.",
    "Rà soát, đề xuất đơn giản hóa TTHC thuộc phạm vi quản lý.",
    "Thực hiện nghiêm chế độ báo cáo trên Hệ thống thông tin báo cáo của Thành phố.",
]


# The appendix leaves some milestone rows without a name (only units and a deadline, or a bare
# "Báo cáo"): the demo names them as a secretariat would when entering the plan. Keyed by the
# milestone's number (task.n).
MILESTONE_NAMES = {
    "1.1": "Các cơ quan, đơn vị ban hành Kế hoạch CCHC năm 2025 của cơ quan, đơn vị mình",
    "2.1": "Các cơ quan, đơn vị ban hành Kế hoạch tuyên truyền CCHC năm 2025",
    "4.1": "Các Sở, ban, ngành và UBND quận, huyện, thị xã ban hành Kế hoạch kiểm tra CCHC",
    "13.1": "Báo cáo kết quả rà soát, chấm điểm Chỉ số CCHC các phòng, ban và UBND cấp xã",
}
# The appendix's leader written without a name: the Chairman at the time of the plan.
CHAIRMAN_2025 = "Đ/c Trần Sỹ Thanh, Chủ tịch UBND Thành phố"


def appendix_for_demo() -> list[list[str]]:
    """The 2025 appendix as shipped, with each leader written one way (the spelling the plan uses
    most) and every milestone named."""
    rows = [list(row) for row in tsv_rows(APPENDIX_2025)]
    header, body = rows[0], rows[1:]
    column = {name: header.index(name) for name in ("number", "task", "product", "leader")}
    spellings = [row[column["leader"]] for row in body]
    labels = dict(leaders.options(spellings + [CHAIRMAN_2025]))
    parent, count = "", 0
    for row in body:
        if row[column["number"]]:
            parent, count = row[column["number"]], 0
        else:
            count += 1
            name = MILESTONE_NAMES.get(f"{parent}.{count}")
            if name:
                row[column["task"]] = name
        leader = row[column["leader"]]
        if leader.strip():
            if leaders.canonical(leader) == "Chủ tịch UBND Thành phố":
                leader = CHAIRMAN_2025
            row[column["leader"]] = "Đ/c " + labels[leaders.key(leader)]
    return [header, *body]


def load_plan(secretariat, today) -> Plan:
    rng = random.Random(6830)
    plan = Plan.objects.filter(year=2025).first()
    if plan is not None:
        return plan
    plan = plan_services.save_plan(secretariat, **PLAN_2025)
    for values in targets():
        Target.objects.create(plan=plan, **values)
    _assign_targets(secretariat, plan)
    plan_services.confirm_names(secretariat, dict.fromkeys(OUTSIDE_CATALOGUE_2025))
    plan_services.import_tasks(
        secretariat, plan, workbook(appendix_for_demo()), "appendix-2025.xlsx"
    )
    tasks = list(plan.tasks.prefetch_related("lead_statuses"))
    rows = []
    for task in tasks:
        own = list(task.lead_statuses.all())
        if own:
            # Led by several units: each reports its own progress; the task's follows from theirs. A
            # task past due is held up by one or two units now and then; the others finished it.
            past = bool(task.due and task.due < today)
            late = rng.sample(own, min(2, len(own))) if past and rng.random() < 0.15 else []
            for row in own:
                _progress(
                    row, task.due, today, rng, task.product, finished=past and row not in late
                )
            task.status = progress.overall_status([r.status for r in own])
            task.done_on = progress.overall_done_on([r.done_on for r in own])
            rows += own
        else:
            _progress(task, task.due, today, rng, task.product, finished=None)
    Task.objects.bulk_update(tasks, ["status", "done_on", "progress_note"])
    LeadStatus.objects.bulk_update(
        rows, ["status", "done_on", "progress_note", "product_link"], batch_size=2000
    )
    return plan


def _assign_targets(secretariat, plan: Plan) -> None:
    """Targets handed to units as the plan writes them: at least 99 % of dossiers on time in land and
    investment (the two departments now holding them), 80 % of records digitised in every department."""
    on_time = plan.targets.get(indicator_code="dossiers_on_time")
    for code in ("S05", "S03"):
        plan_services.assign_target(
            secretariat, on_time, Unit.objects.get(code=code), Decimal("99")
        )
    digitised = plan.targets.get(indicator_code="records_digitised")
    for unit in Unit.objects.filter(kind=UnitKind.DEPARTMENT, active_to__isnull=True):
        plan_services.assign_target(secretariat, digitised, unit)


def _progress(row, due, today, rng: random.Random, product: str, finished: bool | None) -> None:
    """A realistic status for a task, or for one lead unit's part of it (`finished` decided by the
    caller, else drawn: 85 % of the work past due is done). Done work is on time but for 3 %;
    work not yet due is mostly started."""
    roll = rng.random()
    if due and due < today:
        if finished is None:
            finished = roll < 0.85
        if not finished:
            row.status, row.done_on = TaskStatus.IN_PROGRESS, None
        elif rng.random() < 0.97:
            row.status, row.done_on = TaskStatus.DONE, due - timedelta(days=rng.randint(0, 15))
        else:
            row.status, row.done_on = TaskStatus.DONE, due + timedelta(days=rng.randint(3, 30))
    else:
        row.status = TaskStatus.IN_PROGRESS if roll < 0.7 else TaskStatus.NOT_STARTED
        row.done_on = None
    if row.status == TaskStatus.DONE:
        number = rng.randint(10, 400)
        row.progress_note = (
            f"Đã hoàn thành: {product or 'sản phẩm'} ban hành kèm văn bản số {number}/KH-UBND."
        )
    elif row.status == TaskStatus.IN_PROGRESS:
        row.progress_note = "Đang triển khai theo kế hoạch; dự thảo đã xin ý kiến các đơn vị."


def _figures(rng: random.Random, quality: float, scale: float) -> dict:
    """Figures of one report; `scale` grows with the period, as every window starts on 15 December."""

    def share(low):
        return min(1.0, max(low, rng.gauss(quality, 0.03)))

    result = {}
    for code, low in (
        ("dossiers_on_time", 0.9),
        ("dossiers_fully_online", 0.5),
        ("reports_on_system", 0.9),
        ("staff_trained", 0.6),
        ("records_digitised", 0.4),
    ):
        denominator = max(
            1,
            round(
                scale
                * (rng.randint(50, 8000) if code == "dossiers_on_time" else rng.randint(20, 600))
            ),
        )
        # Hà Nội handles about 99 % of dossiers on time (its 2024–2025 reports): few units fall below 95 %.
        rate = (
            min(1.0, max(0.95, rng.gauss(0.985, 0.012)))
            if code == "dossiers_on_time"
            else share(low)
        )
        result[code] = (round(denominator * rate), denominator)
    for code in ("inspections", "dialogues", "feedback"):
        result[code] = round(scale * rng.randint(0, 12 if code != "feedback" else 60))
    return result


def _fill(period: Period, rng: random.Random, share: float, submitter) -> None:
    indicators = {i.code: i for i in period.template.indicators.all()}
    sections = list(period.template.sections.all())
    units = list(expected_units(period))
    values, texts = [], []
    for unit in units:
        if rng.random() > share:
            continue
        submitted = rng.random() < 0.97 if period.is_open() is False else rng.random() < 0.4
        report = UnitReport.objects.create(
            period=period,
            unit=unit,
            state=ReportState.SUBMITTED if submitted else ReportState.DRAFT,
            submitted_at=period.due_at - timedelta(days=rng.randint(1, 10)) if submitted else None,
            submitted_by=submitter if submitted else None,
        )
        scale = (KIND_ORDER.index(PeriodKind(period.kind)) + 1) / len(KIND_ORDER)
        for code, figure in _figures(rng, rng.uniform(0.9, 0.99), scale).items():
            indicator = indicators[code]
            if indicator.is_rate:
                values.append(
                    IndicatorValue(
                        report=report,
                        indicator=indicator,
                        numerator=Decimal(figure[0]),
                        denominator=Decimal(figure[1]),
                    )
                )
            else:
                values.append(
                    IndicatorValue(report=report, indicator=indicator, value=Decimal(figure))
                )
        for section in rng.sample(sections, 3):
            texts.append(NarrativeText(report=report, section=section, text=rng.choice(SENTENCES)))
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    NarrativeText.objects.bulk_create(texts, batch_size=2000)


# The figures the city's dossier-handling system holds for every unit: pushed as a feed, so the reports
# still to be written open with them filled in (docs/reporting.md, "Nguồn dữ liệu chỉ tiêu").
FED_CODES = ("dossiers_on_time", "dossiers_fully_online")


def _feed(period: Period, rng: random.Random, secretariat) -> None:
    indicators = {i.code: i for i in period.template.indicators.filter(code__in=FED_CODES)}
    reported = set(period.reports.values_list("unit_id", flat=True))
    rows = []
    for unit in expected_units(period).exclude(pk__in=reported):
        figures = _figures(rng, rng.uniform(0.9, 0.99), 1.0)
        for code, indicator in indicators.items():
            numerator, denominator = figures[code]
            rows.append(
                FeedRow(
                    period=period,
                    unit=unit,
                    indicator=indicator,
                    numerator=Decimal(numerator),
                    denominator=Decimal(denominator),
                )
            )
    report_services.receive_feed(secretariat, rows, FeedChannel.API)


def load_reports(secretariat, now) -> None:
    if Period.objects.exists():
        return
    rng = random.Random(19)
    indicators, sections = report_services.parse_definition(INDICATORS, SECTIONS)
    template = report_services.save_template(
        secretariat, "Báo cáo CCHC định kỳ", indicators, sections
    )
    for year in (2025, 2026):
        for kind in (PeriodKind.Q1, PeriodKind.HALF_YEAR, PeriodKind.NINE_MONTHS, PeriodKind.YEAR):
            end = data_window(year, kind)[1]
            due = timezone.make_aware(timezone.datetime(end.year, end.month, 20, 17, 0))
            if due < now:
                period = report_services.open_period(secretariat, year, kind, template, due)
                _fill(period, rng, 0.97, secretariat)
            else:
                # The period under way today stays open a few weeks whatever day the demo is loaded.
                period = report_services.open_period(
                    secretariat, year, kind, template, max(due, now + timedelta(days=21))
                )
                _fill(period, rng, 0.5, secretariat)
                _feed(period, rng, secretariat)
                return
