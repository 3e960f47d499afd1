"""The talent matcher's dense vectors from a configured sentence-transformers folder
(GOYONG_TALENT_ENCODER_DIR): LSA when unset (and torch never imported), the model's vectors in the
index when set, a pickle without the model, a Korean refusal of a missing folder, and a rebuild (and
a refusal to serve) when the model changed.

The model is a tiny random BERT with a WordPiece vocabulary trained here on a few Korean sentences:
nothing is downloaded.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from app.auth import User
from app.build import run_build
from app.cli import main as cli_main
from app.config import PROJECT_ROOT, get_settings
from app.db.engine import make_engine
from app.db.repositories import matching as matching_repo
from app.ml import manifest, registry, talent
from app.ml.manifest import ArtifactResult
from app.ml.sentence_encoder import EncoderUnavailable, SentenceEncoder, model_fingerprint
from app.reference.tables import load_reference
from app.services import talent as talent_service
from app.services.overview import compute_model_status
from app.services.talent.matching import source_scores_for
from app.text.pii import mask_pii
from tests.conftest import copy_world_database

COUNSELLOR = User("counsellor1", "상담사", "counsellor")
HIDDEN = 32

SENTENCES = (
    "요양보호사 자격증을 갖고 요양원에서 3년 근무했습니다",
    "지게차 운전 기능사 자격으로 물류 창고에서 상하차를 했습니다",
    "회계 사무원으로 엑셀과 세무 신고 업무를 맡았습니다",
    "웹 개발자 자바 스프링 서버 개발 경력",
    "용접 기능사 제조업 생산직 교대 근무",
    "간호조무사 병원 외래 접수와 진료 보조",
    "조리사 한식 조리 단체 급식 경험",
    "경기 평택 근무 가능 주 5일 정규직",
)


def build_tiny_model(root: Path) -> Path:
    """A sentence-transformers folder: random 2-layer BERT (hidden 32) + mean pooling, with a
    WordPiece tokenizer trained on :data:`SENTENCES` (seeded; about a second after the imports)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors, trainers
    from tokenizers.models import WordPiece
    from transformers import BertConfig, BertModel, BertTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer = Tokenizer(WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(list(SENTENCES) * 4, trainers.WordPieceTrainer(vocab_size=400, special_tokens=specials))
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    fast = BertTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                             sep_token="[SEP]", mask_token="[MASK]")
    torch.manual_seed(0)
    bert = BertModel(BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=HIDDEN, num_hidden_layers=2,
                                num_attention_heads=2, intermediate_size=64, max_position_embeddings=128))
    base = root / "base"
    bert.save_pretrained(base)
    fast.save_pretrained(base)
    model_dir = root / "tiny-ko-encoder"
    SentenceTransformer(modules=[Transformer(str(base), max_seq_length=128), Pooling(HIDDEN)], device="cpu").save(
        str(model_dir))
    return model_dir


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("encoder"))


@pytest.fixture(scope="module")
def st_built(tmp_path_factory: pytest.TempPathFactory, world_db: Path, tiny_model: Path):
    """(engine, models dir, build report) of the matcher alone built on a copy of the small world
    with the tiny model configured."""
    root = tmp_path_factory.mktemp("talent_st")
    engine = make_engine(f"sqlite:///{copy_world_database(f'sqlite:///{world_db}', root / 'w.db')}")
    models = root / "models"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOYONG_TALENT_ENCODER_DIR", str(tiny_model))
        patch.setattr(registry, "ARTIFACTS", (talent.SPEC,))
        get_settings.cache_clear()
        report = run_build(engine, models, size="small", seed=7)
    get_settings.cache_clear()
    yield engine, models, report
    engine.dispose()


@pytest.fixture(scope="module")
def st_matcher(st_built) -> talent.TalentMatcher:
    return talent.load_talent_matcher(st_built[1])


def _model(path: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


# --------------------------------------------------------------------------- unset: LSA, no torch


def test_a_blank_setting_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOYONG_TALENT_ENCODER_DIR", " ")
    get_settings.cache_clear()
    try:
        assert get_settings().talent_encoder_dir is None
        assert talent.encoder_fingerprint() is None
    finally:
        get_settings.cache_clear()


NO_TORCH_SCRIPT = """
import json, sys
from pathlib import Path
from app.auth import User
from app.db.engine import make_engine
from app.ml import registry, talent
from app.services import talent as service
import app.build, app.cli  # what `python -m app build` imports

configured = {spec.name: spec.config_fingerprint() for spec in registry.ARTIFACTS if spec.config_fingerprint}
engine = make_engine(sys.argv[1])
matcher = talent.load_talent_matcher(Path(sys.argv[2]))
user = User("counsellor1", "상담사", "counsellor")
filters = service.filters_from_query(service.parse_talent_query("서울 경력 2년 이상"))
cards = service.search_candidates(engine, matcher, user, filters=filters, top=5).cards
jobs = service.jobs_for_seeker(engine, matcher, user, seeker_id=int(matcher.seekers.ids[-1]), top=3).cards
matcher.warm_up_encoder()
print(json.dumps({"configured": configured, "encoder": type(matcher.encoder).__name__,
                  "text_encoder": matcher.text_encoder is None, "dim": int(matcher.seeker_vectors.shape[1]),
                  "cards": len(cards) > 0, "jobs": len(jobs),
                  "loaded": sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)}))
"""


def test_unset_the_matcher_is_lsa_and_torch_is_never_imported(hiring_built: tuple[str, Path]) -> None:
    url, models = hiring_built
    env = {k: v for k, v in os.environ.items() if k != "GOYONG_TALENT_ENCODER_DIR"}
    env["GOYONG_WARM_UP"] = "false"
    done = subprocess.run([sys.executable, "-c", NO_TORCH_SCRIPT, url, str(models)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen.pop("configured")[talent.MODEL_NAME] is None  # every configured fingerprint computed, torch-free
    assert seen == {"encoder": "DenseEncoder", "text_encoder": True, "dim": talent.DENSE_DIM,
                    "cards": True, "jobs": 3, "loaded": []}
    entry = manifest.load_manifest(models)["models"][talent.MODEL_NAME]
    assert "config_fingerprint" not in entry  # an LSA build leaves the manifest as before
    assert entry["metrics"]["dense_encoder"] == "자체 학습 LSA, 128차원"


# --------------------------------------------------------------------------- set: the model's vectors


def test_the_build_encodes_with_the_configured_model(st_built, st_matcher, tiny_model: Path) -> None:
    engine, models, report = st_built
    assert report.built == (talent.MODEL_NAME,)
    entry = report.manifest["models"][talent.MODEL_NAME]
    assert entry["config_fingerprint"] == model_fingerprint(tiny_model)
    assert entry["metrics"]["dense_encoder"] == f"문장 임베딩 모델 {tiny_model.name}, {HIDDEN}차원"
    assert entry["metrics"]["dense_dim"] == HIDDEN
    matcher = st_matcher
    assert matcher.encoder is None and matcher.text_encoder is not None
    assert matcher.text_encoder.model_dir == tiny_model.resolve() and matcher.text_encoder.dim == HIDDEN
    assert matcher.seeker_vectors.shape == (len(matcher.seekers.ids), HIDDEN)
    assert matcher.posting_vectors.shape[1] == HIDDEN and matcher.seeker_index.dim == HIDDEN
    assert matcher.seeker_vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(matcher.seeker_vectors, axis=1), 1.0, atol=1e-5)
    # a posting's stored vector is the model's vector of its masked text (sentences, not morphemes)
    posting_id = int(matcher.posting_ids[5])
    row = next(matching_repo.load_match_postings(engine, [posting_id]).itertuples(index=False))
    text = mask_pii(talent.posting_document(row, load_reference()))
    expected = _model(tiny_model).encode([text], normalize_embeddings=True)[0]
    np.testing.assert_allclose(matcher.posting_vectors[5], expected, atol=1e-4)
    # the model status of 홈 names the encoder
    status = compute_model_status(report.manifest)
    assert f"의미 벡터 문장 임베딩 모델 {tiny_model.name}, {HIDDEN}차원" in status.iloc[0]["성능 지표"]


def test_searches_encode_queries_with_the_same_model(st_built, st_matcher, tiny_model: Path) -> None:
    engine, _, _ = st_built
    matcher = st_matcher
    filters = talent_service.filters_from_query(talent_service.parse_talent_query("서울 경력 2년 이상"))
    by_sentence = talent_service.search_candidates(engine, matcher, COUNSELLOR, filters=filters, top=5)
    assert 1 <= len(by_sentence.cards) <= 5
    posting_id = int(matcher.posting_ids[-1])
    by_posting = talent_service.search_candidates(engine, matcher, COUNSELLOR, posting_id=posting_id, top=5)
    assert 1 <= len(by_posting.cards) <= 5
    jobs = talent_service.jobs_for_seeker(engine, matcher, COUNSELLOR, seeker_id=int(matcher.seekers.ids[-1]), top=3)
    assert len(jobs.cards) == 3
    query = "지게차 운전 가능한 분, 연락처 010-1234-5678"
    vector = matcher.query_vector(query, talent.content_tokens([query])[0])
    assert vector.shape == (HIDDEN,)
    expected = _model(tiny_model).encode([mask_pii(query)], normalize_embeddings=True)[0]
    np.testing.assert_allclose(vector, expected, atol=1e-5)
    assert "010-1234-5678" not in mask_pii(query)  # the model only ever reads the masked text
    # the dense source is the model's cosine with the seekers' vectors
    scores = source_scores_for(matcher, talent.posting_query(
        next(matching_repo.load_match_postings(engine, [posting_id]).itertuples(index=False)), load_reference()))
    np.testing.assert_allclose(scores.dense, matcher.seeker_vectors @ scores.vector, atol=1e-5)


def test_the_pickle_holds_the_folder_not_the_model_and_reloads_it(st_built, tiny_model: Path) -> None:
    _, models, _ = st_built
    payload = (models / talent.MODEL_FILE).read_bytes()
    raw = zlib.decompress(payload[payload.index(b"\n") + 2:])
    assert b"torch" not in raw and b"sentence_transformers" not in raw
    loaded = talent.load_talent_matcher(models)
    assert loaded.text_encoder is not None and loaded.text_encoder._model is None
    assert loaded.text_encoder.fingerprint == model_fingerprint(tiny_model)
    vector = loaded.query_vector("요양보호사", ["요양", "보호사"])
    assert loaded.text_encoder._model is not None  # loaded on the first query, then kept
    np.testing.assert_allclose(vector, _model(tiny_model).encode(["요양보호사"], normalize_embeddings=True)[0],
                               atol=1e-5)
    again = pickle.loads(pickle.dumps(loaded.text_encoder))
    assert again._model is None and again.dim == HIDDEN and again.model_dir == loaded.text_encoder.model_dir


def test_a_fingerprint_follows_the_content_not_the_place(tiny_model: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(tiny_model, tmp_path / "copied")
    assert model_fingerprint(copy) == model_fingerprint(tiny_model)
    (copy / "README.md").write_text("다른 설명", encoding="utf-8")  # the model card is not the model
    assert model_fingerprint(copy) == model_fingerprint(tiny_model)
    config = copy / "config.json"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert model_fingerprint(copy) != model_fingerprint(tiny_model)


# --------------------------------------------------------------------------- refusals and rebuilds


@pytest.mark.parametrize("kind", ["missing", "not a model"])
def test_a_missing_or_invalid_folder_stops_the_build_in_korean(
        kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "encoder"
    if kind == "not a model":
        folder.mkdir()
        (folder / "weights.bin").write_bytes(b"\0" * 16)
    monkeypatch.setenv("GOYONG_TALENT_ENCODER_DIR", str(folder))
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    try:
        code = cli_main(["build"])
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert code == 1
    assert ("폴더가 없습니다" if kind == "missing" else "modules.json도 config.json도 없습니다") in err
    assert str(folder) in err and "Traceback" not in err
    assert not (tmp_path / "models" / manifest.MANIFEST_NAME).exists()  # stopped before anything was built
    with pytest.raises(EncoderUnavailable):
        SentenceEncoder(folder)


def test_a_changed_or_missing_model_rebuilds_the_matcher_and_is_refused_meanwhile(
        st_built, tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, built_models, _ = st_built
    models = shutil.copytree(built_models, tmp_path / "models")
    rebuilt: list[str] = []

    def fake_build(ctx: manifest.BuildContext) -> ArtifactResult:  # the real one takes seconds; its files stay
        encoder_dir = get_settings().talent_encoder_dir
        rebuilt.append(encoder_dir.name if encoder_dir is not None else "LSA")
        entry = manifest.load_manifest(built_models)["models"][talent.MODEL_NAME]
        return ArtifactResult(files=tuple(entry["files"]), metrics=entry["metrics"])

    monkeypatch.setattr(registry, "ARTIFACTS", (dataclasses.replace(talent.SPEC, build=fake_build),))
    monkeypatch.setenv("GOYONG_TALENT_ENCODER_DIR", str(tiny_model))
    get_settings.cache_clear()
    config = tiny_model / "config.json"
    original = config.read_bytes()
    try:
        assert run_build(engine, models, size="small", seed=7).skipped == (talent.MODEL_NAME,)
        serving = talent.load_talent_matcher(models)  # loaded before the change, its model not yet
        config.write_bytes(original + b"\n")  # retrained, replaced or edited: other content
        with pytest.raises(manifest.ArtifactMissing, match="python -m app build"):
            talent.load_talent_matcher(models)
        with pytest.raises(manifest.ArtifactMissing, match="python -m app build"):
            serving.query_vector("요양보호사", ["요양", "보호사"])  # nor lazily loaded from the new files
        again = run_build(engine, models, size="small", seed=7)
        assert again.built == (talent.MODEL_NAME,) and rebuilt == [tiny_model.name]
        assert again.manifest["models"][talent.MODEL_NAME]["config_fingerprint"] == model_fingerprint(tiny_model)
    finally:
        config.write_bytes(original)
    moved = tiny_model.with_name("moved-away")
    tiny_model.rename(moved)
    try:
        with pytest.raises(manifest.ArtifactMissing, match="문장 임베딩 모델이 없거나"):
            talent.load_talent_matcher(models)
    finally:
        moved.rename(tiny_model)
    # back to LSA: the setting is part of what the matcher was built with
    monkeypatch.delenv("GOYONG_TALENT_ENCODER_DIR")
    get_settings.cache_clear()
    try:
        back = run_build(engine, models, size="small", seed=7)
    finally:
        get_settings.cache_clear()
    assert back.built == (talent.MODEL_NAME,) and rebuilt[-1] == "LSA"
    assert "config_fingerprint" not in back.manifest["models"][talent.MODEL_NAME]
    assert talent.load_talent_matcher(built_models).text_encoder is not None  # the module's build is untouched
