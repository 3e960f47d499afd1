"""Talent recommendation on the small world: candidate search for a posting and for a sentence's
filters, cards without identity, reasons that cite real sentences, jobs for a seeker, interview questions."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from app.auth import User
from app.db.engine import make_engine
from app.db.repositories import world as world_repo
from app.errors import InvalidInput, NotFound
from app.ml import manifest
from app.ml.talent import MODEL_VERSION, day_number
from app.services import talent
from app.services.talent.matching import PREFERRED_BOOST, preferred_lift

COUNSELLOR = User("counsellor1", "상담사", "counsellor")


@pytest.fixture(scope="module")
def built(hiring_built: tuple[str, Path]):
    url, models = hiring_built
    engine = make_engine(url)
    matcher = talent.load_talent_matcher(models)
    yield engine, matcher, models
    engine.dispose()


def _seekers(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text("select id, name, phone, email, address, resume_text, cover_letter_text from seekers"), conn)


def _postings(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text("select id, employer_id, title from postings order by id"), conn)


def _texts_of(card: talent.CandidateCard) -> list[str]:
    parts = [card.label, card.headline, *card.missing, *(s.text for s in card.summary)]
    for reason in card.reasons:
        parts += [reason.label, reason.evidence, reason.source]
    parts += [name for name, _ in card.hire_factors]
    parts += [str(v) for v in dataclasses.asdict(card.facts).values()]
    return parts


def _a_searchable_posting(engine, matcher) -> int:
    with engine.connect() as conn:
        rows = conn.execute(text("select posting_id, count(*) from applications group by posting_id "
                                 "order by count(*) desc, posting_id limit 1")).all()
    return int(rows[0][0])


def test_the_build_records_ranking_quality_above_chance(built) -> None:
    _, matcher, models = built
    metrics = (manifest.load_manifest(models) or {})["models"][talent.MODEL_NAME]["metrics"]
    # applicants in the top 10 of a few hundred candidates: far above the random share
    assert metrics["recall10_applied"] > 0.25
    assert 0.0 < metrics["ndcg10"] <= 1.0
    assert matcher.version == MODEL_VERSION


def test_a_posting_search_ranks_cards_with_evidence_and_no_identity(built) -> None:
    engine, matcher, _ = built
    posting_id = _a_searchable_posting(engine, matcher)
    results = talent.search_candidates(engine, matcher, COUNSELLOR, posting_id=posting_id, top=10)
    assert 1 <= len(results.cards) <= 10
    assert [c.rank for c in results.cards] == list(range(1, len(results.cards) + 1))
    scores = [c.score for c in results.cards]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= c.hire_probability <= 1.0 for c in results.cards)
    assert len(results.input_hash) == 64 and results.posting_id == posting_id
    seekers = _seekers(engine).set_index("id")
    for card in results.cards:
        person = seekers.loc[card.seeker_id]
        shown = " ".join(_texts_of(card))
        for secret in (person["name"], person["phone"], person["email"], person["address"]):
            assert str(secret) not in shown
        assert not re.search(r"01[016789]-?\d{3,4}-?\d{4}", shown)
        for reason in card.reasons:
            if reason.source in {"이력서", "자격증"}:
                assert reason.evidence in person["resume_text"]
            elif reason.source == "자기소개서":
                assert reason.evidence in person["cover_letter_text"]
            else:
                assert reason.source == "지원 이력"
                title = reason.evidence.removeprefix("'").split("' 공고")[0]
                assert title in set(_postings(engine)["title"])
        assert 1 <= len(card.summary) <= 3


def test_excluded_seekers_never_appear(built) -> None:
    engine, matcher, _ = built
    posting_id = _a_searchable_posting(engine, matcher)
    first = talent.search_candidates(engine, matcher, COUNSELLOR, posting_id=posting_id, top=10)
    hidden = {c.seeker_id for c in first.cards[:3]}
    again = talent.search_candidates(engine, matcher, COUNSELLOR, posting_id=posting_id, top=30, exclude=hidden)
    assert hidden.isdisjoint(c.seeker_id for c in again.cards)
    assert again.n_pool == first.n_pool - len(hidden)


def test_an_employer_searches_only_for_own_postings(built) -> None:
    engine, matcher, _ = built
    postings = _postings(engine)
    mine, other = postings.iloc[0], postings[postings["employer_id"] != postings.iloc[0]["employer_id"]].iloc[0]
    employer = User("employer1", "기업", "employer", employer_id=int(mine["employer_id"]))
    assert talent.search_candidates(engine, matcher, employer, posting_id=int(mine["id"])).posting_id == int(mine["id"])
    with pytest.raises(NotFound) as refused:
        talent.search_candidates(engine, matcher, employer, posting_id=int(other["id"]))
    assert "찾을 수 없습니다" in str(refused.value)
    with pytest.raises(NotFound):
        talent.search_candidates(engine, matcher, employer, posting_id=10**9)


def test_sentence_filters_are_hard_filters(built) -> None:
    engine, matcher, _ = built
    query = talent.parse_talent_query("서울 경력 2년 이상")
    filters = talent.filters_from_query(query)
    assert filters.regions == ("11",) and filters.min_career_months == 24
    results = talent.search_candidates(engine, matcher, COUNSELLOR, filters=filters, top=30)
    assert results.cards
    s = matcher.seekers
    for card in results.cards:
        row = int(matcher.rows_of([card.seeker_id])[0])
        assert s.career_years[row] * 12 >= 24 - 0.5
        seoul = s.region_codes.one("11")
        assert s.region[row] == seoul or s.desired_region[row] == seoul or s.flexible[row]
    assert (results.pool["career_years"] * 12 >= 23.5).all()


def test_a_preferred_certificate_lifts_its_holders_and_leaves_no_one_out(built) -> None:
    engine, matcher, _ = built
    s = matcher.seekers
    certificate = Counter(c for held in s.certificates for c in held).most_common(1)[0][0]
    base = talent.SearchFilters(text="사무", regions=("41",))
    plain = talent.search_candidates(engine, matcher, COUNSELLOR, filters=base, top=30)
    soft = talent.search_candidates(engine, matcher, COUNSELLOR, top=30,
                                    filters=dataclasses.replace(base, preferred=talent.Preferred(certificates=(certificate,))))
    hard = talent.search_candidates(engine, matcher, COUNSELLOR, filters=dataclasses.replace(base, certificates=(certificate,)),
                                    top=30)

    def holds(card: talent.CandidateCard) -> bool:
        return certificate in s.certificates[int(matcher.rows_of([card.seeker_id])[0])]

    assert soft.n_pool == plain.n_pool > hard.n_pool >= 1  # a preference filters no one; the requirement does
    assert sum(map(holds, soft.cards)) >= sum(map(holds, plain.cards))
    # every holder ranks at least as high with the preference, and one strictly higher
    wide_plain = talent.search_candidates(engine, matcher, COUNSELLOR, filters=base, top=100)
    wide_soft = talent.search_candidates(engine, matcher, COUNSELLOR, top=100,
                                         filters=dataclasses.replace(base, preferred=talent.Preferred(certificates=(certificate,))))

    def holder_ranks(results: talent.CandidateResults) -> list[int]:
        return [card.rank for card in results.cards if holds(card)]

    before, after = holder_ranks(wide_plain), holder_ranks(wide_soft)
    assert after and len(after) >= len(before)
    assert sum(after[: len(before)]) < sum(before) if before else after
    assert all(holds(c) for c in hard.cards)
    for card in soft.cards:
        lacks = any(line.startswith("우대 자격증 ") and line.endswith("없습니다.") for line in card.missing)
        assert lacks != holds(card)
    rows = matcher.pool(day_number(world_repo.load_reference_date(engine)))
    ranking = np.linspace(0.0, 2.0, len(rows))
    lift = preferred_lift(matcher, rows, ranking, talent.Preferred(certificates=(certificate,)))
    held = np.array([certificate in s.certificates[r] for r in rows])
    assert held.any() and np.allclose(lift[held], PREFERRED_BOOST * ranking.std()) and not lift[~held].any()


def test_an_empty_sentence_search_is_refused_in_korean(built) -> None:
    engine, matcher, _ = built
    with pytest.raises(InvalidInput) as refused:
        talent.search_candidates(engine, matcher, COUNSELLOR, filters=talent.SearchFilters())
    assert "조건" in str(refused.value)


def test_jobs_for_a_seeker_are_open_postings_not_yet_applied_to(built) -> None:
    engine, matcher, _ = built
    seeker_id = int(matcher.seekers.ids[np.argmax(matcher.seekers.registered_day)])
    results = talent.jobs_for_seeker(engine, matcher, COUNSELLOR, seeker_id=seeker_id, top=5,
                                     fill_outlook=None)
    assert results.n_open > 0 and 1 <= len(results.cards) <= 5
    with engine.connect() as conn:
        open_ids = {int(r[0]) for r in conn.execute(
            text("select id from postings where open_date <= :d and close_date >= :d"), {"d": results.as_of})}
        applied = {int(r[0]) for r in conn.execute(
            text("select posting_id from applications where seeker_id = :s"), {"s": seeker_id})}
    assert {c.posting_id for c in results.cards} <= open_ids - applied
    assert all(c.fill_probability is None for c in results.cards)
    employer = User("employer1", "기업", "employer", employer_id=1)
    with pytest.raises(talent.SearchRefused):
        talent.jobs_for_seeker(engine, matcher, employer, seeker_id=seeker_id)


def test_interview_questions_probe_sentences_that_exist(built) -> None:
    engine, matcher, _ = built
    posting_id = _a_searchable_posting(engine, matcher)
    results = talent.search_candidates(engine, matcher, COUNSELLOR, posting_id=posting_id, top=10)
    seekers = _seekers(engine).set_index("id")
    asked_any = False
    for card in results.cards:
        asked = talent.interview_questions(engine, matcher, COUNSELLOR, posting_id=posting_id, seeker_id=card.seeker_id)
        assert len(asked.input_hash) == 64 and asked.seeker_id == card.seeker_id
        person = seekers.loc[card.seeker_id]
        for q in asked.questions:
            asked_any = True
            if q.source in {"이력서", "자격증"}:
                assert q.probes in person["resume_text"]
            elif q.source == "자기소개서":
                assert q.probes in person["cover_letter_text"]
            else:
                assert q.source == "공고"
            for banned in ("나이", "결혼", "가족", "종교", "신장", "몸무게", "성별"):
                assert banned not in q.question
    assert asked_any


def _applications_before(engine, seeker_id: int, day: pd.Timestamp) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.read_sql(text("select p.id, p.employment_type, p.weekly_hours, p.region_code, p.keco_code, p.open_date "
                                 "from applications a join postings p on p.id = a.posting_id where a.seeker_id = :s"),
                            conn, params={"s": seeker_id})
    return frame[pd.to_datetime(frame["open_date"]) < day]


def test_past_application_features_read_only_earlier_applications(built) -> None:
    engine, matcher, _ = built
    from app.ml.talent import FEATURES, posting_query
    from app.reference.tables import load_reference

    ref = load_reference()
    from app.db.repositories import matching as repo

    postings = repo.load_match_postings(engine)
    latest = postings.sort_values(["open_date", "id"]).iloc[-1]  # the most history before it
    query = posting_query(latest, ref)
    rows = matcher.pool(query.day)
    active = rows[matcher.seekers.activity[rows] >= 2][:40]
    assert len(active) >= 5
    features = matcher.features(query, active, {"lexical": np.zeros(len(active)), "dense": np.zeros(len(active)),
                                                "collaborative": np.zeros(len(active))})
    col = {f: i for i, f in enumerate(FEATURES)}
    checked = 0
    for row, feats in zip(active, features, strict=True):
        before = _applications_before(engine, int(matcher.seekers.ids[row]), pd.Timestamp(latest["open_date"]))
        assert feats[col["past_applications"]] == len(before)
        if len(before):
            checked += 1
            assert feats[col["past_type_share"]] == pytest.approx((before["employment_type"] == query.employment_type).mean())
            assert feats[col["past_region_share"]] == pytest.approx((before["region_code"] == query.region_code).mean())
            assert feats[col["past_field_share"]] == pytest.approx(
                (before["keco_code"].str[:2] == query.keco_code[:2]).mean())
            assert feats[col["past_hours_gap"]] == pytest.approx(
                np.log(query.weekly_hours) - np.log(before["weekly_hours"].astype(float)).mean(), abs=1e-5)
        else:
            assert np.isnan(feats[col["past_type_share"]]) and np.isnan(feats[col["past_hours_gap"]])
    assert checked >= 3


def test_the_past_application_reason_cites_an_earlier_application_of_that_type(built) -> None:
    engine, matcher, _ = built
    from app.db.repositories import matching as repo
    from app.ml.talent import posting_query
    from app.reference.tables import load_reference
    from app.services.talent.matching import same_type_applications

    ref = load_reference()
    postings = repo.load_match_postings(engine).sort_values(["open_date", "id"])
    latest = postings.iloc[-1]
    query = posting_query(latest, ref)
    rows = [int(r) for r in matcher.pool(query.day) if matcher.seekers.activity[r] >= 1][:60]
    evidence = same_type_applications(engine, matcher, [(r, query) for r in rows])
    titles = dict(zip(postings["id"], postings["title"], strict=True))
    found = 0
    for row, line in zip(rows, evidence, strict=True):
        before = _applications_before(engine, int(matcher.seekers.ids[row]), pd.Timestamp(latest["open_date"]))
        same = before[before["employment_type"] == query.employment_type].sort_values(["open_date", "id"])
        if same.empty:
            assert line is None
            continue
        found += 1
        last = same.iloc[-1]
        assert line.startswith(f"'{titles[int(last['id'])]}' 공고({query.employment_type}")
        assert line.endswith("에 지원")
    assert found >= 1
