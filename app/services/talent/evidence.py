"""Evidence of a recommendation: the candidate's masked sentences, reasons that cite them, gaps
against the posting, and the sentences interview questions probe.

Every reason carries a sentence that exists in its source — a résumé line, a cover-letter sentence
(masked), or the title of a posting in the application history — so a reason without evidence is
never shown. Identity lines (name, birth date, contact, address) are dropped before anything else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import matching as repo
from app.llm.candidates import Probe, career_text
from app.ml.talent import EDUCATION_SCALE, FEATURE_LABELS, JobQuery
from app.reference.names import occupation_names, region_short
from app.reference.tables import Reference
from app.text.korean import format_manwon, josa, josa_ro
from app.text.pii import mask_pii

SOURCE_RESUME = "이력서"
SOURCE_LETTER = "자기소개서"
SOURCE_CERTIFICATE = "자격증"
SOURCE_HISTORY = "지원 이력"

_IDENTITY_LABELS = re.compile(r"성\s*명|이\s*름|생년월일|주민|H\.?P|휴대|전화|연락처|E-?mail|이메일|전자우편|주소|거주지|작성자|현주소")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAIM = re.compile(r"역량|강점|자신|능력|성과|맡아")
_NOT_A_CLAIM = re.compile(r"귀사|지원하게|지원했|연락")


@dataclass(frozen=True)
class Preferred:
    """The preferred (우대) conditions of a sentence search: they order and explain the candidates and
    never leave one out (the sentence's chips marked 우대, :class:`app.services.talent.query.TalentQuery`).

    Attributes:
        certificates: Certificate ids.
        min_career_months: Least experience preferred.
        max_career_months: Most experience preferred (``0``: 신입 우대).
        education: Least education preferred.
        regions: 시도 codes of the workplaces preferred (a district counts as its 시도).
    """

    certificates: tuple[str, ...] = ()
    min_career_months: int | None = None
    max_career_months: int | None = None
    education: str | None = None
    regions: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when nothing is preferred."""
        return self == Preferred()

    def is_career(self, query: JobQuery) -> bool:
        """Whether the query's career bound is this preference (not a requirement)."""
        return (self.min_career_months is not None and query.min_career_years is not None
                and round(query.min_career_years * 12) == self.min_career_months)


NO_PREFERENCE = Preferred()


@dataclass(frozen=True)
class MatchReason:
    """One reason a candidate is recommended.

    Attributes:
        label: The reason in Korean.
        evidence: The sentence it rests on, as it appears in the source (masked).
        source: 이력서, 자기소개서, 자격증 or 지원 이력.
        feature: The model feature it explains.
    """

    label: str
    evidence: str
    source: str
    feature: str


@dataclass(frozen=True)
class CandidateDocuments:
    """A candidate's masked sentences: résumé lines (identity block removed), cover-letter sentences,
    and the duty phrases of the career lines."""

    resume_lines: tuple[str, ...]
    letter_sentences: tuple[str, ...]
    duties: tuple[str, ...]

    @classmethod
    def empty(cls) -> CandidateDocuments:
        """No documents."""
        return cls((), (), ())

    def find(self, *needles: str, source: str | None = None, exclude: str = "") -> tuple[str, str] | None:
        """The first sentence containing every needle, and its source (résumé first)."""
        wanted = [n for n in needles if n]
        if not wanted:
            return None
        pools = ((SOURCE_RESUME, self.resume_lines), (SOURCE_LETTER, self.letter_sentences))
        for name, lines in pools:
            if source and name != source:
                continue
            for line in lines:
                if all(n in line for n in wanted) and not (exclude and exclude in line):
                    return line, name
        return None


def split_documents(resume: str, letter: str, name: str) -> CandidateDocuments:
    """Masked résumé lines and cover-letter sentences of one candidate (identity lines dropped)."""
    names = [name] if name else []
    raw_lines = str(resume or "").splitlines()
    # one masking pass over the whole résumé (a pass per line cost ~100 ms a search); a line the pass
    # changed held personal data, so it is not evidence of anything professional
    masked_lines = mask_pii(str(resume or ""), names=names).splitlines()
    if len(masked_lines) != len(raw_lines):  # masking never adds or removes a line break; if it did, be strict
        masked_lines = [mask_pii(line, names=names) for line in raw_lines]
    lines = []
    for raw, masked in zip(raw_lines, masked_lines, strict=True):
        line = raw.strip()
        if not line or _IDENTITY_LABELS.search(line) or "사실과 다름" in line or masked.strip() != line:
            continue
        lines.append(line)
    sentences = []
    for raw in _SENTENCE_END.split(mask_pii(str(letter or ""), names=names)):
        sentence = raw.strip()
        if len(sentence) < 8 or sentence.startswith("<") or sentence.startswith("["):
            continue
        sentences.append(sentence)
    duties = []
    for line in lines:
        if "주요 업무" in line and ":" in line:
            duties.extend(p.strip() for p in line.split(":", 1)[1].split(",") if p.strip())
    return CandidateDocuments(tuple(lines), tuple(sentences), tuple(dict.fromkeys(duties)))


def candidate_documents(engine: Engine, seeker_ids: Sequence[int]) -> dict[int, CandidateDocuments]:
    """Masked documents of a few candidates, by id."""
    frame = repo.load_candidate_documents(engine, seeker_ids)
    return {int(r.id): split_documents(r.resume_text, r.cover_letter_text, r.name) for r in frame.itertuples(index=False)}


def record_text(record: Mapping[str, object], name: str) -> str:
    """A text field of a seeker record, "" when missing (a NULL read into pandas is NaN, not None)."""
    value = record.get(name)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


@dataclass(frozen=True)
class _Lookups:
    certificate_names: dict[str, str]
    occupation_certificates: dict[str, frozenset[str]]
    occupation_skills: dict[str, str]
    region_names: dict[str, str]


_LOOKUPS: dict[int, tuple[Reference, _Lookups]] = {}


def _lookups(ref: Reference) -> _Lookups:
    """Name and code lookups of ``ref``, built once per reference object (a search explains ten
    candidates; scanning the tables for each cost most of its time)."""
    held = _LOOKUPS.get(id(ref))
    if held is not None and held[0] is ref:
        return held[1]
    certs = ref.certificates
    by_occupation: dict[str, set[str]] = {}
    for cid, codes in zip(certs["certificate_id"], certs["keco_codes"], strict=True):
        for code in str(codes).split(";"):
            if code and code != "nan":
                by_occupation.setdefault(code, set()).add(str(cid))
    occ = ref.occupations
    found = _Lookups(
        certificate_names=dict(zip(certs["certificate_id"].astype(str), certs["name"].astype(str), strict=True)),
        occupation_certificates={k: frozenset(v) for k, v in by_occupation.items()},
        occupation_skills={str(k): (v if isinstance(v, str) else "")
                           for k, v in zip(occ["keco_code"], occ["skills"], strict=True)},
        region_names=dict(zip(ref.regions["code"].astype(str), ref.regions["name"].astype(str), strict=True)),
    )
    _LOOKUPS[id(ref)] = (ref, found)
    return found


def certificate_names(ref: Reference) -> dict[str, str]:
    """Certificate id → name of ``ref`` (cached per reference object)."""
    return _lookups(ref).certificate_names


def _certificate_names(record: Mapping[str, object], ref: Reference) -> dict[str, str]:
    names = _lookups(ref).certificate_names
    return {c: names.get(c, c) for c in record_text(record, "certificate_ids").split(";") if c}


def _occupation_certificates(keco: str, ref: Reference) -> frozenset[str]:
    return _lookups(ref).occupation_certificates.get(keco, frozenset()) if keco else frozenset()


def reasons_for(
    features: Mapping[str, float],
    contributions: Mapping[str, float],
    record: Mapping[str, object],
    docs: CandidateDocuments,
    query: JobQuery,
    tokens: Sequence[str],
    applied_titles: Sequence[str],
    ref: Reference,
    *,
    limit: int = 4,
    preferred: Preferred = NO_PREFERENCE,
    same_type_application: str | None = None,
) -> tuple[MatchReason, ...]:
    """Why this candidate: up to ``limit`` reasons with evidence, strongest (by the model's contribution)
    first; a preferred certificate held, a preferred career or region met are said as 우대.

    ``same_type_application`` is the evidence of the past-application reason: the latest earlier
    application to a job of the query's employment type (shown when at least half of them were).
    """
    found: list[MatchReason] = []
    keco = query.keco_code or ""
    occupation = occupation_names(keco)[0] if keco else ""

    def add(feature: str, label: str, hit: tuple[str, str] | None, source: str | None = None) -> None:
        if hit is not None:
            found.append(MatchReason(label=label, evidence=hit[0], source=source or hit[1], feature=feature))

    if features.get("occupation_exact") == 1:
        add("occupation_exact", f"희망 직종이 '{occupation}'입니다",
            docs.find("희망", occupation) or docs.find(occupation))
    elif features.get("occupation_middle") == 1:
        middle = occupation_names(keco)[1]
        desired = occupation_names(str(record["desired_keco"]))[0]
        add("occupation_middle", f"같은 분야({middle})의 '{desired}' 일자리를 찾고 있습니다",
            docs.find("희망", desired) or docs.find(desired))
    if features.get("occupation_last") == 1:
        add("occupation_last", f"{_quoted_ro(occupation)} 일한 경력이 있습니다", docs.find(occupation, exclude="희망"))
    skills = [s for s in record_text(record, "skills").split(";") if s]
    wanted_skills = {s for s in str(_skills_of(keco, ref)).split(";") if s}
    matched = [s for s in skills if s in wanted_skills] or [s for s in skills if s in tokens]
    if matched:
        add("skill_share", f"직무 기술 보유: {', '.join(matched[:3])}", docs.find(matched[0]))
    held = _certificate_names(record, ref)
    wished = [held[c] for c in preferred.certificates if c in held]
    if wished:
        add("certificates", f"우대 자격증 보유: {', '.join(wished[:2])}", docs.find(wished[0], source=SOURCE_RESUME),
            SOURCE_CERTIFICATE)
    related = [held[c] for c in held if c in _occupation_certificates(keco, ref) and held[c] not in wished]
    if related:
        add("certificates", f"관련 자격증: {', '.join(related[:2])}", docs.find(related[0], source=SOURCE_RESUME),
            SOURCE_CERTIFICATE)
    need = query.min_career_years or 0
    career = float(record["career_years"])
    if need > 0 and career >= need:
        asked = "우대 경력" if preferred.is_career(query) else "요구 경력"
        add("career_gap", f"{asked} {career_text(need)}을 넘는 경력 {career_text(career)}", _career_line(docs))
    if query.region_code and (features.get("region_desired") == 1 or features.get("region_same") == 1):
        place = "우대 지역" if query.region_code in preferred.regions else "공고 지역"
        add("region_desired", f"희망 근무지가 {place}({region_short(query.region_code)})과 같습니다",
            docs.find("희망 근무지") or docs.find(_region_name(query.region_code, ref), source=SOURCE_LETTER))
    if query.wage_monthly and float(record["desired_wage"]) <= query.wage_monthly:
        add("wage_ratio", f"희망 급여가 제시 임금(월 {format_manwon(query.wage_monthly)}) 이내입니다",
            docs.find("희망 급여") or docs.find("희망 연봉"))
    if applied_titles:
        found.append(MatchReason(label="비슷한 공고에 지원한 이력이 있습니다", evidence=f"'{applied_titles[0]}' 공고에 지원",
                                 source=SOURCE_HISTORY, feature="collaborative"))
    if same_type_application and query.employment_type and (features.get("past_type_share") or 0.0) >= 0.5:
        found.append(MatchReason(label=f"이전 지원의 절반 이상이 같은 고용형태({query.employment_type})입니다",
                                 evidence=same_type_application, source=SOURCE_HISTORY, feature="past_type_share"))
    overlap = _best_overlap(docs, tokens)
    if overlap is not None:
        found.append(overlap)
    order = {f: float(contributions.get(f, 0.0)) for f in FEATURE_LABELS}
    found.sort(key=lambda r: -order.get(r.feature, 0.0))
    return tuple(found[:limit])


def _quoted_ro(name: str) -> str:
    """``'name'`` with 으로/로 chosen by the name without a closing parenthetical ("…조작원(크레인·지게차)" → 으로)."""
    base = re.sub(r"\([^()]*\)$", "", name).strip() or name
    return f"'{name}'{josa_ro(base)[len(base):]}"


def _skills_of(keco: str, ref: Reference) -> str:
    return _lookups(ref).occupation_skills.get(keco, "")


def _region_name(code: str, ref: Reference) -> str:
    return _lookups(ref).region_names.get(code, "")


def _career_line(docs: CandidateDocuments) -> tuple[str, str] | None:
    for line in docs.resume_lines:
        if "~" in line and re.search(r"\d{4}\.\d{2}", line) and not re.search(r"학교|대학|졸업", line):
            return line, SOURCE_RESUME
    return None


def _best_overlap(docs: CandidateDocuments, tokens: Sequence[str]) -> MatchReason | None:
    words = {t for t in tokens if len(t) > 1}
    best, best_words, best_source = "", [], SOURCE_RESUME
    for source, lines in ((SOURCE_RESUME, docs.resume_lines), (SOURCE_LETTER, docs.letter_sentences)):
        for line in lines:
            hits = [w for w in words if w in line]
            if len(hits) > len(best_words):
                best, best_words, best_source = line, hits, source
    if len(best_words) < 2:
        return None
    return MatchReason(label=f"공고와 겹치는 표현: {', '.join(sorted(best_words)[:4])}", evidence=best,
                       source=best_source, feature="lexical")


def missing_against(record: Mapping[str, object], query: JobQuery, offer: Mapping[str, object], ref: Reference,
                    preferred: Preferred = NO_PREFERENCE) -> tuple[str, ...]:
    """What the candidate lacks against the posting (or the sentence's conditions), in Korean; what
    they lack of a preferred (우대) condition is said as such."""
    out = []
    keco = query.keco_code or ""
    if keco and str(record["desired_keco"]) != keco and record_text(record, "last_keco") != keco:
        out.append(f"희망 직종이 {josa_ro(occupation_names(str(record['desired_keco']))[0])} 공고 직종과 다릅니다.")
    need = query.min_career_years or 0
    career = float(record["career_years"])
    if need > career:
        asked = "우대 경력" if preferred.is_career(query) else "요구 경력"
        out.append(f"{asked} {career_text(need)}에 {career_text(need - career)} 부족합니다 (경력 {career_text(career)}).")
    if preferred.max_career_months == 0 and career > 0:
        out.append(f"신입 우대 조건과 달리 경력 {career_text(career)}이 있습니다.")
    if query.education and EDUCATION_SCALE.get(str(record["education"]), 0) < EDUCATION_SCALE.get(query.education, 0):
        asked = "우대 학력" if query.education == preferred.education else "요구 학력"
        out.append(f"{asked}({query.education})에 미치지 못합니다 ({record['education']}).")
    if query.wage_monthly and float(record["desired_wage"]) > query.wage_monthly:
        gap = float(record["desired_wage"]) - query.wage_monthly
        out.append(f"희망 급여(월 {format_manwon(record['desired_wage'])})가 제시 임금보다 월 {format_manwon(gap)} 높습니다.")
    if query.region_code and not bool(record.get("region_flexible")) and query.region_code not in {
            str(record["region_code"]), str(record["desired_region_code"])}:
        place = "우대 지역" if query.region_code in preferred.regions else "공고 지역"
        out.append(f"희망 근무지가 {region_short(str(record['desired_region_code']))}입니다 "
                   f"({place} {region_short(query.region_code)}).")
    text = str(offer.get("text") or "")
    held = set(_certificate_names(record, ref))
    names = _lookups(ref).certificate_names
    wanted = [names[c] for c in sorted(_occupation_certificates(keco, ref)) if c not in held
              and c not in preferred.certificates and names.get(c) and names[c] in text]
    if wanted:
        out.append(f"공고에 적힌 자격 {josa(', '.join(wanted[:2]), '이', '가')} 없습니다.")
    lacking = [names.get(c, c) for c in preferred.certificates if c not in held]
    if lacking:
        out.append(f"우대 자격증 {josa(', '.join(lacking[:2]), '이', '가')} 없습니다.")
    return tuple(out)


def probes_for(record: Mapping[str, object], docs: CandidateDocuments, query: JobQuery, offer: Mapping[str, object],
               ref: Reference) -> list[Probe]:
    """The sentences worth an interview question: career duties, cover-letter claims, certificates,
    gaps against the posting and the wage."""
    probes: list[Probe] = []
    for line in docs.resume_lines:
        if "주요 업무" in line and ":" in line:
            probes.append(Probe("duty", line, SOURCE_RESUME, line.split(":", 1)[1].strip()))
        if len([p for p in probes if p.kind == "duty"]) >= 2:
            break
    claims = [s for s in docs.letter_sentences if _CLAIM.search(s) and not _NOT_A_CLAIM.search(s)]
    if claims:
        probes.append(Probe("claim", claims[0], SOURCE_LETTER))
    held = _certificate_names(record, ref)
    related = [n for c, n in held.items() if c in _occupation_certificates(query.keco_code or "", ref)] or list(
        held.values())
    for name in related[:1]:
        hit = docs.find(name, source=SOURCE_RESUME)
        if hit:
            probes.append(Probe("certificate", hit[0], SOURCE_CERTIFICATE, name))
    need = query.min_career_years or 0
    if need > float(record["career_years"]):
        probes.append(Probe("gap", f"경력 {career_text(need)} 이상", "공고", f"경력 {career_text(need)} 이상"))
    wage = offer.get("wage_monthly")
    if wage and float(record["desired_wage"]) > float(wage):  # type: ignore[arg-type]
        hit = docs.find("희망 급여") or docs.find("희망 연봉")
        if hit:
            probes.append(Probe("wage", hit[0], SOURCE_RESUME, f"월 {format_manwon(float(wage))}"))  # type: ignore[arg-type]
    return probes
