"""Occupation auto-classification (직종 자동분류): KECO 소분류 top-3 from a job title and duties.

Method: character 2–3-gram TF-IDF (``char_wb``, so spacing variants such as "주방보조" / "주방 보조"
share n-grams; a one-syllable word still counts through its space-padded bigrams, while single
syllables inside words — the '청' of version 1's evidence — are no longer features), after
removing :data:`FILLER_WORDS`, into a Complement Naive Bayes whose class scores become probabilities through a
softmax with a temperature fitted at build (log loss on held-out text). Why not the logistic
regression of version 1: with the 한국직업사전's names the training set grows to ~18,000 texts and
~80,000 n-grams, and the regression took 1.5 CPU-minutes per fit (the build fits twice, below)
for no better top-3 on everyday titles; Complement NB fits in seconds and is the usual choice for
short, many-class text.

Training text:

* the world's postings (title + 담당 업무), at most :data:`WORLD_PER_CLASS` per occupation from four
  fifths of them — the held-out fifth is the build's test set. The world's titles repeat the KECO
  names, so more of them drown the wording employers really use;
* reference pseudo-documents for every occupation: the occupation name and each KECO 세분류 name
  under it (alone and with the occupation's duty phrases), its skill keywords, and the names of
  certificates the 직업사전 links to it;
* the 한국직업사전 (``<shared_data_dir>/korean_job_dictionary``, read at build time only, never
  committed): every 직업명 and 유사명칭, alone, and 직업명 with its 직무개요, labelled with the
  entry's KECO 2018 세분류 mapped to the 2025 소분류 (:func:`app.reference.build.keco.keco2018_to_2025`).

Held-out dictionary evaluation: the entries are split in two by a stable hash of ``dJobCd``
(:func:`dictionary_half`). The build first fits a twin on the world, the reference documents and
the training half only, and records its top-1/top-3 on the other half (``dictionary_top1/3``: 직업명
+ 직무개요; ``dictionary_name_top1/3``: 직업명 alone); the temperature is fitted on that half too
(it does not change the ranking). The classifier that is saved is then fitted on every entry.
Without ``../shared/data`` (a clean clone) both fits use the world and reference documents only.

Nearest-name lookup: the title (spaces removed, or else its longest word) found among the known
names of an occupation — KECO names and the 직업사전 names the classifier was fitted with — adds
:data:`NAME_BOOST` to that occupation's log-odds (half of it when a name only begins with it).

Evidence: whole words of the employer's text (never single syllables), scored by the n-grams
inside them, and the dictionary name a word matches ("'바리스타' ↔ 직업사전 '바리스타'").
Below :data:`CONFIDENCE_FLOOR` the page asks the employer to choose instead of preselecting.
"""

from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import ComplementNB

from app.config import get_settings
from app.db.repositories import training
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, artifact_path, load_fitted, save_fitted
from app.ml.model_card import ModelCard
from app.reference.tables import Reference, load_reference

MODEL_NAME = "occupation_classifier"
MODEL_FILE = "occupation_classifier.joblib"
WEIGHTS_FILE = "occupation_classifier_weights.npy"
"""The classes × n-grams weights (float32, ~60 MB), apart from the joblib: compressed inside it they
took 4 s to load; as a plain array file they are memory-mapped in milliseconds and shared by the
server's sessions through the page cache."""
MODEL_VERSION = "2.0"
TEST_SHARE = 0.2
MAX_TEXT_CHARS = 2_000
WORLD_PER_CLASS = 12
"""World postings per occupation in training (see the module docstring)."""
NB_ALPHA = 1.0
NAME_BOOST = 2.0
"""Log-odds added to an occupation one of whose known names the title is (exact) or begins (half)."""
DEFAULT_TEMPERATURE = 9.0
"""Softmax temperature without held-out real text (a clean clone without ``../shared/data``): the
value the demo build fits on the held-out 직업사전 half (9.0–9.4). The world's held-out fifth is no
substitute: its titles repeat the KECO names, so the fit there (~370) makes every guess ~100 %."""
NGRAM_RANGE = (2, 3)
DICTIONARY_FILE = Path("korean_job_dictionary") / "job_dictionary_detail.csv.gz"
TRAIN_HALF = 0
"""The half of the 직업사전 entries (:func:`dictionary_half`) the evaluation twin trains on."""
CONFIDENCE_FLOOR = 0.35
"""Top-1 probability below which the page preselects nothing and asks the employer to choose.

Chosen on ``data/evaluation/everyday_titles.csv`` with the built demo classifier (2.0): 25 % of the
titles fall below 0.35 and their first candidate is right for only 33 % of them (a preselection
would mostly be wrong), while above it the first candidate is right for 84 %; a higher floor asks
about more titles without making the preselected ones much better (0.5: 34 % asked, 87 % right).
``bench/posting_quality.py`` reports ``everyday_floor_share``, ``everyday_top1_above_floor``,
``everyday_top1_below_floor``."""
MIN_WORD_CHARS = 2
_WORD = re.compile(r"[0-9A-Za-z가-힣]+")
FILLER_WORDS: frozenset[str] = frozenset(
    "알바 아르바이트 구함 구합니다 구인 모집 모집합니다 채용 채용합니다 급구 모십니다 찾습니다 선생님 기사님 직원 님 "
    "신입 경력 정규직 계약직 파트타임 주말 평일 야간 주간 단기 장기".split()
)
"""Words of a job title that say how or when one is hired, not what the job is: removed from every
text before the n-grams (training and prediction alike), so "편의점 알바" reads as "편의점" and
"요양보호사 선생님" as "요양보호사"."""
_FILLER = re.compile(r"(?<![0-9A-Za-z가-힣])(?:" + "|".join(sorted(FILLER_WORDS, key=len, reverse=True))
                     + r")(?![0-9A-Za-z가-힣])")


def core_text(text: str) -> str:
    """The text without :data:`FILLER_WORDS` (whole words only), at most ``MAX_TEXT_CHARS`` long."""
    return _FILLER.sub(" ", str(text)[:MAX_TEXT_CHARS])


@dataclass(frozen=True)
class OccupationGuess:
    """One candidate occupation.

    Attributes:
        keco_code: KECO 소분류 (3 digits).
        name: Its Korean name.
        probability: Model probability (0–1).
        terms: Whole words of the employer's text that pushed this occupation up most (two
            characters or more, no duplicates).
        matches: ``(word, name)`` pairs: a word of the text and the 직업사전 or KECO name of this
            occupation it matches.
    """

    keco_code: str
    name: str
    probability: float
    terms: tuple[str, ...] = ()
    matches: tuple[tuple[str, str], ...] = ()


def text_words(text: str) -> list[str]:
    """Words of a text (letters and digits), two characters or more, each once, in order."""
    return list(dict.fromkeys(w for w in _WORD.findall(str(text)[:MAX_TEXT_CHARS]) if len(w) >= MIN_WORD_CHARS))


@dataclass
class OccupationClassifier:
    """The fitted vectoriser and classifier plus the names of the classes."""

    vectorizer: TfidfVectorizer
    model: ComplementNB
    names: dict[str, str]
    version: str = MODEL_VERSION
    metrics: dict[str, float] = field(default_factory=dict)
    temperature: float = 1.0
    known_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Occupation names by class (KECO names and, when read at build, 직업사전 직업명·유사명칭)."""

    def _scores(self, matrix) -> np.ndarray:
        """Complement NB class scores (rows: texts)."""
        weights = self.model.feature_log_prob_
        if matrix.shape[0] == 1:
            # one text: only the columns of its n-grams (the full product copies the transposed
            # 139 × 80,000 weights on every call, ~90 ms)
            return (weights[:, matrix.indices] @ matrix.data)[None, :]
        return np.asarray(matrix @ np.ascontiguousarray(weights.T))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Class probabilities (rows: texts; columns: ``self.model.classes_``)."""
        cores = [core_text(t) for t in texts]
        scores = self.temperature * self._scores(self.vectorizer.transform(cores))
        return softmax(scores + np.vstack([self._name_boost(c) for c in cores]), axis=1)

    def _name_boost(self, core: str) -> np.ndarray:
        """Nearest-name lookup: :data:`NAME_BOOST` for the occupations having the title (its first
        line, spaces removed, or else its longest word) as a known name, half of it for those with
        a name beginning with it ("주방보조" → 주방보조원)."""
        boost = np.zeros(len(self.model.classes_))
        index = getattr(self, "_prefix_index", None)
        if index is None:
            index = self._prefix_index = _prefix_index(self.known_names, list(self.model.classes_.astype(str)))
        title = core.split("\n", 1)[0]
        keys = ["".join(title.split()), *sorted(text_words(title), key=len, reverse=True)]
        for key in keys:
            hit = index.get(key)
            if hit is not None:
                exact, prefix = hit
                boost[list(prefix)] = NAME_BOOST / 2
                boost[list(exact)] = NAME_BOOST
                break
        return boost

    def top_k(self, text: str, k: int = 3, *, n_terms: int = 3) -> list[OccupationGuess]:
        """The ``k`` most likely occupations of one text, each with the words behind it."""
        text = core_text(text)
        row = self.vectorizer.transform([text])
        probs = softmax(self.temperature * self._scores(row) + self._name_boost(text), axis=1)[0]
        order = np.argsort(-probs)[:k]
        words = text_words(text)
        # each word's n-grams (char_wb pads a word with spaces, as it does inside the text)
        word_rows = self.vectorizer.transform(words) if words else None
        weights = self.model.feature_log_prob_
        guesses = []
        for index in order:
            code = str(self.model.classes_[index])
            terms: tuple[str, ...] = ()
            if word_rows is not None:
                # what sets this class apart from the average class, per n-gram present in the text
                lift = np.zeros(weights.shape[1], dtype=np.float64)
                lift[row.indices] = row.data * (weights[index, row.indices] - weights[:, row.indices].mean(axis=0))
                scores = np.asarray((word_rows > 0).astype(np.float64) @ lift).ravel()
                ranked = [w for w, s in sorted(zip(words, scores, strict=True), key=lambda p: -p[1]) if s > 0]
                terms = tuple(ranked[:n_terms])
            guesses.append(OccupationGuess(code, self.names.get(code, code), float(probs[index]), terms,
                                           self._matches(code, terms or tuple(words))))
        return guesses

    def _matches(self, code: str, words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """Each word paired with the shortest name of the occupation containing it (or contained in it)."""
        names = self.known_names.get(code, ())
        found = []
        for word in words:
            hits = [n for n in names if word == n] or [n for n in names if word in n or (len(n) >= 2 and n in word)]
            if hits:
                found.append((word, min(hits, key=lambda n: (abs(len(n) - len(word)), n))))
        return tuple(found[:2])


def _prefix_index(known_names: dict[str, tuple[str, ...]], classes: list[str]) -> dict[str, tuple[set[int], set[int]]]:
    """Every known name and each of its beginnings (two characters or more) → (class positions
    having it as a name, class positions having a name beginning with it)."""
    position = {c: i for i, c in enumerate(classes)}
    index: dict[str, tuple[set[int], set[int]]] = {}
    for code, names in known_names.items():
        if code not in position:
            continue
        for name in names:
            index.setdefault(name, (set(), set()))[0].add(position[code])
            for end in range(2, len(name)):
                index.setdefault(name[:end], (set(), set()))[1].add(position[code])
    return index


def top_k_accuracy(classifier: OccupationClassifier, texts: list[str], labels, ks=(1, 3)) -> dict[str, float]:
    """Share of texts whose true code is among the top k (one figure per k).

    ``labels`` holds one code per text, or a ``;``-list of acceptable codes.
    """
    if not len(texts):
        return {f"top{k}": float("nan") for k in ks}
    probs = classifier.probabilities(list(texts))
    order = np.argsort(-probs, axis=1)
    classes = classifier.model.classes_
    accepted = [set(str(label).split(";")) for label in labels]
    return {f"top{k}": float(np.mean([bool(set(classes[row[:k]]) & ok) for row, ok in zip(order, accepted, strict=True)]))
            for k in ks}


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


# --------------------------------------------------------------------------- 한국직업사전


def dictionary_half(job_code: str) -> int:
    """The half (0 or 1) of a 직업사전 entry, by a stable hash (CRC-32) of its ``dJobCd``."""
    return zlib.crc32(str(job_code).encode("utf-8")) % 2


def similar_names(value: object) -> list[str]:
    """The 유사명칭 of an entry ("A, B, C 등" → ["A", "B", "C"])."""
    if not isinstance(value, str):
        return []
    value = re.sub(r"\s*등\s*$", "", value.strip())
    return [part.strip() for part in re.split(r"[,，]", value) if len(part.strip()) >= 2]


def load_dictionary_entries(shared_dir: Path | None = None) -> pd.DataFrame | None:
    """The 직업사전 entries as training/evaluation text, or ``None`` without the shared data.

    Returns:
        ``job_code, name, similar, summary, keco_code, half`` (``similar``: ``;``-list; ``keco_code``:
        KECO 2025 소분류; entries of groups without a 2025 counterpart dropped).
    """
    base = Path(shared_dir) if shared_dir is not None else get_settings().shared_data_dir
    if not (base / DICTIONARY_FILE).exists():
        return None
    # the build's reader of the dictionary (KECO 2018 → 2025 mapping); imported here because
    # app.reference.build is an offline module, not part of the running app
    from app.reference.build.dictionary import load_dictionary

    raw = load_dictionary(base)
    return pd.DataFrame({
        "job_code": raw["dJobCd"].astype(str), "name": raw["dJobNm"].astype(str),
        "similar": [";".join(similar_names(v)) for v in raw["similarNm"]],
        "summary": raw["workSum"].fillna("").astype(str), "keco_code": raw["keco_code"].astype(str),
        "half": [dictionary_half(c) for c in raw["dJobCd"]],
    })


def dictionary_documents(entries: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Training texts of 직업사전 entries: each 직업명 and 유사명칭 alone, and 직업명 + 직무개요."""
    texts: list[str] = []
    codes: list[str] = []
    for row in entries.itertuples(index=False):
        for name in [row.name, *_split(row.similar)]:
            texts.append(name)
            codes.append(row.keco_code)
        texts.append(f"{row.name}\n{row.summary}")
        codes.append(row.keco_code)
    return texts, codes


def dictionary_eval_texts(entries: pd.DataFrame) -> dict[str, tuple[list[str], list[str]]]:
    """The held-out half as ``{"full": (직업명 + 직무개요, codes), "name": (직업명, codes)}``."""
    held = entries[entries["half"] != TRAIN_HALF]
    codes = held["keco_code"].tolist()
    return {"full": ((held["name"] + "\n" + held["summary"]).tolist(), codes), "name": (held["name"].tolist(), codes)}


def _known_names(reference: Reference, entries: pd.DataFrame | None) -> dict[str, tuple[str, ...]]:
    tree = reference.keco_tree
    found: dict[str, set[str]] = {}
    for code, name in zip(tree["parent"].astype(str), tree["name"].astype(str), strict=True):
        found.setdefault(code, set()).add(name.replace(" ", ""))
    for code, name in zip(reference.occupations["keco_code"].astype(str), reference.occupations["name"], strict=True):
        found.setdefault(code, set()).add(str(name).replace(" ", ""))
    if entries is not None:
        for row in entries.itertuples(index=False):
            for name in [row.name, *_split(row.similar)]:
                found.setdefault(row.keco_code, set()).add(name.replace(" ", ""))
    return {code: tuple(sorted(names)) for code, names in found.items()}


# --------------------------------------------------------------------------- fitting


def posting_text(title: str, duties: str) -> str:
    """The classifier's input: the title, then the duties."""
    return f"{title}\n{duties}"


def fit_occupation_classifier(texts: list[str], codes: list[str], reference: Reference, *, seed: int = 0,
                              dictionary: pd.DataFrame | None = None) -> OccupationClassifier:
    """Fit on labelled texts plus the reference pseudo-documents (and the given 직업사전 entries).

    ``seed`` is kept for the registry's signature: Complement NB has no randomness.
    """
    del seed
    ref_texts, ref_codes = reference_documents(reference)
    dict_texts, dict_codes = dictionary_documents(dictionary) if dictionary is not None else ([], [])
    known = set(reference.occupations["keco_code"].astype(str))
    keep = [i for i, c in enumerate(dict_codes) if c in known]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([core_text(t) for t in [*texts, *ref_texts, *(dict_texts[i] for i in keep)]])
    model = ComplementNB(alpha=NB_ALPHA)
    model.fit(matrix, list(codes) + ref_codes + [dict_codes[i] for i in keep])
    # only the weights are used (scores are computed here, not by predict): the counts are dropped
    # and the weights kept as float32, so the artifact is a sixth of the fitted estimator (250 → 43 MB in memory)
    model.feature_log_prob_ = model.feature_log_prob_.astype(np.float32)
    model.feature_count_ = model.feature_all_ = None
    names = dict(zip(reference.occupations["keco_code"].astype(str), reference.occupations["name"].astype(str), strict=True))
    return OccupationClassifier(vectorizer=vectorizer, model=model, names=names,
                                known_names=_known_names(reference, dictionary))


def fit_temperature(classifier: OccupationClassifier, texts: list[str], codes: list[str]) -> float:
    """The softmax temperature minimising the log loss of ``texts`` (ranking unchanged)."""
    classes = list(classifier.model.classes_)
    position = {c: i for i, c in enumerate(classes)}
    keep = [i for i, c in enumerate(codes) if c in position]
    if not keep:
        return 1.0
    scores = classifier._scores(classifier.vectorizer.transform([core_text(texts[i]) for i in keep]))
    truth = np.array([position[codes[i]] for i in keep])

    def loss(log_t: float) -> float:
        return float(-log_softmax(np.exp(log_t) * scores, axis=1)[np.arange(len(truth)), truth].mean())

    return float(np.exp(minimize_scalar(loss, bounds=(-3.0, 8.0), method="bounded").x))


def world_training_rows(postings: pd.DataFrame, test: np.ndarray, seed: int) -> pd.DataFrame:
    """At most :data:`WORLD_PER_CLASS` training postings per occupation (seeded)."""
    train = postings[~test]
    return train.sample(frac=1.0, random_state=seed).groupby("keco_code", sort=False).head(WORLD_PER_CLASS)


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


def evaluate_dictionary_holdout(texts: list[str], codes: list[str], reference: Reference,
                                entries: pd.DataFrame) -> tuple[dict[str, float], float]:
    """Fit the twin on the world texts, the reference documents and the training half of the
    직업사전; its top-1/top-3 on the other half and the temperature fitted there.

    Returns:
        ``({dictionary_top1, dictionary_top3, dictionary_name_top1, dictionary_name_top3,
        dictionary_n_train, dictionary_n_test}, temperature)``.
    """
    twin = fit_occupation_classifier(texts, codes, reference, dictionary=entries[entries["half"] == TRAIN_HALF])
    evaluation = dictionary_eval_texts(entries)
    twin.temperature = fit_temperature(twin, *evaluation["full"])
    full = top_k_accuracy(twin, *evaluation["full"])
    name = top_k_accuracy(twin, *evaluation["name"])
    return {"dictionary_top1": round(full["top1"], 4), "dictionary_top3": round(full["top3"], 4),
            "dictionary_name_top1": round(name["top1"], 4), "dictionary_name_top3": round(name["top3"], 4),
            "dictionary_n_train": float((entries["half"] == TRAIN_HALF).sum()),
            "dictionary_n_test": float(len(evaluation["full"][1]))}, twin.temperature


def build_occupation_classifier(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: fit the held-out-dictionary twin (its top-k and the temperature), then the
    classifier on every source; report top-1/top-3 on the world's held-out fifth."""
    started = time.perf_counter()
    reference = load_reference()
    postings = load_posting_texts(ctx.engine)
    seed = ctx.seed % (2**31)
    test = held_out_mask(postings["id"].to_numpy(), seed)
    train = world_training_rows(postings, test, seed)
    texts, codes = train["text"].tolist(), train["keco_code"].astype(str).tolist()
    held = postings[test]
    entries = load_dictionary_entries()
    metrics: dict[str, float] = {}
    if entries is not None:
        metrics, temperature = evaluate_dictionary_holdout(texts, codes, reference, entries)
    classifier = fit_occupation_classifier(texts, codes, reference, dictionary=entries)
    if entries is None:
        temperature = DEFAULT_TEMPERATURE
    classifier.temperature = temperature
    accuracy = top_k_accuracy(classifier, held["text"].tolist(), held["keco_code"].astype(str).tolist())
    classifier.metrics = {
        "top1_test": round(accuracy["top1"], 4), "top3_test": round(accuracy["top3"], 4),
        "n_train": float(len(train)), "n_test": float(len(held)), "n_classes": float(len(classifier.model.classes_)),
        **metrics, "temperature": round(temperature, 3), "train_seconds": round(time.perf_counter() - started, 1),
    }
    weights = classifier.model.feature_log_prob_
    np.save(ctx.out_dir / WEIGHTS_FILE, np.ascontiguousarray(weights, dtype=np.float32))
    classifier.model.feature_log_prob_ = None
    try:
        result = save_fitted(ctx, classifier, MODEL_FILE, classifier.metrics)
    finally:
        classifier.model.feature_log_prob_ = weights
    return ArtifactResult(files=(*result.files, WEIGHTS_FILE), metrics=result.metrics)


def load_occupation_classifier(models_dir: Path) -> OccupationClassifier:
    """The built classifier (only from our own models/ directory; raises ``ArtifactMissing`` naming the build)."""
    classifier = load_fitted(models_dir, MODEL_NAME, MODEL_FILE)
    if classifier.model.feature_log_prob_ is None:
        classifier.model.feature_log_prob_ = np.load(artifact_path(models_dir, MODEL_NAME, WEIGHTS_FILE), mmap_mode="r")
    return classifier


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="직종 자동분류 모델", build=build_occupation_classifier)
"""The KECO occupation classifier of the posting assistant."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="직종 자동분류 모델",
    purpose="구인공고 AI 작성지원에서 구인기업이 입력한 직무명과 담당 업무로 알맞은 직종(KECO 소분류)을 제안해, "
            "직종 선택을 돕습니다.",
    output="가능성이 높은 직종 3개와 각 직종의 확률, 그 판단에 가장 크게 작용한 입력 단어(맞는 직업사전 직업명이 있으면 함께). "
           "1순위 확률이 낮으면 직종을 미리 고르지 않고 구인기업에 고르도록 묻습니다.",
    shown_on=("posting_assistant",),
    criteria=("직무명과 담당 업무의 글자 조각(2~3글자, 알바·모집 같은 말은 빼고)", "직종별 대표 업무·기술·자격증 표현과의 유사성",
              "한국직업사전의 직업명·유사명칭·직무개요와의 유사성"),
    not_used="기업이나 개인에 관한 정보는 쓰지 않습니다. 입력한 직무명과 담당 업무 글만 봅니다.",
    training_data="가상 세계 구인공고 일부(직종마다 최대 12건의 직무명과 담당 업무), 직종마다 만든 참고 문장(직종명, "
                  "한국고용직업분류 세분류명, 한국직업사전에서 추린 짧은 업무 구절, 기술 키워드, 관련 자격증 이름), 한국직업사전의 "
                  "직업명·유사명칭·직무개요. 직업사전 정확도는 항목의 절반으로만 학습한 모델로 나머지 절반에서 잽니다.",
    human_oversight="제안일 뿐이며 직종은 구인기업 담당자가 확인하고 고릅니다. 확신이 낮으면 미리 고르지 않습니다. 제안이 "
                    "맞지 않으면 전체 직종 목록에서 직접 고를 수 있습니다.",
    contest="제안된 직종이 맞지 않으면 화면에서 다른 직종을 고르면 됩니다. 분류가 반복해서 틀리면 관할 고용센터에 "
            "직무명과 화면을 본 시각을 알려 주세요.",
    limits="구인기업이 흔히 쓰는 직무명(예: 편의점 알바, 지게차 기사) 212개에서 3순위 안 정답률은 약 86%, 1순위는 약 71%이고, "
           "학습에 쓰지 않은 한국직업사전 항목에서는 3순위 안 약 82%, 1순위 약 60%입니다. 그래서 사람이 반드시 확인합니다.",
    quality_metrics=("top1_test", "top3_test", "n_classes", "n_train", "n_test"),
    fairness_note="개인 특성을 쓰지 않는 문장 분류라 집단별 공정성 지표는 해당하지 않습니다.",
)
"""Transparency notice of the occupation classifier (:mod:`app.ml.model_card`)."""
