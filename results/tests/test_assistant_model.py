"""The assistant's optional model against a fake OpenAI-compatible server (an http.server in a
thread): a good answer passes, an answer citing an invented figure is rejected and the built-in
engine answers; failures fall back; nothing about the asker is sent."""

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from results.assistant import engine, guard, model, schemas, tools
from results.models import AssistantQuestion
from results.tests.test_assistant import results  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("results")


class FakeModel:
    """Answers each POST /v1/chat/completions with the next scripted reply; keeps the requests."""

    def __init__(self):
        self.script: list = []
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), **body})
                step = fake.script.pop(0) if fake.script else {"status": 500}
                status = step.get("status", 200)
                data = json.dumps(step.get("reply", {})).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def fake(settings):
    server = FakeModel()
    server.thread.start()
    settings.ASSISTANT_API_BASE = server.base
    settings.ASSISTANT_MODEL = "fake-model"
    settings.ASSISTANT_API_KEY = "city-key"
    settings.ASSISTANT_TIMEOUT = 5
    yield server
    server.server.shutdown()
    server.server.server_close()


def _call(name, arguments, id_="call-1"):
    return {
        "reply": {
            "choices": [
                {
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": id_,
                                "type": "function",
                                "function": {"name": name, "arguments": json.dumps(arguments)},
                            }
                        ],
                    }
                }
            ]
        }
    }


def _say(text):
    return {"reply": {"choices": [{"message": {"role": "assistant", "content": text}}]}}


LOWEST = _call("extreme_index", {"year": 2025, "kind": "commune", "lowest": True})
QUESTION = "Xã nào có chỉ số thấp nhất năm 2025?"


def test_a_good_answer_passes_with_the_tools_figures(fake, officer_b):
    fake.script = [LOWEST, _say("Năm 2025, Phường Cửa Nam có chỉ số thấp nhất: 61.25 điểm.")]
    reply = engine.ask(officer_b, QUESTION)
    assert reply.text == "Năm 2025, Phường Cửa Nam có chỉ số thấp nhất: 61.25 điểm."
    assert reply.figures == [
        {
            "label": "Phường Cửa Nam",
            "value": "61,25",
            "url": reverse("public:unit", args=["2025", "00073"]),
        }
    ]
    assert AssistantQuestion.objects.get().intent == "model:extreme"
    first, second = fake.requests
    assert first["path"] == "/v1/chat/completions" and first["model"] == "fake-model"
    assert first["headers"]["Authorization"] == "Bearer city-key"
    assert {t["function"]["name"] for t in first["tools"]} == {f.__name__ for f in schemas.TOOLS}
    assert second["messages"][-1]["role"] == "tool"
    assert "61,25" in second["messages"][-1]["content"]


def test_an_answer_citing_an_invented_figure_is_rejected(fake, officer_b, caplog):
    fake.script = [LOWEST, _say("Năm 2025, Phường Cửa Nam thấp nhất với 58,40 điểm.")]
    reply = engine.ask(officer_b, QUESTION)
    # The built-in engine's answer instead, with the true figure.
    assert reply.text == "Năm 2025, chỉ số thấp nhất là Phường Cửa Nam (61,25)."
    assert AssistantQuestion.objects.get().intent == "extreme"
    assert "rejected (numbers no tool returned: 58,40)" in caplog.text


def test_an_answer_without_any_tool_call_is_rejected(fake, officer_b, caplog):
    fake.script = [_say("Phường Cửa Nam, 61,25 điểm.")]
    assert engine.ask(officer_b, QUESTION).intent == "extreme"
    assert "answered without calling a tool" in caplog.text


def test_the_tools_run_as_the_asker(fake, officer_b):
    """A unit officer's model asks for another unit's unpublished index: the tool refuses."""
    fake.script = [
        _call("unit_index", {"unit": "Phường Hoàn Kiếm", "year": 2026}),
        _say("Bạn không có quyền xem số liệu năm 2026 của Phường Hoàn Kiếm."),
    ]
    reply = engine.ask(officer_b, "Chỉ số của Phường Hoàn Kiếm năm 2026")
    assert reply.figures == []
    said = json.loads(fake.requests[1]["messages"][-1]["content"])
    assert said["status"] == tools.REFUSED and said["figures"] == []


def test_a_wrong_call_is_said_back_to_the_model(fake, officer_b):
    fake.script = [
        _call("unit_index", {"unit": "Sở Không Có"}),
        _call("drop_tables", {}, "call-2"),
        LOWEST,
        _say("Phường Cửa Nam (61,25)."),
    ]
    assert engine.ask(officer_b, QUESTION).text == "Phường Cửa Nam (61,25)."
    errors = [json.loads(r["messages"][-1]["content"]) for r in fake.requests[1:3]]
    assert all("error" in e for e in errors)


@pytest.mark.parametrize(
    "script",
    [
        [],  # the server answers 500
        [{"reply": {"unexpected": True}}],
        [{"reply": {"choices": [{"message": {"content": ""}}]}}],
        [LOWEST] * 5,  # never answers
    ],
)
def test_a_failing_model_falls_back_to_the_engine(fake, officer_b, script, caplog):
    fake.script = list(script)
    reply = engine.ask(officer_b, QUESTION)
    assert reply.text == "Năm 2025, chỉ số thấp nhất là Phường Cửa Nam (61,25)."
    assert "could not answer" in caplog.text


def test_an_unreachable_endpoint_falls_back(settings, officer_b):
    settings.ASSISTANT_API_BASE = "http://127.0.0.1:9/v1"
    settings.ASSISTANT_MODEL = "fake-model"
    settings.ASSISTANT_TIMEOUT = 2
    assert engine.ask(officer_b, QUESTION).intent == "extreme"


def test_unset_the_engine_alone_answers(settings, officer_b, monkeypatch):
    settings.ASSISTANT_API_BASE = ""
    monkeypatch.setattr(model, "reply", lambda *a: pytest.fail("the model was called"))
    assert engine.ask(officer_b, QUESTION).intent == "extreme"


def test_nothing_about_the_asker_is_sent(fake, officer_b):
    fake.script = [LOWEST, _say("Phường Cửa Nam (61,25).")]
    engine.ask(officer_b, QUESTION + " Gửi cho tôi qua an.nguyen@hanoi.gov.vn, 0912 345 678")
    sent = json.dumps(fake.requests, ensure_ascii=False)
    for private in (officer_b.username, officer_b.email, "an.nguyen", "345 678"):
        assert not private or private not in sent
    assert "2025" in fake.requests[0]["messages"][1]["content"]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("87,80", "87.8"),
        ("87.8", "87.8"),
        ("87,8", "87.8"),
        ("1.234", "1234"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("2025", "2025"),
        ("1.234.567", "1234567"),
    ],
)
def test_vietnamese_numbers_read_as_values(written, value):
    assert Decimal(value).normalize() in guard.readings(written)


def test_the_guard_compares_values_not_spellings():
    sources = ['{"value": "87,80", "rank": 3, "n": "1.234"}']
    assert guard.invented("87.8 điểm, hạng 3, 1234 phiếu", sources) == []
    assert guard.invented("87,81 điểm", sources) == ["87,81"]


def test_the_tool_schemas_come_from_the_tools():
    declared = {t["function"]["name"]: t["function"] for t in schemas.tool_schemas()}
    assert set(declared) == {f.__name__ for f in schemas.TOOLS}
    assert declared["unit_index"]["parameters"]["required"] == ["unit"]
    assert set(declared["overdue_tasks"]["parameters"]["properties"]) == {"leader"}
    assert declared["extreme_index"]["parameters"]["properties"]["kind"]["enum"] == [
        "commune",
        "department",
    ]
    assert "user" not in json.dumps(declared)
