"""The assistant part of the JSON API: `POST /api/v1/assistant/ask` (docs/assistant.md).

With a bearer token the question is answered as the token's user, every tool applying that user's
permissions; without one, as an anonymous visitor: only what the public sees (published results, the
city's published SIPAS points). The question and its answer are logged like the page's
(`engine.ask`). The token, or its absence, is read by parindex/api.py (`TokenOrPublic`).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from ninja import Field, Router, Schema

from .assistant import engine

router = Router(tags=["assistant"])


class QuestionIn(Schema):
    question: str = Field(
        min_length=1,
        max_length=500,
        description="Câu hỏi bằng tiếng Việt, có dấu hoặc không dấu",
        examples=["Xã nào có chỉ số thấp nhất năm 2025?"],
    )


class FigureOut(Schema):
    label: str = Field(description="Số liệu nói về gì (đơn vị, năm, nhiệm vụ…)")
    value: str = Field(description="Giá trị đã định dạng kiểu Việt Nam", examples=["87,80"])
    url: str = Field(description="Trang nguồn của số liệu")


class AnswerOut(Schema):
    answer: str = Field(description="Câu trả lời bằng tiếng Việt")
    figures: list[FigureOut] = Field(description="Từng số liệu của câu trả lời và nguồn của nó")


@router.post(
    "/ask",
    response=AnswerOut,
    summary="Hỏi trợ lý (có khoá: theo quyền của chủ khoá; không khoá: chỉ số liệu đã công bố)",
)
def ask(request, payload: QuestionIn):
    user = request.auth if getattr(request.auth, "is_authenticated", False) else AnonymousUser()
    question = payload.question.strip()
    if not question:
        return {"answer": "Hãy nhập câu hỏi.", "figures": []}
    reply = engine.ask(user, question)
    text = reply.text
    if reply.examples:
        text = " ".join([text, *reply.examples])
    return {"answer": text, "figures": reply.figures}
