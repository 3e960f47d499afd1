"""Generate a synthetic world into the configured database: ``python -m app world``.

Pipeline: reference tables → structured entities (``population``) → planted legal problems
(``violations``) → outcomes sampled from the truth equations (``outcomes``) → activity
(``activity``) → Korean text (``text``/``identity``) → database, chunk by chunk.

Determinism: every component draws from its own child of ``SeedSequence(seed)``, so the same
seed and size give the same database (checked by :func:`app.world.fingerprint.compute_fingerprint`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from app.db.fingerprint import compute_fingerprint
from app.db.repositories.bulk import bulk_connection, insert_frame, insert_rows
from app.db.repositories.world import WORLD_VERSION_KEY, reset_schema
from app.db.rrn import RrnCipher, ensure_rrn_cipher
from app.reference.tables import Reference, load_reference
from app.threads import main_module_hidden, thread_count
from app.world import activity, identity, jobs, matching, outcomes, params, population, text, truth, violations

ProgressCallback = Callable[[str, float], None]
"""Called with (step description in Korean, fraction done 0–1)."""

_STREAMS = (
    "employers", "postings", "violations", "seekers", "hiring", "services", "courses", "employment",
    "applications", "items", "responses", "sessions", "text_postings", "text_seekers", "notes", "market",
    "match_preferences", "jobs",
)


@dataclass(frozen=True)
class WorldSummary:
    """What a generation run produced."""

    size: str
    seed: int
    rows: dict[str, int]
    fingerprint: str
    seconds: float
    calibration: dict[str, float]


def _rngs(seed: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(_STREAMS, children, strict=True)}


def _as_dates(values: Iterable) -> list[dt.date]:
    return list(pd.to_datetime(np.asarray(values)).date)


def _write(conn: Connection, table: str, frame: pd.DataFrame, chunk: int, **kwargs: tuple[str, ...]) -> int:
    """Insert ``frame`` into ``table`` in chunks, one transaction per call."""
    return insert_frame(conn, table, frame, chunk=chunk, **kwargs)


LARGE_TEXT_CHUNK = 10_000
"""Seekers whose text one random stream composes, in a world of :data:`PER_CHUNK_TEXT_SIZES`."""
PER_CHUNK_TEXT_SIZES = frozenset({"large"})
"""World sizes whose résumés, cover letters and counsellor notes draw from one random stream per
chunk (composed in worker processes); the others keep one stream per table, as they always had."""


def text_workers(size: str) -> int:
    """Worker processes composing a world's text: none for small and demo (one stream per table:
    their content is fixed), :func:`app.threads.thread_count` for large. They compose while this
    process writes: it mostly waits on them and on SQLite, so it is not counted."""
    return thread_count() if size in PER_CHUNK_TEXT_SIZES else 0


def occupation_texts(ref: Reference) -> dict[str, text.OccupationText]:
    """Occupation knowledge used to compose postings and résumés, keyed by KECO 소분류."""

    def split(value: object) -> tuple[str, ...]:
        return tuple(s for s in str(value if isinstance(value, str) else "").split(";") if s)

    return {
        row.keco_code: text.OccupationText(
            keco_code=row.keco_code,
            name=row.name,
            skills=split(row.skills),
            duty_phrases=split(row.duty_phrases),
            certificates=split(row.certificates),
        )
        for row in ref.occupations.itertuples(index=False)
    }


def generate_world(
    engine: Engine,
    *,
    size: str = "small",
    seed: int = 7,
    reference: Reference | None = None,
    progress: ProgressCallback | None = None,
) -> WorldSummary:
    """Generate a world of ``size`` with ``seed`` into ``engine`` (existing product tables are dropped).

    Args:
        engine: Target database.
        size: ``small`` (tests, seconds), ``demo`` (≈20k seekers, ≈8k postings) or ``large``
            (1M seekers, 200k postings; written in chunks).
        seed: Random seed; equal seeds and sizes give equal databases.
        reference: Reference tables (default: the committed ones).
        progress: Optional callback for a progress bar.

    Returns:
        A :class:`WorldSummary` with row counts, fingerprint and calibration figures.

    Raises:
        ValueError: For an unknown size.
        RrnKeyError: The configured 주민등록번호 key is malformed (a missing one is created).
    """
    if size not in params.SIZES:
        raise ValueError(f"알 수 없는 세계 크기입니다: {size} (small, demo, large 중 하나)")
    cipher = ensure_rrn_cipher()  # before any work: the seekers' numbers are stored encrypted
    started = time.perf_counter()
    cfg = params.SIZES[size]
    ref = reference or load_reference()
    rng = _rngs(seed)
    report = progress or (lambda _step, _fraction: None)

    report("사업체·공고 생성", 0.02)
    market = population.occupation_market_table(ref, rng["market"])
    employers = population.make_employers(ref, cfg.employers, rng["employers"])
    postings = population.make_postings(ref, employers, market, cfg.postings, rng["postings"])
    postings = violations.plant_numeric_and_duplicates(ref, postings, employers, rng["violations"])

    report("구직자 생성", 0.10)
    seekers = population.make_seekers(ref, market, cfg.seekers, rng["seekers"])
    demand = outcomes.compute_market_demand(postings, seekers)
    posting_outcomes, truth_postings, hiring = outcomes.simulate_postings(postings, demand, rng["hiring"])

    report("서비스·훈련 배정", 0.20)
    services = outcomes.assign_services(seekers, rng["services"])
    courses = activity.make_courses(ref, cfg.courses, rng["courses"])
    enrolments = activity.enrol_in_courses(ref, seekers, services["received_training"].to_numpy(), courses,
                                           rng["courses"])
    seekers = _attach_training(seekers, services, enrolments)
    seeker_outcomes, truth_seekers, employment = outcomes.simulate_employment(seekers, demand, rng["employment"])

    report("지원·채용 기록 생성", 0.30)
    preferences = truth.draw_match_preferences(
        seekers["age"].to_numpy(), matching.type_shares_of(seekers["desired_keco"], params.EMPLOYMENT_TYPE_SHARES),
        seekers["region_flexible"].to_numpy(), rng["match_preferences"],
    )
    applications, hires, truth_pairs = activity.make_applications_and_hires(
        postings, posting_outcomes, seekers, seeker_outcomes, preferences, matching.OccupationIndex.from_reference(ref),
        rng["applications"],
    )

    certificate_values = jobs.make_certificate_values(ref, rng["jobs"])
    seeker_jobs = jobs.make_jobs(ref, seekers, seeker_outcomes, hires, postings, certificate_values, rng["jobs"])

    report("흥미검사·서비스 로그 생성", 0.38)
    items, truth_items = activity.make_item_bank(ref, rng["items"])
    respondents = truth_seekers.sample(n=min(cfg.test_respondents, len(truth_seekers)), random_state=rng["responses"])
    respondents = respondents.sort_values("seeker_id")
    environment_preferences = activity.draw_environment_preferences(ref, items, pd.DataFrame({
        "seeker_id": respondents["seeker_id"].to_numpy(),
        "desired_keco": seekers.set_index("id").loc[respondents["seeker_id"], "desired_keco"].to_numpy(),
    }), rng["items"])
    responses = activity.simulate_test_responses(items, truth_items, respondents, environment_preferences, rng["responses"])
    sessions = activity.simulate_service_sessions(seekers, int(cfg.seekers * cfg.session_share), rng["sessions"])

    occ_text = occupation_texts(ref)
    report("공고 문안 작성", 0.45)
    employers = _employer_identities(ref, employers, rng["text_postings"])
    posting_rows, labels = _posting_texts(ref, postings, employers, occ_text, rng["text_postings"])

    reset_schema(engine)
    chunk = cfg.chunk
    workers = text_workers(size)

    def texts(stream: str) -> _ChunkTexts:
        return _ChunkTexts(seed, stream, rng[stream], cipher, per_chunk=size in PER_CHUNK_TEXT_SIZES, workers=workers)

    rows: dict[str, int] = {}
    with bulk_connection(engine) as conn:
        report("데이터베이스 기록: 사업체·공고", 0.55)
        rows["employers"] = _write(conn, "employers", employers, chunk, date_cols=("created_on",))
        rows["postings"] = _write(conn, "postings", posting_rows, chunk, date_cols=("open_date", "close_date"))
        del posting_rows, employers  # written: a large world's posting text alone is half a gigabyte
        rows["posting_labels"] = _write(conn, "posting_labels", labels, chunk)
        rows["posting_outcomes"] = _write(conn, "posting_outcomes", posting_outcomes.assign(days_to_fill=posting_outcomes["days_to_fill"].where(
                posting_outcomes["days_to_fill"] >= 0)), chunk)
        rows["truth_postings"] = _write(conn, "truth_postings", truth_postings, chunk)

        report("데이터베이스 기록: 구직자", 0.62)
        rows["seekers"] = _write_seekers(conn, ref, seekers, occ_text, chunk, texts("text_seekers"), report)
        rows["seeker_certificates"] = _write(conn, "seeker_certificates", _certificate_rows(seekers), chunk)
        rows["seeker_services"] = _write(conn, "seeker_services", _service_rows(seekers, services, enrolments), chunk, date_cols=("started_on",)
        )
        rows["seeker_outcomes"] = _write(conn, "seeker_outcomes", seeker_outcomes.assign(days_to_employment=seeker_outcomes["days_to_employment"].where(
                seeker_outcomes["days_to_employment"] >= 0)), chunk)
        rows["truth_seekers"] = _write(conn, "truth_seekers", truth_seekers, chunk)
        rows["seeker_jobs"] = _write(conn, "seeker_jobs", seeker_jobs, chunk, date_cols=("started_on", "ended_on"))
        rows["truth_certificate_values"] = _write(conn, "truth_certificate_values", certificate_values, chunk)
        rows["truth_match_seekers"] = _write(conn, "truth_match_seekers", pd.DataFrame({
            "seeker_id": seekers["id"].to_numpy(),
            "preferred_employment_type": np.asarray(params.EMPLOYMENT_TYPES, dtype=object)[preferences["preferred_type"].to_numpy()],
            "preferred_weekly_hours": preferences["preferred_weekly_hours"].to_numpy(),
            "region_tolerance": preferences["region_tolerance"].to_numpy(),
        }), chunk)

        report("데이터베이스 기록: 지원·훈련·검사·로그", 0.85)
        rows["applications"] = _write(conn, "applications", applications, chunk, date_cols=("applied_on",))
        rows["truth_pairs"] = _write(conn, "truth_pairs", truth_pairs, chunk)
        rows["hires"] = _write(conn, "hires", hires.assign(seeker_id=hires["seeker_id"].where(hires["seeker_id"] > 0)),
                               chunk, date_cols=("hired_on",))
        rows["courses"] = _write(conn, "courses", courses.drop(columns=["quality"]).assign(
            description=_course_descriptions(courses)), chunk, date_cols=("start_date", "end_date"))
        rows["truth_courses"] = _write(conn, "truth_courses", courses[["id", "quality"]].rename(
            columns={"id": "course_id"}), chunk)
        rows["enrolments"] = _write(conn, "enrolments", enrolments[["id", "seeker_id", "course_id", "enrolled_on",
                                                                      "completed"]], chunk, date_cols=("enrolled_on",))
        rows["test_items"] = _write(conn, "test_items", items, chunk)
        rows["truth_test_items"] = _write(conn, "truth_test_items", truth_items, chunk)
        rows["truth_environment_preferences"] = _write(conn, "truth_environment_preferences", environment_preferences, chunk)
        rows["test_responses"] = _write(conn, "test_responses", responses, chunk)
        rows["service_events"] = _write(conn, "service_events", sessions, chunk, datetime_cols=("started_at",))
        rows["counsellor_notes"] = sum(
            _write(conn, "counsellor_notes", notes, chunk, date_cols=("written_on",))
            for notes in _counsellor_notes(seekers, services, occ_text, texts("notes"), chunk)
        )

    report("지문(fingerprint) 계산", 0.95)
    calibration = {
        "unfilled_rate": float(1 - posting_outcomes["filled"].mean()),
        "fill_30d_rate": float(posting_outcomes["filled_30d"].mean()),
        "applications_per_posting": float(posting_outcomes["n_applications"].mean()),
        "benefit_reemployment_rate": float(
            seeker_outcomes["employed_180d"].to_numpy()[seekers["benefit_status"].to_numpy(bool)].mean()
        ),
        "reemployment_rate": float(seeker_outcomes["employed_180d"].mean()),
        "violation_share": float((labels["posting_id"].nunique() if len(labels) else 0) / max(len(postings), 1)),
        "hiring_intercept": hiring.intercept,
        "employment_intercept": employment.intercept,
    }
    fingerprint = compute_fingerprint(engine, workers=workers)  # the same digest with any number of workers
    meta = {"size": size, "seed": str(seed), "fingerprint": fingerprint, WORLD_VERSION_KEY: params.WORLD_VERSION,
            "observation_end": params.OBSERVATION_END.isoformat(),
            "reference_date": params.REFERENCE_DATE.isoformat(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    meta.update({f"calibration.{k}": f"{v:.6f}" for k, v in calibration.items()})
    insert_rows(engine, "world_meta", [{"key": k, "value": v} for k, v in meta.items()])
    report("완료", 1.0)
    return WorldSummary(size=size, seed=seed, rows=rows, fingerprint=fingerprint,
                        seconds=time.perf_counter() - started, calibration=calibration)


# --------------------------------------------------------------------------- helpers


def _attach_training(seekers: pd.DataFrame, services: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    """Services received plus ``training_completed`` and ``course_effect_extra``: what the completed
    course adds to the seeker's own training effect (:func:`truth.course_effect_logit`)."""
    seekers = pd.concat([seekers, services], axis=1)
    done = enrolments[enrolments["completed"]].drop_duplicates("seeker_id").set_index("seeker_id")
    person = pd.Series(truth.person_training_effect_logit(seekers), index=seekers["id"].to_numpy())
    own = person.loc[done.index].to_numpy()
    extra = truth.course_effect_logit(own, done["relevance"].to_numpy(), done["coverage"].to_numpy(),
                                      done["quality"].to_numpy()) - own
    seekers["training_completed"] = seekers["id"].isin(done.index)
    seekers["course_effect_extra"] = seekers["id"].map(pd.Series(extra, index=done.index)).fillna(0.0).to_numpy()
    return seekers


def _employer_identities(ref: Reference, employers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    employers = employers.copy()
    names, numbers, addresses, phones = [], [], [], []
    seen: set[str] = set()
    for industry, region in zip(employers["industry_code"], employers["region_code"], strict=True):
        names.append(identity.make_company_name(rng, industry))
        number = identity.make_business_no(rng)
        while number in seen:
            number = identity.make_business_no(rng)
        seen.add(number)
        numbers.append(number)
        addresses.append(identity.make_address(rng, region))
        phones.append(identity.make_landline(rng, region))
    employers["name"] = names
    employers["business_no"] = numbers
    employers["address"] = addresses
    employers["phone"] = phones
    return employers[["id", "name", "business_no", "industry_code", "size_code", "workers", "region_code", "address",
                      "phone", "created_on"]]


def _posting_texts(
    ref: Reference,
    postings: pd.DataFrame,
    employers: pd.DataFrame,
    occ_text: dict[str, text.OccupationText],
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compose the Korean text of every posting, inject text violations, copy duplicates."""
    # plain dicts, not DataFrame.loc per posting: a .loc look-up costs tens of µs, and a large world
    # has hundreds of thousands of postings
    emp = {int(i): {"name": n, "industry_code": c, "phone": ph} for i, n, c, ph in zip(
        employers["id"], employers["name"], employers["industry_code"], employers["phone"], strict=True)}
    hourly = dict(zip(postings["id"].astype(int), postings["hourly_equivalent"], strict=True))
    industry_names = ref.industries.set_index("code")["name"].to_dict()
    region_names = ref.regions.set_index("code")["name"].to_dict()
    welfare_names = ref.welfare_items.set_index("code")["name"].to_dict()
    composed: dict[int, text.PostingText] = {}
    contacts: dict[int, str] = {}
    label_rows: list[dict] = []
    for row in postings.itertuples(index=False):
        employer = emp[int(row.employer_id)]
        if row.rule_id == violations.DUPLICATE_RULE:
            source = composed[int(row.duplicate_of)]
            title = source.title + (" (재공고)" if rng.random() < 0.5 else "")
            composed[row.id] = dataclasses.replace(source, title=title)
            contacts[row.id] = contacts[int(row.duplicate_of)]
            label_rows.append({"posting_id": row.id, "rule_id": row.rule_id,
                               "evidence": f"공고 {int(row.duplicate_of)}번과 중복", "duplicate_of": int(row.duplicate_of)})
            continue
        facts = text.PostingFacts(
            company_name=employer["name"],
            industry_name=industry_names.get(employer["industry_code"], ""),
            region_name=region_names.get(row.region_code, ""),
            occupation=occ_text[row.keco_code],
            employment_type=row.employment_type,
            wage_type=row.wage_type,
            wage_amount=int(row.wage_amount),
            weekly_hours=float(row.weekly_hours),
            career=row.career,
            min_career_years=int(row.min_career_years),
            education=row.education,
            welfare=tuple(welfare_names[c] for c in str(row.welfare_codes).split(";") if c in welfare_names),
            headcount=int(row.headcount),
            contact_phone=employer["phone"],
            completeness=float(row.completeness),
        )
        posting_text = text.compose_posting(rng, facts)
        contacts[row.id] = employer["phone"]
        if row.rule_id in violations.NUMERIC_RULES:
            evidence = (f"시간당 환산임금 {hourly[int(row.id)]:,.0f}원"
                        if row.rule_id == "BELOW_MIN_WAGE" else f"주 {row.weekly_hours:.0f}시간")
            label_rows.append({"posting_id": row.id, "rule_id": row.rule_id, "evidence": evidence, "duplicate_of": None})
        elif row.rule_id:
            posting_text, phrase = text.inject_violation(rng, posting_text, row.rule_id)
            label_rows.append({"posting_id": row.id, "rule_id": row.rule_id, "evidence": phrase, "duplicate_of": None})
            if row.rule_id == "HIDDEN_IDENTITY":
                contacts[row.id] = phrase if ("카톡" in phrase or "텔레그램" in phrase) else "카톡 문의"
        elif rng.random() < 0.10:
            lookalike_rule = ("SEX_DISCRIM", "AGE_DISCRIM", "RRN_REQUEST")[int(rng.integers(0, 3))]
            posting_text, _ = text.insert_lookalike(rng, posting_text, lookalike_rule)
        composed[row.id] = posting_text
    frame = postings[["id", "employer_id", "keco_code", "region_code", "wage_type", "wage_amount", "wage_monthly",
                      "weekly_hours", "employment_type", "career", "min_career_years", "education", "welfare_codes",
                      "headcount", "open_date", "close_date", "year"]].copy()
    for field in ("title", "company_intro", "duties", "requirements", "preferred", "conditions", "benefits", "process",
                  "documents"):
        frame[field] = [getattr(composed[i], field) for i in frame["id"]]
    frame["body"] = [composed[i].body() for i in frame["id"]]
    frame["contact"] = [contacts[i] for i in frame["id"]]
    frame["source"] = "world"
    labels = pd.DataFrame(label_rows, columns=["posting_id", "rule_id", "evidence", "duplicate_of"])
    labels.insert(0, "id", np.arange(1, len(labels) + 1))
    return frame, labels


@dataclass(frozen=True)
class _TextLookups:
    """What composing a seeker's documents looks up (sent once to each worker process)."""

    region_names: dict[str, str]
    cert_names: dict[str, str]
    occ_text: dict[str, text.OccupationText]


_SEEKER_COLUMNS = ["id", "age", "sex", "disability", "education", "major", "region_code", "career_years", "last_keco",
                   "desired_keco", "desired_wage", "desired_region_code", "region_flexible", "skills", "benefit_status",
                   "registered_on", "birth_date", "certificate_ids"] + [f"riasec_{c}" for c in "riasec"]
_NOTE_COLUMNS = ["id", "sex", "birth_date", "region_code", "education", "major", "career_years", "desired_keco",
                 "desired_wage", "skills", "benefit_status", "registered_on"]


def _write_seekers(
    conn: Connection,
    ref: Reference,
    seekers: pd.DataFrame,
    occ_text: dict[str, text.OccupationText],
    chunk: int,
    texts: _ChunkTexts,
    report: ProgressCallback,
) -> int:
    """Compose identities, résumés and cover letters chunk by chunk and write them (bounded memory).

    The 주민등록번호 goes into the résumé text as composed (the masking work needs it there) but into
    its column only encrypted, with its keyed hash (:mod:`app.db.rrn`); the nonces come from the
    operating system, not from the random stream, so the world stays the same for a seed.
    """
    lookups = _TextLookups(ref.regions.set_index("code")["name"].to_dict(),
                           ref.certificates.set_index("certificate_id")["name"].to_dict(), occ_text)
    step = texts.chunk(chunk)
    parts = (seekers.iloc[start : start + step][_SEEKER_COLUMNS] for start in range(0, len(seekers), step))
    written = 0
    for part in texts.compose(_seeker_documents, parts, lookups):
        written += _write(conn, "seekers", part, chunk, date_cols=("registered_on",))
        report("데이터베이스 기록: 구직자", 0.62 + 0.2 * min(1.0, written / max(len(seekers), 1)))
    return written


def _seeker_documents(part: pd.DataFrame, rng: np.random.Generator, lookups: _TextLookups,
                      cipher: RrnCipher) -> pd.DataFrame:
    """The seekers of ``part`` as the ``seekers`` table's rows: identity, résumé, cover letter."""
    region_names, cert_names, occ_text = lookups.region_names, lookups.cert_names, lookups.occ_text
    births = _as_dates(part["birth_date"].to_numpy())
    names, tokens, hashes, phones, emails, addresses, resumes, letters = [], [], [], [], [], [], [], []
    for row, birth in zip(part.itertuples(index=False), births, strict=True):
        name = identity.make_person_name(rng, row.sex)
        rrn = identity.make_rrn(rng, birth, row.sex)
        phone = identity.make_mobile(rng)
        email = identity.make_email(rng, identity.romanise_name(name))
        address = identity.make_address(rng, row.region_code)
        facts = text.SeekerFacts(
            name=name, sex=row.sex, birth_date=birth, rrn=rrn, phone=phone, email=email, address=address,
            region_name=region_names.get(row.region_code, ""), education=row.education, major=row.major,
            career_years=float(row.career_years),
            last_occupation=occ_text.get(row.last_keco) if row.last_keco else None,
            desired_occupation=occ_text[row.desired_keco], desired_wage_monthly=int(row.desired_wage),
            certificates=tuple(cert_names[c] for c in _split(row.certificate_ids) if c in cert_names),
            skills=tuple(_split(row.skills)), benefit_status=bool(row.benefit_status),
            desired_region_name=region_names.get(row.desired_region_code, ""), age=int(row.age),
        )
        names.append(name)
        token, keyed_hash = cipher.protect(rrn)
        tokens.append(token)
        hashes.append(keyed_hash)
        phones.append(phone)
        emails.append(email)
        addresses.append(address)
        # written on the registration day: the careers end before it and "만 N세" is the record's age
        registered = pd.Timestamp(row.registered_on).date()
        resumes.append(text.compose_resume(rng, facts, as_of=registered))
        letters.append(text.compose_cover_letter(rng, facts))
    part = part.assign(name=names, rrn_encrypted=tokens, rrn_hmac=hashes, phone=phones, email=emails, address=addresses,
                       resume_text=resumes, cover_letter_text=letters, birth_date=births,
                       source="world").drop(columns=["certificate_ids"])
    part["last_keco"] = part["last_keco"].where(part["last_keco"].notna(), None)
    return part


class _ChunkTexts:
    """Composes the text of a table chunk by chunk, in this process or in worker processes.

    Small and demo worlds draw every chunk from one random stream, in order, here: their text is
    what it always was (their fingerprints are tested). A large world gives each chunk its own
    stream (``SeedSequence(seed, spawn_key=(stream, chunk))``), so chunks do not wait for each
    other: ``workers`` spawned processes compose them while this one writes the finished ones,
    in order, at most ``2 × workers`` chunks ahead (bounded memory). The chunks' text depends on
    the seed and the chunk size, never on the number of workers.
    """

    def __init__(self, seed: int, stream: str, rng: np.random.Generator, cipher: RrnCipher, *,
                 per_chunk: bool, workers: int) -> None:
        self._seed = seed
        self._stream = _STREAMS.index(stream)
        self._rng = rng
        self._cipher = cipher
        self._per_chunk = per_chunk
        self._workers = workers if per_chunk else 0

    def chunk(self, rows: int) -> int:
        """Rows composed at a time: ``rows`` for one stream, at most :data:`LARGE_TEXT_CHUNK` per
        chunk stream (what is in flight between the processes stays small)."""
        return min(rows, LARGE_TEXT_CHUNK) if self._per_chunk else rows

    def compose(self, fn: Callable[..., pd.DataFrame], parts: Iterable[pd.DataFrame],
                lookups: _TextLookups) -> Iterator[pd.DataFrame]:
        """``fn(part, rng, lookups, cipher)`` of every part, in order."""
        if not self._per_chunk:
            for part in parts:
                yield fn(part, self._rng, lookups, self._cipher)
            return
        numbered = ((part, np.random.SeedSequence(self._seed, spawn_key=(self._stream, number)))
                    for number, part in enumerate(parts))
        if self._workers < 1:
            for part, seq in numbered:
                yield fn(part, np.random.default_rng(seq), lookups, self._cipher)
            return
        context = mp.get_context("spawn")
        with main_module_hidden(), ProcessPoolExecutor(self._workers, mp_context=context, initializer=_init_text_worker,
                                                        initargs=(lookups,)) as pool:
            pending: deque[Future] = deque()
            for part, seq in numbered:
                pending.append(pool.submit(_compose_in_worker, fn, part, seq))
                if len(pending) >= 2 * self._workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


_worker_lookups: _TextLookups | None = None
_worker_cipher: RrnCipher | None = None


def _init_text_worker(lookups: _TextLookups) -> None:
    global _worker_lookups, _worker_cipher  # noqa: PLW0603 (one worker process composes with these)
    _worker_lookups = lookups
    _worker_cipher = ensure_rrn_cipher()


def _compose_in_worker(fn: Callable[..., pd.DataFrame], part: pd.DataFrame,
                       seed: np.random.SeedSequence) -> pd.DataFrame:
    assert _worker_lookups is not None and _worker_cipher is not None
    return fn(part, np.random.default_rng(seed), _worker_lookups, _worker_cipher)


def _split(value: object) -> list[str]:
    return [s for s in str(value).split(";") if s] if isinstance(value, str) else []


def _certificate_rows(seekers: pd.DataFrame) -> pd.DataFrame:
    pairs = [(sid, cid) for sid, ids in zip(seekers["id"], seekers["certificate_ids"], strict=True) for cid in _split(ids)]
    frame = pd.DataFrame(pairs, columns=["seeker_id", "certificate_id"])
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _service_rows(seekers: pd.DataFrame, services: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    registered = seekers.set_index("id")["registered_on"]
    parts = [enrolments.assign(service="training").rename(columns={"enrolled_on": "started_on"})[
        ["seeker_id", "service", "started_on"]]]
    offsets = {"matching": 14, "nes": 7, "counselling": 3}
    for service, offset in offsets.items():
        ids = seekers["id"].to_numpy()[services[f"received_{service}"].to_numpy()]
        parts.append(pd.DataFrame({"seeker_id": ids, "service": service,
                                   "started_on": registered.loc[ids].to_numpy() + np.timedelta64(offset, "D")}))
    frame = pd.concat(parts, ignore_index=True).sort_values(["seeker_id", "service"], kind="stable")
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


NOTE_TOPICS: tuple[str, ...] = ("진로 상담", "이력서 첨삭", "훈련 안내", "구직급여 수급 안내", "면접 준비", "심리 지원",
                                "취업 알선", "국민취업지원제도 안내")


def _counsellor_notes(
    seekers: pd.DataFrame, services: pd.DataFrame, occ_text: dict[str, text.OccupationText], texts: _ChunkTexts,
    chunk: int,
) -> Iterator[pd.DataFrame]:
    """1–3 상담일지 entries for seekers in counselling or 국민취업지원제도, ``chunk`` seekers' notes at a
    time (a large world's notes are gigabytes of text; with one stream the draws are the same in any
    chunking)."""
    counselled = services["received_counselling"].to_numpy() | services["received_nes"].to_numpy()
    chosen = np.flatnonzero(counselled)
    step = texts.chunk(chunk)
    parts = (seekers.iloc[chosen[start:start + step]][_NOTE_COLUMNS] for start in range(0, max(len(chosen), 1), step))
    written = 0
    for frame in texts.compose(_note_rows, parts, _TextLookups({}, {}, occ_text)):
        frame.insert(0, "id", np.arange(written + 1, written + len(frame) + 1))
        written += len(frame)
        yield frame


def _note_rows(part: pd.DataFrame, rng: np.random.Generator, lookups: _TextLookups,
               _cipher: RrnCipher) -> pd.DataFrame:
    """The counsellor notes of the seekers in ``part`` (without ids: they count across chunks)."""
    topics_pool = np.array(NOTE_TOPICS)
    births = _as_dates(part["birth_date"].to_numpy())
    rows = []
    for s, birth in zip(part.itertuples(index=False), births, strict=True):
        facts = text.SeekerFacts(
            name="", sex=s.sex, birth_date=birth, rrn="", phone=identity.make_mobile(rng), email="",
            address=identity.make_address(rng, s.region_code), region_name="", education=s.education,
            major=s.major, career_years=float(s.career_years), last_occupation=None,
            desired_occupation=lookups.occ_text[s.desired_keco], desired_wage_monthly=int(s.desired_wage),
            certificates=(), skills=tuple(_split(s.skills)), benefit_status=bool(s.benefit_status),
        )
        counsellor = params.COUNSELLORS[int(rng.integers(0, len(params.COUNSELLORS)))]
        for session_no in range(1, int(rng.integers(1, 4)) + 1):
            topics = tuple(rng.choice(topics_pool, size=2, replace=False))
            rows.append({"seeker_id": int(s.id), "counsellor": counsellor, "session_no": session_no,
                         "written_on": s.registered_on + np.timedelta64(7 * session_no, "D"),
                         "text": text.compose_counsellor_note(rng, facts, session_no=session_no, topics=topics)})
    return pd.DataFrame(rows, columns=["seeker_id", "counsellor", "session_no", "written_on", "text"])


def _course_descriptions(courses: pd.DataFrame) -> list[str]:
    labels = activity.COURSE_TYPE_LABELS
    return [
        f"{labels.get(t, t)} 과정으로 {h}시간({m}) 동안 {s.replace(';', ', ')} 등을 실습 중심으로 배웁니다."
        for t, h, m, s in zip(courses["course_type"], courses["hours"], courses["mode"], courses["skills"], strict=True)
    ]
