"""The assistant's optional model (docs/assistant.md): a chat-completions conversation with an
OpenAI-compatible endpoint the city hosts (ASSISTANT_API_BASE, ASSISTANT_MODEL, ASSISTANT_API_KEY),
with function calling over the built-in engine's tools run as the asker. The model phrases and
combines; it never brings a figure of its own: an answer holding a number no tool returned is
rejected (`Rejected`), and the engine answers instead.

Sent: the question (e-mail addresses and long digit runs such as telephone numbers blanked), the
tools' declarations and their results. Never sent: who asks (name, account, unit, role), a token.
Standard library only (urllib), with a deadline on the whole conversation."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

from django.conf import settings

from . import answer, guard, schemas, tools

ROUNDS = 4  # model turns at most: tool calls, then the answer
SYSTEM = (
    "Bạn là trợ lý của nền tảng Chỉ số cải cách hành chính (CCHC) của thành phố Hà Nội. "
    "Trả lời ngắn gọn bằng tiếng Việt. Mọi số liệu phải lấy từ kết quả của các công cụ, chép đúng "
    "như công cụ trả về; không tự tính, không ước đoán, không dùng số nào khác. Nếu công cụ trả về "
    "status 'refused' thì nói rằng người hỏi không có quyền xem hoặc số liệu chưa công bố."
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"\d[\d .-]{7,}\d")


class Failed(Exception):
    """The endpoint could not be used (unreachable, too slow, an answer not understood)."""


class Rejected(Exception):
    """The model's answer broke the guard (a number no tool returned)."""


def configured() -> bool:
    base = settings.ASSISTANT_API_BASE
    return base.startswith(("http://", "https://")) and bool(settings.ASSISTANT_MODEL)


def scrub(text: str) -> str:
    """The question without what could identify a person: e-mail addresses, telephone or ID
    numbers (runs of nine digits and more). Years and figures stay."""
    return _DIGITS.sub("…", _EMAIL.sub("…", text))


def _post(body: dict, deadline: float) -> dict:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Failed("timeout")
    request = urllib.request.Request(  # noqa: S310 - http(s) only (configured())
        f"{settings.ASSISTANT_API_BASE}/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    if settings.ASSISTANT_API_KEY:
        request.add_header("Authorization", f"Bearer {settings.ASSISTANT_API_KEY}")
    try:
        with urllib.request.urlopen(request, timeout=left) as response:  # noqa: S310 - configured URL
            return json.loads(response.read(2_000_000))
    except (OSError, ValueError) as error:  # URLError, HTTPError, timeouts, bad JSON
        raise Failed(f"{type(error).__name__}: {error}") from error


def _message(reply: dict) -> dict:
    try:
        message = reply["choices"][0]["message"]
    except (KeyError, IndexError, TypeError) as error:
        raise Failed("no message in the reply") from error
    if not isinstance(message, dict):
        raise Failed("no message in the reply")
    return message


def reply(user, text: str) -> answer.Answer:
    """The model's answer to `text`, its tools run as `user`; Failed or Rejected otherwise."""
    deadline = time.monotonic() + settings.ASSISTANT_TIMEOUT
    aliases = tools.unit_aliases()
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": scrub(text)}]
    said: list[str] = []  # every tool result, as sent
    figures: list[dict] = []
    intent = None
    for _round in range(ROUNDS):
        body = {
            "model": settings.ASSISTANT_MODEL,
            "messages": messages,
            "tools": schemas.tool_schemas(),
            "tool_choice": "auto",
            "temperature": 0,
        }
        message = _message(_post(body, deadline))
        calls = message.get("tool_calls") or []
        if not calls:
            content = message.get("content")
            if not isinstance(content, str) or not content.strip():
                raise Failed("an empty answer")
            if not said:
                raise Rejected("answered without calling a tool")
            if made_up := guard.invented(content, said):
                raise Rejected(f"numbers no tool returned: {', '.join(made_up)}")
            return answer.Answer(f"model:{intent or 'none'}"[:30], content.strip(), figures)
        messages.append(
            {"role": "assistant", "content": message.get("content"), "tool_calls": calls}
        )
        for called in calls:
            try:
                function = called["function"]
                name, raw = function["name"], function.get("arguments") or "{}"
                given = json.loads(raw) if isinstance(raw, str) else raw
            except (KeyError, TypeError, ValueError) as error:
                raise Failed("a tool call not understood") from error
            result_json, result = schemas.call(user, name, given, aliases)
            if result is not None:
                intent = intent or result.intent
                figures += [f for f in result_json["figures"] if f not in figures]
            content = json.dumps(result_json, ensure_ascii=False, default=str)
            said.append(content)
            messages.append(
                {"role": "tool", "tool_call_id": called.get("id", name), "content": content}
            )
    raise Failed("no answer after the tool calls")
