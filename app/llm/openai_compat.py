"""Backend for an OpenAI-compatible chat server (vLLM, Ollama, llama.cpp server, …).

It POSTs the Korean prompt to ``{base_url}/chat/completions`` asking for a JSON object
(``response_format: json_object``; servers that ignore it are handled by the repair in
:func:`app.llm.base.parse_model_json`). Transport uses the standard library (``urllib``): one
request per draft needs no client library, and nothing here may be imported on the default
offline path.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable

from app.llm.base import (
    GenerationError,
    GenerationResult,
    PostingDraft,
    PostingRequest,
    parse_model_json,
    prompt_messages,
)

MAX_REPLY_BYTES = 512 * 1024


class OpenAICompatibleGenerator:
    """Drafts from a chat-completions server.

    Args:
        base_url: e.g. ``http://127.0.0.1:8000/v1`` (``/chat/completions`` is appended).
        model: The served model's name.
        fallback_draft: Offline draft for a request, used to fill sections the model left out.
        api_key: Sent as a bearer token when not empty.
        timeout: Seconds for connecting and reading.
        temperature: Sampling temperature (low: postings are factual).
        max_tokens: Upper bound of the reply.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        fallback_draft: Callable[[PostingRequest], PostingDraft],
        *,
        api_key: str = "",
        timeout: float = 20.0,
        temperature: float = 0.3,
        max_tokens: int = 1500,
    ) -> None:
        if not base_url.strip() or not model.strip():
            raise GenerationError("LLM 서버 주소(GOYONG_LLM_BASE_URL)와 모델 이름(GOYONG_LLM_MODEL)을 설정해 주세요")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.fallback_draft = fallback_draft
        self.api_key = api_key
        self.timeout = float(timeout)
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.name = f"LLM 서버({model})"

    def _post(self, payload: dict) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, data=json.dumps(payload).encode("utf-8"), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # URL from settings
                raw = response.read(MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as err:
            raise GenerationError(f"LLM 서버가 오류를 돌려주었습니다 (HTTP {err.code})") from None
        except TimeoutError:
            raise GenerationError(f"LLM 서버가 {self.timeout:g}초 안에 응답하지 않았습니다") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise GenerationError(f"LLM 서버가 {self.timeout:g}초 안에 응답하지 않았습니다") from None
            # the reason in Korean: the exception's class name is an English identifier on a Korean screen
            kind = "연결 거부" if isinstance(reason, ConnectionRefusedError) else "네트워크 오류"
            raise GenerationError(f"LLM 서버에 연결할 수 없습니다 ({kind})") from None
        if len(raw) > MAX_REPLY_BYTES:
            raise GenerationError("LLM 서버의 응답이 너무 깁니다")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise GenerationError("LLM 서버의 응답이 OpenAI 형식이 아닙니다") from None

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        """The text the server answers to chat ``messages`` (other uses than postings: candidate summaries).

        Raises:
            GenerationError: Connection failure, timeout, HTTP error, or a reply without generated text.
        """
        payload: dict = {"model": self.model, "messages": messages, "temperature": self.temperature,
                         "max_tokens": max_tokens or self.max_tokens}
        if json_object:
            payload["response_format"] = {"type": "json_object"}
        reply = self._post(payload)
        try:
            return str(reply["choices"][0]["message"]["content"] or "")
        except (KeyError, IndexError, TypeError):
            raise GenerationError("LLM 서버의 응답에 생성된 글이 없습니다") from None

    def generate(self, request: PostingRequest) -> GenerationResult:
        """A validated draft from the server.

        Raises:
            GenerationError: Connection failure, timeout, HTTP error, a reply that is not
                chat-completions JSON, or content that cannot be repaired into a posting.
        """
        content = self.chat(prompt_messages(request))
        draft, notes = parse_model_json(content, fallback=self.fallback_draft(request))
        return GenerationResult(draft=draft, backend=self.name, notices=tuple(notes))
