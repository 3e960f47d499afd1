"""Backend for a local causal language model (transformers) loaded from a directory.

Weights are read with ``local_files_only=True`` — nothing is downloaded. The model and tokenizer
are loaded on first use (importing torch costs seconds) and kept. A tokenizer with a chat
template gets the chat messages; one without gets a plain Korean prompt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.llm.base import (
    GenerationError,
    GenerationResult,
    PostingDraft,
    PostingRequest,
    parse_model_json,
    prompt_messages,
)


class TransformersGenerator:
    """Drafts from a local ``AutoModelForCausalLM``.

    Args:
        model_dir: Directory written by ``save_pretrained`` (model and tokenizer).
        fallback_draft: Offline draft for a request, used to fill sections the model left out.
        max_new_tokens: Upper bound of the generated text.
    """

    def __init__(self, model_dir: Path | str, fallback_draft: Callable[[PostingRequest], PostingDraft], *,
                 max_new_tokens: int = 768) -> None:
        self.model_dir = Path(model_dir)
        self.fallback_draft = fallback_draft
        self.max_new_tokens = int(max_new_tokens)
        self.name = f"로컬 언어모델({self.model_dir.name})"
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                if not (self.model_dir / "config.json").is_file():
                    raise GenerationError(f"로컬 언어모델 폴더에 config.json이 없습니다: {self.model_dir}")
                try:
                    from transformers import AutoModelForCausalLM, AutoTokenizer  # slow import

                    tokenizer = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
                    model = AutoModelForCausalLM.from_pretrained(self.model_dir, local_files_only=True)
                except (OSError, ValueError, ImportError) as err:
                    raise GenerationError(f"로컬 언어모델을 불러오지 못했습니다 ({type(err).__name__})") from None
                model.eval()
                self._loaded = (tokenizer, model)
            return self._loaded

    def prompt_ids(self, request: PostingRequest) -> Any:
        """Token ids of the prompt (chat template when the tokenizer has one)."""
        return self.messages_ids(prompt_messages(request), open_object=True)

    def _complete(self, input_ids: Any, max_new_tokens: int | None = None) -> str:
        """The model's greedy continuation of ``input_ids``, decoded (the prompt cut to fit a tiny context)."""
        tokenizer, model = self._load()
        import torch  # loaded with the model

        limit = getattr(model.config, "n_positions", None) or getattr(model.config, "max_position_embeddings", None)
        new_tokens = int(max_new_tokens or self.max_new_tokens)
        if limit is not None:
            if input_ids.shape[1] >= limit:
                input_ids = input_ids[:, -max(1, limit // 2):]  # a tiny context keeps the end of the prompt
            new_tokens = max(1, min(new_tokens, int(limit) - input_ids.shape[1]))
        try:
            with torch.inference_mode():
                output = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                        max_new_tokens=new_tokens, do_sample=False,
                                        pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id)
            return tokenizer.decode(output[0, input_ids.shape[1]:], skip_special_tokens=True)
        except (RuntimeError, ValueError, IndexError) as err:  # torch errors are RuntimeErrors
            raise GenerationError(f"로컬 언어모델 생성 중 오류가 났습니다 ({type(err).__name__})") from None

    def messages_ids(self, messages: list[dict[str, str]], *, open_object: bool) -> Any:
        """Token ids of chat ``messages`` (chat template when the tokenizer has one; otherwise the plain
        contents, ending with "{" when ``open_object``)."""
        tokenizer, _ = self._load()
        if getattr(tokenizer, "chat_template", None):
            encoded = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=True,
                                                    return_tensors="pt")
            return encoded["input_ids"]
        text = "\n\n".join(m["content"] for m in messages) + ("\n\n{" if open_object else "\n\n")
        return tokenizer(text, return_tensors="pt")["input_ids"]

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        """The model's answer to chat ``messages`` (the counselling copilot's tasks).

        Without a chat template the plain prompt opens the JSON object, so the answer is returned
        with that "{" in front.

        Raises:
            GenerationError: The model cannot be loaded or generation fails.
        """
        tokenizer, _ = self._load()
        opened = json_object and not getattr(tokenizer, "chat_template", None)
        text = self._complete(self.messages_ids(messages, open_object=opened), max_tokens)
        return ("{" + text) if opened else text

    def generate(self, request: PostingRequest) -> GenerationResult:
        """A validated draft from the local model.

        Raises:
            GenerationError: The model cannot be loaded, or its text cannot be repaired into a
                posting.
        """
        tokenizer, _ = self._load()
        opened = not getattr(tokenizer, "chat_template", None)  # the plain prompt ends with "{"
        text = self._complete(self.prompt_ids(request))
        fallback = self.fallback_draft(request)
        try:
            draft, notes = parse_model_json(text, fallback=fallback)
        except GenerationError:
            if not opened:
                raise
            draft, notes = parse_model_json("{" + text, fallback=fallback)  # it continued the object the prompt opened
        return GenerationResult(draft=draft, backend=self.name, notices=tuple(notes))
