"""GET /api/v1/sipas/{year}: SIPAS of a published year, per unit, per family and for the city, each
figure with its 95 % interval (docs/api.md, docs/surveys.md "Chỉ số SIPAS"). Public (`auth=None`);
404 before one of the city's cycles of the year is published, as for a year without SIPAS."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, Router, Schema

from .sipas_public import as_data, published_sipas

router = Router(tags=["sipas"], auth=None)


class FigureOut(Schema):
    code: str = Field(description="Mã thành phần: overall, service, service/access, expect_fees, …")
    name: str
    value: float | None = Field(description="Tỷ lệ (%), không có khi chưa ai trả lời")
    low: float = Field(description="Cận dưới khoảng tin cậy 95 % (%)")
    high: float = Field(description="Cận trên khoảng tin cậy 95 % (%)")
    n: int = Field(description="Số câu trả lời hợp lệ (cỡ mẫu hiệu dụng với số liệu có trọng số)")
    reliable: bool = Field(description="n ≥ 30 và khoảng tin cậy không rộng quá 20 điểm")


class BlockOut(Schema):
    index: FigureOut | None = Field(description="Chỉ số SIPAS chung (trung bình hai phần)")
    parts: list[FigureOut] = Field(description="Hai phần: service (dịch vụ), policy (chính sách)")
    elements: list[FigureOut] = Field(description="Năm yếu tố của dịch vụ hành chính công")
    policy_elements: list[FigureOut]
    expectations: list[FigureOut] = Field(description="Tỷ lệ mong đợi, rất mong đợi theo nội dung")
    indicators: list[FigureOut] = Field(
        description="Chỉ tiêu đánh giá: không gặp nhũng nhiễu, không chi phí không chính thức, "
        "kênh thông tin, hình thức nộp hồ sơ phù hợp"
    )
    n: int = Field(description="Số phiếu được tính")


class UnitOut(BlockOut):
    code: str
    name: str
    family: str
    population: int | None = Field(description="Số hồ sơ trong kỳ N (tổng thể)")
    population_assumed: bool = Field(
        description="N ước tính (trung vị) vì đơn vị chưa nhập số hồ sơ"
    )
    weight: float | None = Field(description="Trọng số mỗi phiếu w = N / n")


class FamilyOut(BlockOut):
    family: str
    family_name: str
    units: int
    effective_n: float = Field(description="Cỡ mẫu hiệu dụng Kish của các phiếu")


class TargetOut(Schema):
    value: float = Field(description="Chỉ tiêu của kế hoạch (%)")
    met: bool
    text: str


class SipasOut(BlockOut):
    year: int
    cycles: list[str] = Field(description="Các kỳ đánh giá đã công bố có khảo sát SIPAS")
    effective_n: float
    target: TargetOut | None = Field(description="Chỉ tiêu SIPAS của kế hoạch CCHC năm, nếu có")
    families: list[FamilyOut]
    units: list[UnitOut]


class ErrorOut(Schema):
    detail: str


@router.get(
    "/{year}",
    response={200: SipasOut, 404: ErrorOut},
    summary="Chỉ số SIPAS của một năm đã công bố",
    description="Chỉ số hài lòng của người dân, tổ chức (SIPAS) của Thành phố, từng khối và từng đơn "
    "vị, với khoảng tin cậy 95 %; số liệu Thành phố và khối có trọng số theo thiết kế mẫu (mỗi phiếu "
    "của đơn vị có trọng số N/n). Chỉ có khi kết quả năm đã được công bố.",
)
def sipas_year(request, year: int):
    sipas = published_sipas(year) if 1900 <= year <= 9999 else None
    if sipas is None:
        raise Http404
    return as_data(sipas)
