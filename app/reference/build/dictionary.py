"""직업사전 text features per KECO 2025 소분류: skill keywords, duty phrases, typical education.

Keywords come from kiwipiepy nouns; duty phrases are composed by us from (object, action)
pairs, so no dictionary sentence reaches the CSVs.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from app.reference.build.keco import keco2018_to_2025
from app.threads import thread_count

DICTIONARY_FILE = Path("korean_job_dictionary") / "job_dictionary_detail.csv.gz"

# 직업사전 has no entry for 250 군인 (중분류 25): education borrows 24 경찰·소방·교도, the
# closest uniformed public-safety group, and skills/duties are written by us (the police
# vocabulary of 24 — 수사, 피의자 — would be wrong for soldiers).
_TEXT_FALLBACK_MIDDLE: dict[str, str] = {"25": "24"}
_HANDWRITTEN_TEXT: dict[str, tuple[str, str]] = {
    "250": (
        "국방;경계;작전;훈련;부대;병력;장비;무기;보안;통신;지휘;체력",
        "경계 근무;작전 계획 수립;부대 훈련 지도;장비·무기 정비;병력 관리",
    ),
}

_EDUCATION_LABELS = ("무관", "고졸", "전문대졸", "대졸", "석사")


def load_dictionary(shared_dir: Path) -> pd.DataFrame:
    """직업사전 entries with their KECO 2025 소분류 (entries of dropped groups removed)."""
    d = pd.read_csv(shared_dir / DICTIONARY_FILE, dtype=str)
    d["keco_code"] = d["dJobECd"].map(keco2018_to_2025)
    d = d[d["keco_code"].notna()].copy()
    return d.sort_values("dJobCd", kind="stable").reset_index(drop=True)


_STOP_NOUNS = frozenset(
    "업무 작업 관련 수행 경우 사용 필요 각종 담당 대상 내용 방법 결과 상태 이상 여부 기타 활동 일 종류 "
    "위 정도 부분 과정 해당 사항 다양 주요 일반 전반 목적 기능 분야 때 후 전 중 등 시 곳 데 수 바 가능 제반 "
    "최고 활용품 이하 이외 이후 이전 기준 자체 직접 간단 종사 사람 정해진 각각 모든 전체 필요시 여러 "
    "종사원 직원 종업원 작업원 담당업무 마련 방안 단독 획득 참석 답변 이례 여자 남자 소제 이해 고려".split()
)
_WEAK_ACTS = frozenset("이용 사용 소비 설정 숙지 선택 대행 제시 참여 결정 포함 해당 위치 발생 유지 의뢰 요청".split())
_EXCLUDED_ACTS = _STOP_NOUNS | _WEAK_ACTS


def _extract_terms(tokens: Sequence) -> tuple[Counter, Counter]:
    """Nouns, contiguous noun compounds and (object, action-noun) pairs of one entry."""
    nouns: Counter = Counter()
    pairs: Counter = Counter()
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i].tag not in ("NNG", "NNP"):
            i += 1
            continue
        j = i
        run = [tokens[i]]
        # Nouns written without a space (품질관리) form one compound keyword.
        while (
            j + 1 < n
            and tokens[j + 1].tag in ("NNG", "NNP")
            and tokens[j + 1].start == tokens[j].start + tokens[j].len
        ):
            j += 1
            run.append(tokens[j])
        forms = [t.form for t in run]
        for f in forms:
            if len(f) >= 2 and f not in _STOP_NOUNS:
                nouns[f] += 1
        compound = "".join(forms)
        if 2 <= len(run) <= 3 and len(compound) <= 8:
            nouns[compound] += 1
        # "<noun>을/를 <noun>하다" -> (object, action) e.g. 품질을 검사하다 -> (품질, 검사)
        tags = [t.tag for t in tokens[j + 1 : j + 4]]
        if tags == ["JKO", "NNG", "XSV"]:
            obj = compound if len(compound) <= 6 else forms[-1]
            act = tokens[j + 2].form
            if len(obj) >= 2 and len(act) >= 2 and obj not in _STOP_NOUNS and act not in _EXCLUDED_ACTS:
                pairs[(obj, act)] += 1
        i = j + 1
    return nouns, pairs


def compute_text_features(dictionary: pd.DataFrame, minor: pd.DataFrame) -> pd.DataFrame:
    """Skill keywords and composed duty phrases per 소분류 from 직업사전 workSum/doWork.

    Each dictionary entry is tokenized with kiwipiepy; per 소분류 we count in how many
    entries a noun (or contiguous noun compound) occurs and score it by that entry share
    times the inverse 소분류 frequency (TF-IDF over 소분류 documents). Duty phrases are built
    by us from the top (object, action-noun) pairs, e.g. ("고객", "상담") -> "고객 상담";
    pairs sharing an action are joined ("재료·메뉴 개발"). No dictionary sentence is copied.
    소분류 without dictionary entries use their pooled 중분류 entries.

    Args:
        dictionary: Output of :func:`load_dictionary`.
        minor: One row per 소분류.

    Returns:
        DataFrame keyed by keco_code with skills and duty_phrases (';'-separated).
    """
    from kiwipiepy import Kiwi  # imported here: loading the model costs ~1 s

    kiwi = Kiwi(num_workers=thread_count())
    texts = (dictionary["workSum"].fillna("") + "\n" + dictionary["doWork"].fillna("")).tolist()
    extracted = [_extract_terms(tokens) for tokens in kiwi.tokenize(texts)]
    dictionary = dictionary.assign(_nouns=[e[0] for e in extracted], _pairs=[e[1] for e in extracted])
    middle_of = dict(zip(minor["keco_code"], minor["middle_code"], strict=True))
    dictionary["_middle"] = dictionary["keco_code"].map(middle_of)

    def entry_counts(groups: Iterable[tuple[str, pd.DataFrame]]) -> tuple[dict, dict, dict]:
        ef_n, ef_p, size = {}, {}, {}
        for code, g in groups:
            cn, cp = Counter(), Counter()
            for x in g["_nouns"]:
                cn.update(set(x))
            for x in g["_pairs"]:
                cp.update(set(x))
            ef_n[code], ef_p[code], size[code] = cn, cp, len(g)
        return ef_n, ef_p, size

    ef_n, ef_p, size = entry_counts(dictionary.groupby("keco_code"))
    mid_n, mid_p, mid_size = entry_counts(dictionary.groupby("_middle"))
    n_docs = len(ef_n)
    df_n: Counter = Counter()
    df_p: Counter = Counter()
    for c in ef_n.values():
        df_n.update(c.keys())
    for c in ef_p.values():
        df_p.update(c.keys())

    def top_terms(counts: Counter, dfreq: Counter, n_entries: int, k: int, min_ef: int) -> list:
        scored = [
            ((v / n_entries) * math.log((n_docs + 1) / (dfreq.get(t, 0) + 1)), t)
            for t, v in counts.items() if v >= min_ef
        ]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [t for _, t in scored[:k]]

    rows = []
    for rec in minor.itertuples(index=False):
        if rec.keco_code in _HANDWRITTEN_TEXT:
            skills_text, duties_text = _HANDWRITTEN_TEXT[rec.keco_code]
            rows.append({"keco_code": rec.keco_code, "skills": skills_text, "duty_phrases": duties_text})
            continue
        if rec.keco_code in ef_n:
            cn, cp, n_e = ef_n[rec.keco_code], ef_p[rec.keco_code], size[rec.keco_code]
        else:
            mid = _TEXT_FALLBACK_MIDDLE.get(rec.middle_code, rec.middle_code)
            cn, cp, n_e = mid_n[mid], mid_p[mid], mid_size[mid]
        min_ef = 2 if n_e >= 4 else 1
        skills = top_terms(cn, df_n, n_e, 12, min_ef)
        if len(skills) < 8:
            skills += [t for t in top_terms(cn, df_n, n_e, 15, 1) if t not in skills]
        skills = skills[:12]
        # Pairs seen in >= 2 entries first; single-entry pairs only to reach 4 phrases.
        pairs = top_terms(cp, df_p, n_e, 8, min_ef)
        if len(pairs) < 4:
            pairs += [p for p in top_terms(cp, df_p, n_e, 8, 1) if p not in pairs][: 4 - len(pairs)]
        rows.append({"keco_code": rec.keco_code, "skills": ";".join(skills),
                     "duty_phrases": ";".join(_compose_duties(pairs[:10], skills))})
    return pd.DataFrame(rows)


def _compose_duties(pairs: Sequence[tuple[str, str]], skills: Sequence[str]) -> list[str]:
    """Turn (object, action) pairs into 4–6 short duty phrases of our own wording."""
    by_act: dict[str, list[str]] = defaultdict(list)
    order: list[str] = []
    for obj, act in pairs:
        if act not in by_act:
            order.append(act)
        # Skip near-duplicates ("작업계획·계획 수립"): one object containing another or the act.
        if len(by_act[act]) < 2 and act not in obj and not any(obj in o or o in obj for o in by_act[act]):
            by_act[act].append(obj)
    phrases = [f"{'·'.join(by_act[a])} {a}" for a in order if by_act[a]]
    # Too few pairs (short entries): fall back to keyword-based phrases we compose.
    for kw in skills:
        if len(phrases) >= 4:
            break
        phrase = f"{kw} 관련 업무 수행"
        if phrase not in phrases and not any(kw in p for p in phrases):
            phrases.append(phrase)
    return phrases[:6]


def compute_education(dictionary: pd.DataFrame, minor: pd.DataFrame) -> pd.DataFrame:
    """Typical education per 소분류: the 40th percentile of 직업사전 eduLevel over its entries.

    eduLevel bands: 초졸 이하/중졸 -> 무관, 고졸, 전문대졸, 대졸, 대학원 -> 석사. The
    dictionary lists one entry per specialised title (e.g. 14 전문간호사 variants against 10
    general nurse titles), which overstates graduate degrees; a percentile below the median
    corrects for that without ignoring it.

    Args:
        dictionary: Output of :func:`load_dictionary`.
        minor: One row per 소분류.

    Returns:
        DataFrame keyed by keco_code with education_typical.
    """
    def rank(text: str | float) -> int | None:
        if not isinstance(text, str):
            return None
        for key, r in (("대학원", 4), ("대졸", 3), ("전문대졸", 2), ("고졸", 1), ("중졸", 0), ("초졸", 0)):
            if key in text:
                return 2 if key == "대졸" and "전문대졸" in text else r
        return None

    d = dictionary.assign(_edu=dictionary["eduLevel"].map(rank)).dropna(subset=["_edu"])
    middle_of = dict(zip(minor["keco_code"], minor["middle_code"], strict=True))
    d["_middle"] = d["keco_code"].map(middle_of)
    by_minor = {c: sorted(g["_edu"].astype(int)) for c, g in d.groupby("keco_code")}
    by_middle = {c: sorted(g["_edu"].astype(int)) for c, g in d.groupby("_middle")}
    rows = []
    for rec in minor.itertuples(index=False):
        mid = _TEXT_FALLBACK_MIDDLE.get(rec.middle_code, rec.middle_code)
        vals = by_minor.get(rec.keco_code) or by_middle.get(mid) or [1]
        label = _EDUCATION_LABELS[vals[int(0.4 * (len(vals) - 1))]]
        rows.append({"keco_code": rec.keco_code, "education_typical": label})
    return pd.DataFrame(rows)
