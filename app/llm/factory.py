"""Pick the text generator the settings ask for, always with the offline composer behind it."""

from __future__ import annotations

from app.config import Settings, get_settings
from app.llm.base import FallbackGenerator, GenerationError, GenerationResult, PostingRequest, TextGenerator
from app.llm.offline import OfflineGenerator


class _Unavailable:
    """A configured backend that cannot run (e.g. no URL set): every call falls back, visibly."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def generate(self, request: PostingRequest) -> GenerationResult:
        raise GenerationError(self.reason)


def make_generator(settings: Settings | None = None) -> TextGenerator:
    """The generator of ``settings.llm_backend``.

    ``offline`` is the composer itself; ``openai`` and ``transformers`` are wrapped in a
    :class:`FallbackGenerator`, so a failure (or a missing setting) gives the offline draft with a
    notice instead of an error.
    """
    settings = settings or get_settings()
    offline = OfflineGenerator()
    if settings.llm_backend == "offline":
        return offline

    def fallback_draft(request: PostingRequest):
        return offline.generate(request).draft

    primary: TextGenerator
    if settings.llm_backend == "openai":
        try:
            from app.llm.openai_compat import OpenAICompatibleGenerator

            primary = OpenAICompatibleGenerator(settings.llm_base_url, settings.llm_model, fallback_draft,
                                                api_key=settings.llm_api_key, timeout=settings.llm_timeout)
        except GenerationError as err:
            primary = _Unavailable("LLM 서버", str(err))
    else:
        if settings.llm_model_dir is None:
            primary = _Unavailable("로컬 언어모델", "로컬 언어모델 폴더(GOYONG_LLM_MODEL_DIR)를 설정해 주세요")
        else:
            from app.llm.transformers_local import TransformersGenerator

            primary = TransformersGenerator(settings.llm_model_dir, fallback_draft)
    return FallbackGenerator(primary, offline)


def make_summary_chat(settings: Settings | None = None):  # noqa: ANN201 - SummaryChat | None (import kept lazy)
    """The chat backend that writes candidate summaries, or ``None`` for the offline composer.

    Only the OpenAI-compatible server writes them: a local transformers model small enough for this
    machine writes no usable Korean summary, so that setting keeps the offline composer.
    """
    settings = settings or get_settings()
    if settings.llm_backend != "openai":
        return None
    from app.llm.openai_compat import OpenAICompatibleGenerator

    try:
        return OpenAICompatibleGenerator(settings.llm_base_url, settings.llm_model, lambda request: None,  # type: ignore[arg-type,return-value]
                                         api_key=settings.llm_api_key, timeout=settings.llm_timeout)
    except GenerationError:
        return None  # not configured: the offline composer answers (the posting assistant says why)


class _UnavailableChat:
    """A configured chat backend that cannot run: every call fails, so the copilot falls back visibly."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        raise GenerationError(self.reason)


def make_copilot_chat(settings: Settings | None = None):  # noqa: ANN201 - CopilotChat | None (imports kept lazy)
    """The chat backend of the counselling copilot, or ``None`` for the offline composer.

    ``openai`` gives the OpenAI-compatible server, ``transformers`` the local model; a backend that is
    configured but cannot run (no URL, no model folder) fails on every call, so the copilot shows the
    offline text with a notice saying why rather than silently.
    """
    settings = settings or get_settings()
    if settings.llm_backend == "offline":
        return None
    if settings.llm_backend == "openai":
        from app.llm.openai_compat import OpenAICompatibleGenerator

        try:
            return OpenAICompatibleGenerator(settings.llm_base_url, settings.llm_model, lambda request: None,  # type: ignore[arg-type]
                                             api_key=settings.llm_api_key, timeout=settings.llm_timeout,
                                             max_tokens=2000)
        except GenerationError as err:
            return _UnavailableChat("LLM 서버", str(err))
    if settings.llm_model_dir is None:
        return _UnavailableChat("로컬 언어모델", "로컬 언어모델 폴더(GOYONG_LLM_MODEL_DIR)를 설정해 주세요")
    from app.llm.transformers_local import TransformersGenerator

    return TransformersGenerator(settings.llm_model_dir, lambda request: None)  # type: ignore[arg-type]
