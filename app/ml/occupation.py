"""Occupation auto-classification (직종 자동분류): KECO 소분류 top-3 from a job title and duties.

Method: character 1–3-gram TF-IDF (``char_wb``, so spacing variants such as "주방보조" / "주방 보조"
share n-grams) into a multinomial logistic regression with balanced class weights. Training text:

* the world's postings (title + 담당 업무), four fifths of them — the held-out fifth is the
  build's test set;
* reference pseudo-documents for every occupation, so occupations with few postings and titles
  written unlike the world's are still covered: the occupation name and each KECO 세분류 name
  under it (alone and with the occupation's duty phrases), its skill keywords, and the names of
  certificates the 직업사전 links to it.

Real titles and duties of the 한국직업사전 (``../shared/data/korean_job_dictionary``) are never
training data; ``bench/posting_quality.py`` measures accuracy on them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from app.db.repositories import training
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, save_fitted
from app.ml.model_card import ModelCard
from app.reference.tables import Reference, load_reference

MODEL_NAME = "occupation_classifier"
MODEL_FILE = "occupation_classifier.joblib"
MODEL_VERSION = "1.0"
TEST_SHARE = 0.2
MAX_TEXT_CHARS = 2_000


@dataclass(frozen=True)
class OccupationGuess:
    """One candidate occupation.

    Attributes:
        keco_code: KECO 소분류 (3 digits).
        name: Its Korean name.
        probability: Model probability (0–1).
        terms: Character n-grams of the text that pushed this occupation up most.
    """

    keco_code: str
    name: str
    probability: float
    terms: tuple[str, ...] = ()


@dataclass
class OccupationClassifier:
    """The fitted vectoriser and classifier plus the names of the classes."""

    vectorizer: TfidfVectorizer
    model: LogisticRegression
    names: dict[str, str]
    version: str = MODEL_VERSION
    metrics: dict[str, float] = field(default_factory=dict)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Class probabilities (rows: texts; columns: ``self.model.classes_``)."""
        return self.model.predict_proba(self.vectorizer.transform([str(t)[:MAX_TEXT_CHARS] for t in texts]))

    def top_k(self, text: str, k: int = 3, *, n_terms: int = 4) -> list[OccupationGuess]:
        """The ``k`` most likely occupations of one text, each with its top n-grams."""
        row = self.vectorizer.transform([str(text)[:MAX_TEXT_CHARS]])
        probs = self.model.predict_proba(row)[0]
        order = np.argsort(-probs)[:k]
        vocabulary = self.vectorizer.get_feature_names_out()
        present = row.indices
        guesses = []
        for index in order:
            contribution = row.data * self.model.coef_[index, present]
            best = present[np.argsort(-contribution)[:n_terms]]
            terms = tuple(t for t, c in zip(vocabulary[best], np.sort(-contribution)[:n_terms], strict=False) if -c > 0 and t.strip())
            code = str(self.model.classes_[index])
            guesses.append(OccupationGuess(code, self.names.get(code, code), float(probs[index]), terms))
        return guesses


def top_k_accuracy(classifier: OccupationClassifier, texts: list[str], labels: np.ndarray, ks=(1, 3)) -> dict[str, float]:
    """Share of texts whose true code is among the top k (one figure per k)."""
    if not texts:
        return {f"top{k}": float("nan") for k in ks}
    probs = classifier.probabilities(texts)
    order = np.argsort(-probs, axis=1)
    classes = classifier.model.classes_
    truth = np.asarray(labels).astype(str)[:, None]
    return {f"top{k}": float((classes[order[:, :k]] == truth).any(axis=1).mean()) for k in ks}


def _split(value: object) -> list[str]:
    text = "" if value is None or value != value else str(value)
    return [part.strip() for part in text.split(";") if part.strip()]


def reference_documents(reference: Reference) -> tuple[list[str], list[str]]:
    """Pseudo-documents of every occupation from the reference tables (texts, codes)."""
    tree = reference.keco_tree
    leaves = tree[tree["level"].astype(int) == 4].groupby("parent")["name"].apply(list)
    texts: list[str] = []
    codes: list[str] = []
    for row in reference.occupations.itertuples(index=False):
        code = str(row.keco_code)
        duties = " ".join(_split(row.duty_phrases))
        for name in [str(row.name), *leaves.get(code, [])]:
            texts += [name, f"{name}\n{duties}"]
            codes += [code, code]
        skills = _split(row.skills)
        if skills:
            texts.append(" ".join(skills))
            codes.append(code)
    for row in reference.certificates.itertuples(index=False):
        for code in _split(str(row.keco_codes).replace(",", ";")):
            texts.append(str(row.name))
            codes.append(code)
    known = set(reference.occupations["keco_code"].astype(str))
    keep = [i for i, c in enumerate(codes) if c in known]
    return [texts[i] for i in keep], [codes[i] for i in keep]


def posting_text(title: str, duties: str) -> str:
    """The classifier's input: the title, then the duties."""
    return f"{title}\n{duties}"


def fit_occupation_classifier(texts: list[str], codes: list[str], reference: Reference, *, seed: int = 0) -> OccupationClassifier:
    """Fit on labelled texts plus the reference pseudo-documents."""
    ref_texts, ref_codes = reference_documents(reference)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([t[:MAX_TEXT_CHARS] for t in texts] + ref_texts)
    model = LogisticRegression(C=10.0, max_iter=300, class_weight="balanced", random_state=seed)
    model.fit(matrix, list(codes) + ref_codes)
    names = dict(zip(reference.occupations["keco_code"].astype(str), reference.occupations["name"].astype(str), strict=True))
    return OccupationClassifier(vectorizer=vectorizer, model=model, names=names)


def load_posting_texts(ctx_engine) -> pd.DataFrame:
    """``id, keco_code, text`` of the stored postings (world postings only: assistant drafts are
    labelled by the classifier itself)."""
    frame = training.load_posting_titles(ctx_engine)
    frame["text"] = [posting_text(t, d) for t, d in zip(frame["title"], frame["duties"], strict=True)]
    return frame


def held_out_mask(ids: np.ndarray, seed: int) -> np.ndarray:
    """The build's test fifth, by posting id (reproducible for benches)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(ids))
    mask = np.zeros(len(ids), dtype=bool)
    mask[order[: int(round(len(ids) * TEST_SHARE))]] = True
    return mask


def build_occupation_classifier(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: fit on four fifths of the world's postings and the reference documents;
    report top-1/top-3 accuracy on the held-out fifth."""
    started = time.perf_counter()
    reference = load_reference()
    postings = load_posting_texts(ctx.engine)
    seed = ctx.seed % (2**31)
    test = held_out_mask(postings["id"].to_numpy(), seed)
    train = postings[~test]
    classifier = fit_occupation_classifier(train["text"].tolist(), train["keco_code"].astype(str).tolist(), reference,
                                           seed=seed)
    held = postings[test]
    accuracy = top_k_accuracy(classifier, held["text"].tolist(), held["keco_code"].to_numpy())
    classifier.metrics = {
        "top1_test": round(accuracy["top1"], 4), "top3_test": round(accuracy["top3"], 4),
        "n_train": float(len(train)), "n_test": float(len(held)), "n_classes": float(len(classifier.model.classes_)),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    return save_fitted(ctx, classifier, MODEL_FILE, classifier.metrics)


def load_occupation_classifier(models_dir: Path) -> OccupationClassifier:
    """The built classifier (only from our own models/ directory; raises ``ArtifactMissing`` naming the build)."""
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="직종 자동분류 모델", build=build_occupation_classifier)
"""The KECO occupation classifier of the posting assistant."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="직종 자동분류 모델",
    purpose="구인공고 AI 작성지원에서 구인기업이 입력한 직무명과 담당 업무로 알맞은 직종(KECO 소분류)을 제안해, "
            "직종 선택을 돕습니다.",
    output="가능성이 높은 직종 3개와 각 직종의 확률, 그 판단에 가장 크게 작용한 글자 조각.",
    shown_on=("posting_assistant",),
    criteria=("직무명과 담당 업무의 글자 조각(1~3글자)", "직종별 대표 업무·기술·자격증 표현과의 유사성"),
    not_used="기업이나 개인에 관한 정보는 쓰지 않습니다. 입력한 직무명과 담당 업무 글만 봅니다.",
    training_data="가상 세계 구인공고의 5분의 4(직무명과 담당 업무)와, 직종마다 만든 참고 문장(직종명, 한국고용직업분류 "
                  "세분류명, 한국직업사전에서 추린 짧은 업무 구절, 기술 키워드, 관련 자격증 이름). 한국직업사전의 실제 직무명과 업무 "
                  "설명은 학습에 쓰지 않고 별도 평가에만 씁니다.",
    human_oversight="제안일 뿐이며 직종은 구인기업 담당자가 확인하고 고릅니다. 제안이 맞지 않으면 전체 직종 목록에서 직접 "
                    "고를 수 있습니다.",
    contest="제안된 직종이 맞지 않으면 화면에서 다른 직종을 고르면 됩니다. 분류가 반복해서 틀리면 관할 고용센터에 "
            "직무명과 화면을 본 시각을 알려 주세요.",
    limits="가상 세계의 공고와 문체가 다른 실제 직무 설명에서는 정확도가 크게 낮아집니다(한국직업사전 평가에서 1순위 "
           "정답률이 약 40%). 그래서 사람이 반드시 확인합니다.",
    quality_metrics=("top1_test", "top3_test", "n_classes", "n_train", "n_test"),
    fairness_note="개인 특성을 쓰지 않는 문장 분류라 집단별 공정성 지표는 해당하지 않습니다.",
)
"""Transparency notice of the occupation classifier (:mod:`app.ml.model_card`)."""
