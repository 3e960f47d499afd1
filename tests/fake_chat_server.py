"""Stand-ins for the configured language model in the talent tests (summaries, interview questions, the page).

:class:`FakeChat` is a chat object (no HTTP); :class:`FakeChatServer` is a local OpenAI-compatible server: it listens on 127.0.0.1 (a free port), answers every ``POST …/chat/completions`` with the content its
``answer`` gives for the request body (or with an HTTP error status), and records every body, so a
test can assert on exactly what the model was sent. No network beyond the loopback.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from app.llm.base import GenerationError

Answer = Callable[[dict[str, Any]], str]


class FakeChat:
    """A chat backend answering with ``answer`` (or failing with ``error``); it records the messages."""

    def __init__(self, answer: Answer | str = "", error: str = "", name: str = "LLM 서버(시험)") -> None:
        self.name = name
        self.answer: Answer = answer if callable(answer) else (lambda body, content=answer: content)
        self.error = error
        self.messages: list[dict[str, str]] = []

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        """The answer to ``messages`` (a request body of only them)."""
        self.messages = messages
        if self.error:
            raise GenerationError(self.error)
        return self.answer({"messages": messages})


class FakeChatServer(ThreadingHTTPServer):
    """The server; ``answer`` maps a request body to the reply's content, ``status`` other than 200 fails."""

    daemon_threads = True

    def __init__(self, answer: Answer | str, status: int = 200) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer: Answer = answer if callable(answer) else (lambda body, content=answer: content)
        self.status = status
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        """Base URL as ``GOYONG_LLM_BASE_URL`` takes it."""
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def sent_text(self) -> str:
        """Every request body as one text (for "this never reached the model" assertions)."""
        return "\n".join(json.dumps(body, ensure_ascii=False) for body in self.requests)


class _Handler(BaseHTTPRequestHandler):
    server: FakeChatServer

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        if self.server.status != 200:
            data = b'{"error": "internal"}'
            self.send_response(self.server.status)
        else:
            reply = {"choices": [{"message": {"content": self.server.answer(body)}}]}
            data = json.dumps(reply, ensure_ascii=False).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        return None


@contextmanager
def running(answer: Answer | str, status: int = 200) -> Iterator[FakeChatServer]:
    """A started :class:`FakeChatServer`, shut down and closed on exit."""
    server = FakeChatServer(answer, status)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def user_payload(body: dict[str, Any]) -> Any:
    """The JSON the talent prompts put after the first line of the user message."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return json.loads(user.split("\n", 1)[1])


def is_question_request(body: dict[str, Any]) -> bool:
    """True for an interview-question request (its system prompt is about interviews)."""
    return "면접" in body["messages"][0]["content"]


def answer_every_probe(question: str = "이 근거에 적힌 일에서 본인이 맡은 역할과 결과를 구체적으로 말씀해 주세요.") -> Answer:
    """An answer that writes ``question`` for every probe it was sent."""
    def answer(body: dict[str, Any]) -> str:
        probes = user_payload(body)["근거"]
        return json.dumps({"questions": [{"probe": p["번호"], "question": question} for p in probes]},
                          ensure_ascii=False)
    return answer


def answer_summaries_and_questions(body: dict[str, Any]) -> str:
    """Summaries for every candidate sent (their desired occupation only) or a question for every probe."""
    if is_question_request(body):
        return answer_every_probe()(body)
    return json.dumps({"summaries": [{"id": c["id"], "sentences": [f"{c['희망 직종']} 일자리를 찾는 구직자입니다."]}
                                     for c in user_payload(body)]}, ensure_ascii=False)
