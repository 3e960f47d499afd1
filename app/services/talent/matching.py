"""Candidate search for a posting or a sentence, and job search for a seeker (인재추천 use cases).

A search runs the built matcher (:mod:`app.ml.talent`): the pool of people looking for work at the
time, minus those who opted out and those this user dismissed, hard filters from the sentence's chips,
retrieval, ranking, then the top candidates' cards — a masked 2–3 sentence summary, reasons each with
its evidence sentence and source, what is missing against the posting, and the calibrated probability
of a hire with its main factors. Employers get no name, contact or exact address here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.auth import User
from app.db.repositories import matching as repo
from app.db.repositories import postings as postings_repo
from app.db.repositories import unit_of_work
from app.db.repositories import world as world_repo
from app.errors import AccessDenied, InvalidInput, NotFound, NotReady
from app.llm.candidates import (
    OFFLINE_QUESTIONS,
    OFFLINE_SUMMARY,
    CandidateFacts,
    GroundedSentence,
    InterviewQuestion,
    SummaryBatch,
    SummaryChat,
    career_text,
    summarise_candidates,
    write_interview_questions,
)
from app.ml.talent import (
    EDUCATION_SCALE,
    FEATURE_LABELS,
    FEATURES,
    JobQuery,
    SourceScores,
    TalentMatcher,
    content_tokens,
    day_number,
    posting_document,
    posting_query,
    posting_tokens,
)
from app.reference.codes import EMPLOYMENT_TYPES
from app.reference.names import occupation_names, region_short
from app.reference.tables import Reference, load_reference
from app.services.talent.consent import feedback_for, opted_out_seeker_ids
from app.services.talent.evidence import (
    NO_PREFERENCE,
    CandidateDocuments,
    MatchReason,
    Preferred,
    candidate_documents,
    certificate_names,
    missing_against,
    probes_for,
    reasons_for,
    record_text,
)
from app.services.talent.query import TalentQuery
from app.text.korean import format_manwon

DEFAULT_TOP = 10
MAX_TOP = 30


class PostingNotFound(NotFound):
    """The posting does not exist (or is not this employer's)."""


class SearchRefused(AccessDenied):
    """This user may not run this search."""


class EmptySearch(InvalidInput):
    """A sentence search with nothing to search for."""


@dataclass(frozen=True)
class SearchFilters:
    """Hard filters of a sentence search (from its chips), what it is about, and what it prefers.

    Attributes:
        keco_codes: Occupations wanted (the first one leads the ranking's occupation features).
        regions: 시도 codes where the person should be able to work (their region, their desired region,
            or anywhere when they said so).
        min_career_months: Least career.
        max_career_months: Most career.
        certificates: Certificate ids the person must hold (all of them).
        education: Least education (posting scale: 무관, 고졸, 전문대졸, 대졸, 석사).
        wage_min: Least desired monthly wage (원).
        wage_max: Most desired monthly wage (원): the offer.
        text: Free text (and the chips' words) the search matches by.
        employment_types: Employment types asked for (not a filter: no record holds one; the first
            orders candidates by how often they applied to jobs of that type before).
        preferred: Conditions marked 우대: never a filter. They feed the ranking's inputs where it has
            one (career, education, region, the certificates' names in the text), lift the candidates who
            meet them (:data:`PREFERRED_BOOST`), and each card says which the candidate meets or lacks.
    """

    keco_codes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    min_career_months: int | None = None
    max_career_months: int | None = None
    certificates: tuple[str, ...] = ()
    education: str | None = None
    wage_min: int | None = None
    wage_max: int | None = None
    text: str = ""
    employment_types: tuple[str, ...] = ()
    preferred: Preferred = NO_PREFERENCE

    def is_empty(self) -> bool:
        """True when nothing would narrow or order the search."""
        return not (self.keco_codes or self.regions or self.min_career_months or self.max_career_months
                    or self.certificates or self.education or self.wage_min or self.wage_max or self.text.strip()
                    or not self.preferred.is_empty())


@dataclass(frozen=True)
class CandidateCard:
    """One recommended candidate as an employer or counsellor sees them (no identity).

    Attributes:
        seeker_id: Internal id (for requests and feedback; never shown).
        rank: 1-based rank.
        label: "후보 N".
        headline: Desired occupation · career · region.
        summary: Masked 2–3 sentence summary with evidence.
        reasons: Why recommended, each with its evidence sentence and source.
        missing: What the candidate lacks against the posting (Korean sentences).
        hire_probability: Calibrated probability of taking the job and being hired.
        hire_factors: (Korean factor, contribution in log-odds) of the probability, largest first.
        score: Ranking score.
        facts: The masked record the summary rests on.
    """

    seeker_id: int
    rank: int
    label: str
    headline: str
    summary: tuple[GroundedSentence, ...]
    reasons: tuple[MatchReason, ...]
    missing: tuple[str, ...]
    hire_probability: float
    hire_factors: tuple[tuple[str, float], ...]
    score: float
    facts: CandidateFacts


@dataclass(frozen=True)
class CandidateResults:
    """The outcome of one candidate search.

    Attributes:
        cards: Ranked cards.
        pool: One row per retrieved candidate (charts: ``career_years, desired_wage, region`` and
            ``meets_*`` requirement flags); no identity.
        target: What was searched for, in Korean (posting title or the sentence's understanding).
        offer: The posting's conditions used by the charts (``wage_monthly``, ``min_career_years``, ``region``).
        n_pool: People looking for work at the time (after filters and opt-outs).
        model_version: Matcher version (audit log).
        input_hash: SHA-256 of the search input (audit log).
        posting_id: The posting searched for (``None`` for a sentence).
    """

    cards: tuple[CandidateCard, ...]
    pool: pd.DataFrame
    target: str
    offer: dict[str, object]
    n_pool: int
    model_version: str
    input_hash: str
    posting_id: int | None = None
    notices: tuple[str, ...] = field(default=())
    summary_backend: str = OFFLINE_SUMMARY
    """Who wrote the summaries (the offline composer, or the configured language model)."""

    def audit_output(self) -> dict[str, object]:
        """What the audit log keeps of the shown output: ranks, internal ids and probabilities."""
        return {"posting_id": self.posting_id, "summaries": self.summary_backend,
                "candidates": [{"rank": c.rank, "seeker_id": c.seeker_id, "p_hire": round(c.hire_probability, 4)}
                               for c in self.cards]}


def hidden_candidates(engine: Engine, user: User, posting_id: int | None) -> frozenset[int]:
    """Seekers this user's search leaves out: those who opted out, and those the user dismissed for the posting."""
    dismissed = ({s for s, action in feedback_for(engine, user, posting_id).items() if action == "dismiss"}
                 if posting_id is not None and user.role in {"employer", "counsellor", "policy"} else set())
    return frozenset(dismissed) | opted_out_seeker_ids(engine)


def filters_from_query(query: TalentQuery) -> SearchFilters:
    """The search filters of a parsed sentence (districts count as their 시도: records hold the 시도 only;
    employment types and working patterns are not in seekers' records, so they only add words, and the
    employment type orders candidates by their earlier applications).

    Required conditions become filters; those the sentence marks 우대 go to
    :attr:`SearchFilters.preferred` instead, so they never leave anyone out.
    """
    def places(preferred: bool) -> tuple[str, ...]:
        return tuple(dict.fromkeys(
            [*(c for c in query.regions if query.is_preferred("region", c) == preferred),
             *(d.region_code for d in query.districts if query.is_preferred("district", d) == preferred)]))

    soft_career = query.is_preferred("career")
    soft_education = query.is_preferred("education")
    words = [query.free_text, *query.employment_types, *query.work_patterns]
    return SearchFilters(
        keco_codes=tuple(query.occupations), regions=places(False),
        min_career_months=None if soft_career else query.min_career_months,
        max_career_months=None if soft_career else query.max_career_months,
        certificates=tuple(c for c in query.certificates if not query.is_preferred("certificate", c)),
        education=None if soft_education else query.education, wage_min=query.wage_min, wage_max=query.wage_max,
        text=" ".join(w for w in words if w), employment_types=tuple(query.employment_types),
        preferred=Preferred(
            certificates=tuple(c for c in query.certificates if query.is_preferred("certificate", c)),
            min_career_months=query.min_career_months if soft_career else None,
            max_career_months=query.max_career_months if soft_career else None,
            education=query.education if soft_education else None, regions=places(True)))


def _hash(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _check_posting(engine: Engine, user: User, posting_id: int) -> None:
    if user.role not in {"employer", "counsellor", "policy"}:
        raise SearchRefused("인재 추천은 구인기업과 직업상담사가 쓸 수 있습니다.")
    with unit_of_work(engine) as uow:
        owner = postings_repo.posting_owner(uow, int(posting_id))
    scoped = user.scoped_employer_id
    if owner is None or (scoped is not None and owner != scoped):
        # an employer is told the same for another employer's posting as for a missing one
        raise PostingNotFound(f"공고 {int(posting_id)}번을 찾을 수 없습니다.")


def _sentence_query(filters: SearchFilters, day: int, ref: Reference) -> JobQuery:
    """What the ranking compares candidates with: the required conditions, and the preferred ones where
    the ranking has an input for them — a preference is the model's target, never a filter (a stricter
    preferred career or education than the required one is the one aimed at)."""
    preferred = filters.preferred
    keco = filters.keco_codes[0] if filters.keco_codes else None
    names = [occupation_names(k)[0] for k in filters.keco_codes]
    certs = certificate_names(ref)
    words = [filters.text, *names, *(certs.get(c, "") for c in (*filters.certificates, *preferred.certificates))]
    regions = filters.regions or preferred.regions
    least_career = max(filters.min_career_months or 0, preferred.min_career_months or 0)
    levels = [e for e in (filters.education, preferred.education) if e and e != "무관"]
    newcomer = 0 in (filters.max_career_months, preferred.max_career_months)
    return JobQuery(
        keco_code=keco,
        region_code=regions[0] if regions else None,
        min_career_years=least_career / 12 if least_career else None,
        wage_monthly=float(filters.wage_max) if filters.wage_max else None,
        education=max(levels, key=lambda e: EDUCATION_SCALE.get(e, 0)) if levels else None,
        text=" ".join(w for w in words if w),
        day=day,
        employment_type=filters.employment_types[0] if filters.employment_types else None,
        # a posting's 신입/경력 rule, which the ranking learned from (none when the sentence says neither)
        career_rule="신입" if newcomer else "경력" if least_career else None,
    )


PREFERRED_BOOST = 1.0
"""How far meeting every preferred (우대) condition lifts a candidate, in standard deviations of the
search's ranking scores (meeting half of them lifts half as far). A lift, not a gate: a much better fit
without the preferred certificate still ranks above a weak one with it, and no one is left out."""


def _conditions_met(matcher: TalentMatcher, rows: np.ndarray, filters: SearchFilters) -> list[np.ndarray]:
    """One boolean array over ``rows`` per condition of ``filters`` (each certificate its own)."""
    s = matcher.seekers
    met = []
    if filters.regions:
        codes = [s.region_codes.one(r) for r in filters.regions]
        met.append(np.isin(s.region[rows], codes) | np.isin(s.desired_region[rows], codes) | s.flexible[rows])
    months = s.career_years[rows] * 12
    if filters.min_career_months:
        met.append(months >= filters.min_career_months - 0.5)
    if filters.max_career_months is not None:
        met.append(months <= filters.max_career_months + 0.5)
    for certificate in filters.certificates:
        met.append(np.array([certificate in s.certificates[r] for r in rows], dtype=bool))
    if filters.education and filters.education != "무관":
        met.append(s.education[rows] >= EDUCATION_SCALE.get(filters.education, 0))
    if filters.wage_max:
        met.append(s.desired_wage[rows] <= filters.wage_max)
    if filters.wage_min:
        met.append(s.desired_wage[rows] >= filters.wage_min)
    return met


def _filtered(matcher: TalentMatcher, rows: np.ndarray, filters: SearchFilters) -> np.ndarray:
    met = _conditions_met(matcher, rows, filters)
    return rows[np.logical_and.reduce(met)] if met else rows


def preferred_lift(matcher: TalentMatcher, rows: np.ndarray, ranking: np.ndarray, preferred: Preferred) -> np.ndarray:
    """What :data:`PREFERRED_BOOST` adds to each candidate's ranking score for the preferred conditions
    it meets (zeros when nothing is preferred)."""
    as_filters = SearchFilters(regions=preferred.regions, min_career_months=preferred.min_career_months,
                               max_career_months=preferred.max_career_months, certificates=preferred.certificates,
                               education=preferred.education)
    met = _conditions_met(matcher, rows, as_filters)
    if not met or not len(rows):
        return np.zeros(len(rows))
    spread = float(np.std(ranking)) or 1.0
    return PREFERRED_BOOST * spread * np.mean(met, axis=0)


def search_candidates(
    engine: Engine,
    matcher: TalentMatcher,
    user: User,
    *,
    posting_id: int | None = None,
    filters: SearchFilters | None = None,
    top: int = DEFAULT_TOP,
    exclude: Iterable[int] = (),
    reference: Reference | None = None,
    summary_chat: SummaryChat | None = None,
) -> CandidateResults:
    """Rank the people looking for work for a posting (or a sentence's filters) and explain the top ones.

    Args:
        engine: Product database.
        matcher: The built matcher.
        user: Who searches: an employer (own postings only), a counsellor or policy staff.
        posting_id: The posting to find candidates for.
        filters: A sentence search's filters (used when ``posting_id`` is ``None``; with a posting they
            narrow its pool).
        top: Cards wanted (1–30).
        exclude: More seeker ids to leave out (those who opted out and those this user dismissed for the
            posting are always left out).
        reference: Reference tables (default: the committed ones).
        summary_chat: The configured language model for the summaries (``None``: the offline composer);
            it sees only the masked professional record, and its sentences are checked against it.

    Returns:
        :class:`CandidateResults`.

    Raises:
        PostingNotFound: No such posting, or another employer's.
        SearchRefused: A role that may not search.
        EmptySearch: A sentence search with nothing in it.
        NotReady: The database holds no reference date (no world yet).
    """
    ref = reference or load_reference()
    top = max(1, min(int(top), MAX_TOP))
    filters = filters or SearchFilters()
    offer: dict[str, object] = {}
    if posting_id is not None:
        _check_posting(engine, user, posting_id)
        rows = repo.load_match_postings(engine, [int(posting_id)])
        if rows.empty:
            raise PostingNotFound(f"공고 {int(posting_id)}번을 찾을 수 없습니다.")
        record = next(rows.itertuples(index=False))
        query = posting_query(record, ref)
        target = str(record.title)
        offer = {"wage_monthly": float(record.wage_monthly), "min_career_years": float(record.min_career_years or 0),
                 "region": region_short(str(record.region_code)), "keco_code": str(record.keco_code),
                 "education": str(record.education), "text": posting_document(record, ref)}
    else:
        if user.role not in {"employer", "counsellor", "policy"}:
            raise SearchRefused("인재 추천은 구인기업과 직업상담사가 쓸 수 있습니다.")
        if filters.is_empty():
            raise EmptySearch("찾는 인재를 문장으로 적거나 조건을 하나 이상 고르세요.")
        as_of = world_repo.load_reference_date(engine)
        if as_of is None:
            raise NotReady("기준일을 정할 자료가 없습니다. `python -m app build`로 가상 세계를 만드세요.")
        query = _sentence_query(filters, day_number(as_of), ref)
        target = query.text
        offer = {"wage_monthly": float(filters.wage_max) if filters.wage_max else None,
                 "min_career_years": (filters.min_career_months or 0) / 12,
                 "region": region_short(filters.regions[0]) if filters.regions else "",
                 "keco_code": query.keco_code or "", "education": filters.education or "무관", "text": query.text}
    # whoever calls, a seeker who opted out of recommendation is never proposed, nor one this user
    # dismissed for the posting (after the access checks above)
    exclude = set(int(i) for i in exclude) | hidden_candidates(engine, user, posting_id)
    pool = _filtered(matcher, matcher.pool(query.day, exclude=exclude), filters)
    # a posting is analysed as the build analysed it (its stored terms and this search agree)
    tokens = posting_tokens([record], ref)[0] if posting_id is not None else content_tokens([query.text])[0]
    vector = matcher.query_vector(query.text, tokens)
    scores = matcher.source_scores(query, tokens, vector)
    cand = matcher.candidates(query, pool, scores)
    features = matcher.features(query, cand, scores.at(cand))
    ranking = matcher.rank(features) if len(cand) else np.empty(0)
    if posting_id is None:
        ranking = ranking + preferred_lift(matcher, cand, ranking, filters.preferred)
    order = np.argsort(-ranking, kind="stable")[:top]
    cards, batch = _cards(engine, matcher, query, offer, cand[order], features[order], ranking[order], tokens, vector,
                          ref, summary_chat, filters.preferred if posting_id is None else NO_PREFERENCE)
    return CandidateResults(
        summary_backend=batch.backend, notices=batch.notices,
        cards=cards, pool=_pool_frame(matcher, query, cand, offer), target=target, offer=offer, n_pool=int(len(pool)),
        model_version=str(matcher.version), posting_id=int(posting_id) if posting_id is not None else None,
        # who wrote the summaries is part of the output: a fallback to the offline composer gets its own log row
        input_hash=_hash({"posting": posting_id, "filters": filters, "top": top, "v": matcher.version,
                          "excluded": sorted(int(i) for i in exclude), "writer": batch.backend}))


def _cards(engine: Engine, matcher: TalentMatcher, query: JobQuery, offer: dict[str, object], rows: np.ndarray,
           features: np.ndarray, ranking: np.ndarray, tokens: Sequence[str], vector: np.ndarray, ref: Reference,
           summary_chat: SummaryChat | None = None,
           preferred: Preferred = NO_PREFERENCE) -> tuple[tuple[CandidateCard, ...], SummaryBatch]:
    if not len(rows):
        return (), SummaryBatch({}, OFFLINE_SUMMARY)
    ids = [int(i) for i in matcher.seekers.ids[rows]]
    # plain dicts: a pandas row lookup per field cost more than the rest of a card
    records = repo.load_match_seekers(engine, ids).set_index("id").to_dict("index")
    documents = candidate_documents(engine, ids)
    probability = matcher.hire_probability(features)
    contributions = matcher.hire_contributions(features)[list(FEATURES)].to_numpy()
    history_titles = _similar_applied_titles(engine, matcher, query, ids, vector)
    same_type = same_type_applications(engine, matcher, [(int(r), query) for r in rows])
    known = [*ref.occupations["name"], *ref.certificates["name"]]
    informative = sorted(matcher.lexical.informative(tokens))
    facts_of = {f"후보 {i + 1}": candidate_facts(records[sid], documents.get(sid, CandidateDocuments.empty()), ref)
                for i, sid in enumerate(ids)}
    batch = summarise_candidates(facts_of, summary_chat, known)
    cards = []
    for i, sid in enumerate(ids):
        record = records[sid]
        docs = documents.get(sid, CandidateDocuments.empty())
        facts = facts_of[f"후보 {i + 1}"]
        summary = batch.summaries[f"후보 {i + 1}"]
        feats = dict(zip(FEATURES, features[i], strict=True))
        contribution = dict(zip(FEATURES, contributions[i].tolist(), strict=True))
        reasons = reasons_for(feats, contribution, record, docs, query, informative, history_titles.get(sid, ()), ref,
                              preferred=preferred, same_type_application=same_type[i])
        factors = sorted(((FEATURE_LABELS[f], c) for f, c in contribution.items()), key=lambda kv: -abs(kv[1]))
        cards.append(CandidateCard(
            seeker_id=sid, rank=i + 1, label=f"후보 {i + 1}", headline=_headline(facts, record),
            summary=summary, reasons=reasons, missing=missing_against(record, query, offer, ref, preferred),
            hire_probability=float(probability[i]), hire_factors=tuple(factors[:4]), score=float(ranking[i]),
            facts=facts))
    return tuple(cards), batch


def _headline(facts: CandidateFacts, record: Mapping[str, object]) -> str:
    career = career_text(facts.career_years)
    career = "신입" if career == "신입" else f"경력 {career}"
    return f"{facts.desired_occupation} 희망 · {career} · {region_short(str(record['desired_region_code']))} 희망"


def candidate_facts(record: Mapping[str, object], docs: CandidateDocuments, ref: Reference) -> CandidateFacts:
    """The masked facts a candidate's summary may state (from the record and the masked résumé)."""
    certs = certificate_names(ref)
    last = record_text(record, "last_keco")
    return CandidateFacts(
        desired_occupation=occupation_names(str(record["desired_keco"]))[0],
        last_occupation=occupation_names(last)[0] if last else "",
        career_years=float(record["career_years"]),
        duties=docs.duties,
        certificates=tuple(str(certs.get(c, c)) for c in record_text(record, "certificate_ids").split(";") if c),
        skills=tuple(s for s in record_text(record, "skills").split(";") if s),
        region=region_short(str(record["desired_region_code"])),
        desired_wage=int(record["desired_wage"]),
        education=str(record["education"]),
        major=record_text(record, "major"),
    )


def same_type_applications(engine: Engine, matcher: TalentMatcher,
                           pairs: Sequence[tuple[int, JobQuery]]) -> list[str | None]:
    """Per (seeker row, query): the evidence of the past-application reason — the seeker's latest
    application, before the query's day, to a job of the query's employment type ("'…' 공고(계약직, 주
    40시간)에 지원"), ``None`` when there is none."""
    profile = matcher.posting_profile
    picks: list[int | None] = []
    for row, query in pairs:
        pick = None
        if profile is not None and query.employment_type in EMPLOYMENT_TYPES:
            past = matcher.past_applied_postings(row, query.day)
            same = past[profile.employment_type[past] == EMPLOYMENT_TYPES.index(query.employment_type)]
            pick = int(same[-1]) if len(same) else None  # postings are in opening order: the latest
        picks.append(pick)
    wanted = sorted({int(matcher.posting_ids[p]) for p in picks if p is not None})
    if not wanted:
        return [None] * len(picks)
    postings = repo.load_match_postings(engine, wanted).set_index("id").to_dict("index")
    out: list[str | None] = []
    for pick in picks:
        posting = postings.get(int(matcher.posting_ids[pick])) if pick is not None else None
        if posting is None:
            out.append(None)
            continue
        hours = posting.get("weekly_hours")
        pattern = f"{posting['employment_type']}, 주 {int(hours)}시간" if hours and not pd.isna(hours) else str(
            posting["employment_type"])
        out.append(f"'{posting['title']}' 공고({pattern})에 지원")
    return out


def _similar_applied_titles(engine: Engine, matcher: TalentMatcher, query: JobQuery,
                            seeker_ids: Sequence[int], vector: np.ndarray) -> dict[int, tuple[str, ...]]:
    """Per candidate: titles of the similar earlier postings they applied to (the collaborative evidence)."""
    top, _ = matcher.similar_past_postings(vector, query.day, query.posting_id)
    if not len(top):
        return {}
    rows = matcher.rows_of(seeker_ids)
    applied = matcher.history[top][:, rows].tocoo()
    if not applied.nnz:
        return {}
    posting_ids = [int(matcher.posting_ids[top[r]]) for r in applied.row]
    titles = repo.load_match_postings(engine, sorted(set(posting_ids))).set_index("id")["title"]
    out: dict[int, list[str]] = {}
    for r, c in zip(applied.row, applied.col, strict=True):
        out.setdefault(int(matcher.seekers.ids[rows[c]]), []).append(str(titles.get(int(matcher.posting_ids[top[r]]), "")))
    return {k: tuple(v[:3]) for k, v in out.items()}


def _pool_frame(matcher: TalentMatcher, query: JobQuery, rows: np.ndarray, offer: dict[str, object]) -> pd.DataFrame:
    s = matcher.seekers
    keco = query.keco_code or ""
    wanted = s.occupation_codes.one(keco)
    certs = matcher.occupation_certificates.get(keco, frozenset())
    region = s.region_codes.one(query.region_code)
    frame = pd.DataFrame({
        "career_years": s.career_years[rows],
        "desired_wage": s.desired_wage[rows],
        "region": [region_short(str(c)) for c in _region_names(s.region_codes, s.desired_region[rows])],
    })
    frame["meets_occupation"] = (s.desired[rows] == wanted) | (s.last[rows] == wanted) if keco else np.nan
    frame["meets_career"] = s.career_years[rows] >= float(query.min_career_years or 0)
    frame["meets_certificate"] = [bool(s.certificates[r] & certs) for r in rows] if certs else np.nan
    frame["meets_region"] = ((s.region[rows] == region) | (s.desired_region[rows] == region) | s.flexible[rows]
                             ) if query.region_code else np.nan
    frame["meets_education"] = s.education[rows] >= EDUCATION_SCALE.get(query.education or "무관", 0)
    frame["meets_wage"] = s.desired_wage[rows] <= float(offer["wage_monthly"]) if offer.get("wage_monthly") else np.nan
    return frame


def _region_names(codes: object, values: np.ndarray) -> list[str]:
    by_index = {i: c for c, i in codes.index.items()}  # type: ignore[attr-defined]
    return [by_index.get(int(v), "") for v in values]


@dataclass(frozen=True)
class QuestionSet:
    """Interview questions for one candidate, and what the audit log needs.

    Attributes:
        questions: The questions, each with the sentence it probes.
        seeker_id: The candidate (internal id; never shown).
        model_version: Matcher version (audit log).
        input_hash: SHA-256 of the input and of who wrote the questions (audit log: a different writer
            is a different output, so it gets its own row).
        writer: Who wrote them: the offline composer or the configured language model (the AI notice says so).
        notices: Korean notes for the page (a fallback, replaced questions).
        posting_id: The posting the questions are for (``None`` for a sentence search).
    """

    questions: tuple[InterviewQuestion, ...]
    seeker_id: int
    model_version: str
    input_hash: str
    writer: str = OFFLINE_QUESTIONS
    notices: tuple[str, ...] = ()
    posting_id: int | None = None

    def audit_output(self) -> dict[str, object]:
        """What the audit log keeps: the seeker, the posting, how many questions and who wrote them."""
        return {"seeker_id": self.seeker_id, "posting_id": self.posting_id, "questions": len(self.questions),
                "writer": self.writer, "by_model": sum(q.writer != OFFLINE_QUESTIONS for q in self.questions)}


def interview_questions(engine: Engine, matcher: TalentMatcher, user: User, *, posting_id: int | None,
                        seeker_id: int, offer: dict[str, object] | None = None,
                        reference: Reference | None = None, question_chat: SummaryChat | None = None) -> QuestionSet:
    """Interview questions for one candidate, each tied to the résumé, cover-letter or posting sentence it probes.

    Args:
        engine: Product database.
        matcher: The built matcher (its version is logged with the questions).
        user: Who asks (an employer only for their own postings).
        posting_id: The posting the interview is for, or ``None`` for a sentence search.
        seeker_id: The candidate.
        offer: A sentence search's conditions (:attr:`CandidateResults.offer`), used when ``posting_id`` is ``None``.
        reference: Reference tables (default: the committed ones).
        question_chat: The configured language model (``None``: the offline composer); it sees only the
            masked probe sentences and the posting's conditions, and each of its questions is checked
            against its probe (a failed one is replaced by the offline question).

    Raises:
        PostingNotFound: The posting is not this employer's.
        NotFound: No such candidate.
    """
    ref = reference or load_reference()
    if posting_id is not None:
        _check_posting(engine, user, posting_id)
        record = next(repo.load_match_postings(engine, [int(posting_id)]).itertuples(index=False))
        query = posting_query(record, ref)
        offer = {"wage_monthly": float(record.wage_monthly), "min_career_years": float(record.min_career_years or 0),
                 "region": region_short(str(record.region_code)), "keco_code": str(record.keco_code),
                 "education": str(record.education)}
    else:
        offer = offer or {}
        query = JobQuery(keco_code=str(offer.get("keco_code") or "") or None, region_code=None,
                         min_career_years=float(offer.get("min_career_years") or 0) or None,
                         wage_monthly=float(offer["wage_monthly"]) if offer.get("wage_monthly") else None,
                         education=str(offer.get("education") or "") or None, text=str(offer.get("text") or ""),
                         day=day_number(dt.date.today()))
    records = repo.load_match_seekers(engine, [int(seeker_id)]).set_index("id").to_dict("index")
    if int(seeker_id) not in records:
        raise NotFound("그 후보를 찾을 수 없습니다.")
    docs = candidate_documents(engine, [int(seeker_id)]).get(int(seeker_id), CandidateDocuments.empty())
    batch = write_interview_questions(probes_for(records[int(seeker_id)], docs, query, offer, ref), question_chat,
                                      posting_requirements(query, offer),
                                      [*ref.occupations["name"], *ref.certificates["name"]])
    return QuestionSet(questions=batch.questions, seeker_id=int(seeker_id), model_version=str(matcher.version),
                       input_hash=_hash({"posting": posting_id, "seeker": int(seeker_id), "offer": offer,
                                         "v": matcher.version, "writer": batch.backend}),
                       writer=batch.backend, notices=batch.notices,
                       posting_id=int(posting_id) if posting_id is not None else None)


def posting_requirements(query: JobQuery, offer: Mapping[str, object]) -> dict[str, str]:
    """The posting's (or the sentence's) conditions in Korean, as a model writing questions may cite them.

    Only the structured conditions: the posting's free text can hold a contact person's name or number.
    """
    occupation = occupation_names(query.keco_code)[0] if query.keco_code else ""
    need = query.min_career_years or 0
    education = query.education or ""
    return {"직종": occupation, "요구 경력": f"{career_text(need)} 이상" if need > 0 else "",
            "학력": "" if education == "무관" else education, "근무 지역": str(offer.get("region") or ""),
            "제시 임금": f"월 {format_manwon(query.wage_monthly)}" if query.wage_monthly else ""}


def source_scores_for(matcher: TalentMatcher, query: JobQuery) -> SourceScores:
    """Retrieval scores of every seeker for a query (benches and tests)."""
    tokens = content_tokens([query.text])[0]
    return matcher.source_scores(query, tokens, matcher.query_vector(query.text, tokens))


@dataclass(frozen=True)
class JobCard:
    """One recommended posting for a seeker.

    Attributes:
        posting_id: The posting.
        rank: 1-based rank.
        title: Posting title.
        occupation: Occupation name.
        region: Short 시도 name.
        wage_monthly: Monthly wage offered (원).
        close_date: Last day to apply.
        reasons: Why it suits the seeker (evidence from the seeker's own record and the posting).
        missing: What the posting asks that the seeker lacks.
        hire_probability: Calibrated probability that the seeker would be hired there if they applied.
        hire_factors: (Korean factor, contribution) of that probability.
        score: Ranking score.
        fill_probability: The posting's predicted 30-day fill probability (the hiring model), when given.
    """

    posting_id: int
    rank: int
    title: str
    occupation: str
    region: str
    wage_monthly: float
    close_date: dt.date
    reasons: tuple[MatchReason, ...]
    missing: tuple[str, ...]
    hire_probability: float
    hire_factors: tuple[tuple[str, float], ...]
    score: float
    fill_probability: float | None = None


@dataclass(frozen=True)
class JobResults:
    """Postings recommended to one seeker, as of the data's reference date."""

    cards: tuple[JobCard, ...]
    seeker_id: int
    as_of: dt.date
    n_open: int
    model_version: str
    input_hash: str

    def audit_output(self) -> dict[str, object]:
        """What the audit log keeps: the seeker, ranks, posting ids and probabilities."""
        return {"seeker_id": self.seeker_id,
                "postings": [{"rank": c.rank, "posting_id": c.posting_id, "p_hire": round(c.hire_probability, 4)}
                             for c in self.cards]}


class SeekerNotMatched(NotReady):
    """The seeker registered after the matcher was built."""


MAX_OPEN_POSTINGS = 400
"""Open postings scored for one seeker: the closest by meaning and every one of their occupation, capped."""


def jobs_for_seeker(engine: Engine, matcher: TalentMatcher, user: User, *, seeker_id: int | None = None,
                    top: int = DEFAULT_TOP, fill_outlook: Callable[[list[int]], Mapping[int, float]] | None = None,
                    reference: Reference | None = None) -> JobResults:
    """The open postings that suit a seeker best, with reasons and the chance of being hired.

    Args:
        engine: Product database.
        matcher: The built matcher.
        user: A seeker (their own record only) or a counsellor (any seeker).
        seeker_id: The seeker (a seeker account's own id is used whatever is passed).
        top: Postings wanted (1–30).
        fill_outlook: The hiring model's fill probability of the postings shown, by posting id (asked
            once, for the cards only): each card shows its posting's fill outlook (``None``: no outlook,
            e.g. without the hiring model).
        reference: Reference tables.

    Raises:
        SearchRefused: Another role, or a seeker account asking for someone else.
        SeekerNotMatched: The seeker is newer than the built matcher.
    """
    ref = reference or load_reference()
    if user.role == "seeker":
        own = getattr(user, "scoped_seeker_id", None)
        if own is None or (seeker_id is not None and int(seeker_id) != int(own)):
            raise SearchRefused("본인의 추천 일자리만 볼 수 있습니다.")
        seeker_id = int(own)
    elif user.role != "counsellor":
        raise SearchRefused("추천 일자리는 구직자 본인과 직업상담사가 볼 수 있습니다.")
    if seeker_id is None:
        raise SearchRefused("구직자를 고르세요.")
    rows = matcher.rows_of([int(seeker_id)])
    if not len(rows):
        raise SeekerNotMatched("이 구직자는 추천 모델을 만든 뒤 등록되어 아직 추천할 수 없습니다. "
                               "`python -m app build` 뒤에 다시 보세요.")
    row = int(rows[0])
    as_of = world_repo.load_reference_date(engine)
    if as_of is None:
        raise NotReady("기준일을 정할 자료가 없습니다. `python -m app build`로 가상 세계를 만드세요.")
    top = max(1, min(int(top), MAX_TOP))
    open_postings = repo.load_open_postings(engine, as_of)
    applied = set(int(p) for p in matcher.posting_ids[matcher.history[:, row].nonzero()[0]])
    open_postings = open_postings[~open_postings["id"].isin(applied)].reset_index(drop=True)
    records = list(open_postings.itertuples(index=False))
    queries = [posting_query(r, ref) for r in records]
    vectors = np.vstack([_posting_vector(matcher, q, r, ref) for q, r in zip(queries, records, strict=True)]) \
        if queries else np.empty((0, 1))
    if len(queries) > MAX_OPEN_POSTINGS:
        s = matcher.seekers
        wanted = [s.occupation_codes.one(q.keco_code) for q in queries]
        same = np.array([w in (s.desired[row], s.last[row]) for w in wanted])
        closeness = vectors @ matcher.seeker_vectors[row] + same
        keep = np.sort(np.argsort(-closeness, kind="stable")[:MAX_OPEN_POSTINGS])
        records, queries, vectors = [records[i] for i in keep], [queries[i] for i in keep], vectors[keep]
    missing_terms = [i for i, q in enumerate(queries) if matcher.posting_terms_of(int(q.posting_id or 0)) is None]
    fresh = dict(zip(missing_terms, posting_tokens([records[i] for i in missing_terms], ref), strict=True))
    terms = [matcher.posting_terms_of(int(q.posting_id or 0)) if i not in fresh else matcher.lexical.terms(fresh[i])
             for i, q in enumerate(queries)]
    features = matcher.jobs_features(row, queries, terms, vectors)
    ranking = matcher.rank(features) if len(queries) else np.empty(0)
    order = np.argsort(-ranking, kind="stable")[:top]
    cards: list[JobCard] = []
    if len(order):
        record = repo.load_match_seekers(engine, [int(seeker_id)]).set_index("id").to_dict("index")[int(seeker_id)]
        docs = candidate_documents(engine, [int(seeker_id)]).get(int(seeker_id), CandidateDocuments.empty())
        chosen = features[order]
        probability = matcher.hire_probability(chosen)
        contributions = matcher.hire_contributions(chosen)[list(FEATURES)].to_numpy()
        same_type = same_type_applications(engine, matcher, [(row, queries[i]) for i in order])
        outlook = fill_outlook([int(records[i].id) for i in order]) if fill_outlook is not None else {}
        for rank, i in enumerate(order):
            posting, query = records[i], queries[i]
            feats = dict(zip(FEATURES, features[i], strict=True))
            contribution = dict(zip(FEATURES, contributions[rank].tolist(), strict=True))
            reasons = reasons_for(feats, contribution, record, docs, query, (), (), ref,
                                  same_type_application=same_type[rank])
            factors = sorted(((FEATURE_LABELS[f], c) for f, c in contribution.items()), key=lambda kv: -abs(kv[1]))
            cards.append(JobCard(
                posting_id=int(posting.id), rank=rank + 1, title=str(posting.title),
                occupation=occupation_names(str(posting.keco_code))[0], region=region_short(str(posting.region_code)),
                wage_monthly=float(posting.wage_monthly), close_date=pd.Timestamp(posting.close_date).date(),
                reasons=reasons, missing=missing_against(record, query, {"text": query.text}, ref),
                hire_probability=float(probability[rank]), hire_factors=tuple(factors[:4]),
                score=float(ranking[i]), fill_probability=outlook.get(int(posting.id))))
    return JobResults(cards=tuple(cards), seeker_id=int(seeker_id), as_of=as_of, n_open=len(open_postings),
                      model_version=str(matcher.version),
                      input_hash=_hash({"seeker": int(seeker_id), "as_of": as_of, "top": top, "v": matcher.version}))


def _posting_vector(matcher: TalentMatcher, query: JobQuery, record: object, ref: Reference) -> np.ndarray:
    stored = matcher.posting_vector(query.posting_id) if query.posting_id is not None else None
    if stored is not None:
        return stored
    return matcher.query_vector(query.text, posting_tokens([record], ref)[0])
