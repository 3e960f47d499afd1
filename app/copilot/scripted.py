"""A scripted OpenAI-compatible chat server that answers copilot tasks and sometimes invents facts.

No model: it reads the task's sources from the prompt (:func:`app.copilot.generation.task_messages`)
and answers with statements that restate a source — and, at a set rate, a statement that adds a fact
no source holds (a number, a date, an organisation, a certificate or an occupation). It remembers
every request and every invented statement, so the quality bench can measure how many invented facts
the faithfulness check catches and whether any personal data reached the "model".

Used by ``bench/copilot_quality.py``, the tests, and to demonstrate the check without a real model
(``python -m app.copilot.scripted`` serves it on a port).
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

INVENTIONS: tuple[tuple[str, str], ...] = (
    ("number", "관련 교육을 {n}시간 이수했습니다."),
    ("date", "{y}년 {m}월 {d}일에 이전 직장을 그만두었습니다."),
    ("organisation", "{name}에서 추가 상담을 받았습니다."),
    ("certificate", "{name} 자격을 갖추고 있습니다."),
    ("occupation", "{name}로 일한 경험이 있습니다."),
    ("money", "희망 임금은 월 {n}만원입니다."),
)
"""(claim kind, template) of the facts the server invents; the values are drawn so no source holds them."""
INVENTED_NAMES: dict[str, tuple[str, ...]] = {
    "organisation": ("한국직업능력진흥센터", "서울취업지원재단", "미래일자리협회"),
    "certificate": ("정보보안기사", "항공정비기능장", "수산양식기술사"),
    "occupation": ("항공기 조종사", "약사 및 한약사", "경찰관, 소방관 및 교도관"),
}
"""Names the server invents from (one the task's sources do not mention)."""


class ScriptedChatServer(ThreadingHTTPServer):
    """The server; ``invent_rate`` is the share of statements that carry an invented fact.

    Attributes:
        requests: Every request body received (parsed JSON).
        invented: Texts of the statements that carry an invented fact.
        faithful: Texts of the statements that only restate a source.
    """

    daemon_threads = True

    def __init__(self, *, invent_rate: float = 0.3, seed: int = 0, statements: int = 6) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.invent_rate = float(invent_rate)
        self.rng = random.Random(seed)
        self.statements = int(statements)
        self.requests: list[dict[str, Any]] = []
        self.invented: set[str] = set()
        self.faithful: set[str] = set()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        """Base URL for :class:`app.llm.openai_compat.OpenAICompatibleGenerator` (``…/v1``)."""
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def answer(self, payload: dict[str, Any]) -> str:
        """The JSON text answering one chat request."""
        with self.lock:
            self.requests.append(payload)
            try:
                task = json.loads(payload["messages"][-1]["content"])
                sources = list(task["근거"])
                kinds = list(task["종류"])
            except (KeyError, IndexError, TypeError, ValueError):
                return json.dumps({"statements": []})
            ground = " ".join(str(s.get("내용", "")) + " " + str(s.get("출처", "")) for s in sources)
            statements = []
            picked = self.rng.sample(sources, min(self.statements, len(sources))) if sources else []
            for i, source in enumerate(picked):
                text = f"근거에 따르면 {str(source['내용']).strip()[:160]}"
                if self.rng.random() < self.invent_rate:
                    text = f"{text} 또한 {self._invention(ground)}"
                    self.invented.add(text)
                else:
                    self.faithful.add(text)
                statements.append({"kind": kinds[i % len(kinds)], "text": text, "sources": [source["번호"]]})
            return json.dumps({"statements": statements}, ensure_ascii=False)

    def _invention(self, ground: str) -> str:
        kind, template = self.rng.choice(INVENTIONS)
        while True:
            n = self.rng.randint(101, 979)
            compact = ground.replace(" ", "")
            names = [name for name in INVENTED_NAMES.get(kind, ("",)) if not name or name.replace(" ", "") not in compact]
            if not names:
                kind, template = "number", INVENTIONS[0][1]
                names = [""]
            values = {"n": n, "y": self.rng.randint(2001, 2015), "m": self.rng.randint(1, 12), "d": self.rng.randint(1, 28),
                      "name": self.rng.choice(names)}
            text = template.format(**values)
            if kind in ("number", "money") and str(n) in ground:
                continue
            if kind == "date" and str(values["y"]) in ground:
                continue
            return text


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedChatServer

    def log_message(self, format: str, *args: Any) -> None:  # the base class's name
        pass

    def do_POST(self) -> None:  # http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {}
        if not self.path.endswith("/chat/completions"):
            self.send_response(404)
            self.end_headers()
            return
        content = self.server.answer(payload)
        reply = json.dumps({"id": "scripted", "object": "chat.completion",
                            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]},
                           ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


@contextmanager
def scripted_server(*, invent_rate: float = 0.3, seed: int = 0) -> Iterator[ScriptedChatServer]:
    """Run a :class:`ScriptedChatServer` in a thread for the duration of the block."""
    server = ScriptedChatServer(invent_rate=invent_rate, seed=seed)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":  # pragma: no cover - a manual demonstration
    with scripted_server() as running:
        print(f"GOYONG_LLM_BACKEND=openai GOYONG_LLM_BASE_URL={running.url} GOYONG_LLM_MODEL=scripted")
        threading.Event().wait()
