"""A sentence-transformers model read from a local folder, as a text encoder of unit vectors.

The talent matcher's dense vectors come from its own LSA encoder unless
``GOYONG_TALENT_ENCODER_DIR`` names such a folder (:attr:`app.config.Settings.talent_encoder_dir`).
Nothing is downloaded: the model is opened with ``local_files_only=True`` and the Hugging Face hub
is put offline before the library loads. Importing torch and sentence-transformers costs 5–15 s,
so this module imports neither: the model is loaded on first use and kept, once per encoder.

An encoder is pickled with its folder and :func:`model_fingerprint`, never with the model: the
artifact stays small, and a model that changed or went missing since the build is detected
(:meth:`SentenceEncoder.check`) instead of mixing two vector spaces.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.errors import NotReady
from app.threads import thread_count

BATCH_SIZE = 64
"""Texts encoded per forward pass at build time."""
WHOLE_HASH_MAX_BYTES = 64 * 2**20
"""Files up to this size are hashed whole; larger ones (weights of big models) by their size and
:data:`SAMPLES` chunks of :data:`SAMPLE_BYTES` spread over the file: a retrained or other model
differs throughout its weights, and hashing gigabytes would hold up every build and server start."""
SAMPLES = 8
SAMPLE_BYTES = 2**20
MODEL_MARKERS: tuple[str, ...] = ("modules.json", "config.json")
"""A sentence-transformers folder (``SentenceTransformer.save``) has ``modules.json``; a plain
transformers folder (``save_pretrained``) has ``config.json`` and gets mean pooling."""


class EncoderUnavailable(NotReady):
    """The configured sentence-transformers folder is missing, not a model, or cannot be loaded."""


def _model_files(model_dir: Path) -> list[Path]:
    """The files that make the model: every file below the folder but hidden ones and the model card."""
    return sorted(p for p in model_dir.rglob("*")
                  if p.is_file() and p.suffix.lower() != ".md"
                  and not any(part.startswith(".") for part in p.relative_to(model_dir).parts))


def _file_digest(path: Path) -> str:
    size = path.stat().st_size
    digest = hashlib.blake2b(str(size).encode(), digest_size=16)
    with path.open("rb") as handle:
        if size <= WHOLE_HASH_MAX_BYTES:
            for chunk in iter(lambda: handle.read(SAMPLE_BYTES), b""):
                digest.update(chunk)
        else:
            for i in range(SAMPLES):
                handle.seek((size - SAMPLE_BYTES) * i // (SAMPLES - 1))
                digest.update(handle.read(SAMPLE_BYTES))
    return digest.hexdigest()


def check_model_dir(model_dir: Path) -> Path:
    """The resolved folder of a configured model.

    Raises:
        EncoderUnavailable: The folder does not exist or holds no model (Korean message naming it).
    """
    path = Path(model_dir).expanduser()
    if not path.is_dir():
        raise EncoderUnavailable(
            f"문장 임베딩 모델 폴더가 없습니다: {path}. GOYONG_TALENT_ENCODER_DIR을 고치거나 비워 두세요 "
            "(비워 두면 자체 학습한 LSA 벡터를 씁니다).")
    if not any((path / marker).is_file() for marker in MODEL_MARKERS):
        raise EncoderUnavailable(
            f"문장 임베딩 모델 폴더에 modules.json도 config.json도 없습니다: {path}. sentence-transformers의 "
            "save() 또는 transformers의 save_pretrained()로 저장한 폴더를 지정하세요.")
    return path.resolve()


def model_fingerprint(model_dir: Path) -> str:
    """Content fingerprint of a model folder: names, sizes and hashes of its files (see
    :data:`WHOLE_HASH_MAX_BYTES`). Copying the folder elsewhere keeps it; changing any weight,
    the tokenizer or the configuration changes it.

    Raises:
        EncoderUnavailable: As :func:`check_model_dir`.
    """
    path = check_model_dir(model_dir)
    digest = hashlib.blake2b(digest_size=16)
    for file in _model_files(path):
        digest.update(f"{file.relative_to(path).as_posix()}\0{_file_digest(file)}\n".encode())
    return digest.hexdigest()


def _load_model(path: Path) -> Any:
    """The SentenceTransformer of ``path`` on the CPU, offline, on the configured threads."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before huggingface_hub reads it on import
    try:
        import torch  # slow import: only when a model is configured
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a "Loading weights" bar inside the build's own
        torch.set_num_threads(thread_count())
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except ImportError as err:
        raise EncoderUnavailable(
            f"문장 임베딩 모델을 쓰려면 sentence-transformers와 torch가 필요합니다 ({err.name} 없음).") from None
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as err:
        raise EncoderUnavailable(f"문장 임베딩 모델을 불러오지 못했습니다 ({type(err).__name__}): {path}") from None
    model.eval()
    return model


class SentenceEncoder:
    """A local sentence-transformers model that turns texts into unit float32 vectors.

    Args:
        model_dir: Folder of the model (``SentenceTransformer.save`` or ``save_pretrained`` layout).
        fingerprint: Its :func:`model_fingerprint` when already computed.

    Raises:
        EncoderUnavailable: The folder is missing or holds no model.
    """

    def __init__(self, model_dir: Path | str, *, fingerprint: str | None = None) -> None:
        self.model_dir = check_model_dir(Path(model_dir))
        self.fingerprint = fingerprint or model_fingerprint(self.model_dir)
        self.dim = 0
        """Vector dimension (known once the model was loaded; kept in the pickle)."""
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The model's folder name (what the model status shows)."""
        return self.model_dir.name

    def load(self) -> Any:
        """The model, loaded on first call and kept (thread-safe).

        Raises:
            EncoderUnavailable: It cannot be loaded, or its files are no longer those of
                :attr:`fingerprint` (a lazily loaded model must be the one the vectors came from).
        """
        with self._lock:
            if self._model is None:
                self.check()
                self._model = _load_model(self.model_dir)
                get_dim = getattr(self._model, "get_embedding_dimension", None) \
                    or self._model.get_sentence_embedding_dimension
                self.dim = int(get_dim())
            return self._model

    def check(self) -> None:
        """Refuse a model that is missing or no longer the one the vectors were made with.

        Raises:
            EncoderUnavailable: The folder is gone, or its fingerprint differs from :attr:`fingerprint`.
        """
        current = model_fingerprint(self.model_dir)
        if current != self.fingerprint:
            raise EncoderUnavailable(f"문장 임베딩 모델이 벡터를 만든 뒤에 바뀌었습니다: {self.model_dir}")

    def encode(self, texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Unit float32 vectors (rows) of ``texts``."""
        model = self.load()
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        vectors = np.asarray(vectors, dtype=np.float32)
        # normalize_embeddings leaves an all-zero vector at zero; any other is re-normalised in float32
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def encode_one(self, text: str) -> np.ndarray:
        """The unit vector of one text (a query)."""
        return self.encode([text], batch_size=1)[0]

    def __getstate__(self) -> dict[str, Any]:
        # the model stays out of the pickle: only the folder and what identifies its content
        return {"model_dir": str(self.model_dir), "fingerprint": self.fingerprint, "dim": self.dim}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.model_dir = Path(state["model_dir"])
        self.fingerprint = str(state["fingerprint"])
        self.dim = int(state["dim"])
        self._model = None
        self._lock = threading.Lock()


__all__ = ["EncoderUnavailable", "SentenceEncoder", "check_model_dir", "model_fingerprint"]
