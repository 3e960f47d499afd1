"""Mapped tables of the product database (SQLAlchemy 2.x typed ORM).

Three groups of tables:

* **observed world** — what a public job board would hold: employers, postings, seekers,
  applications, hires, training courses, enrolments, services received, interest-test items and
  responses, service logs, counsellor notes. Models learn from these.
* **truth** (``truth_*``) — the true probabilities and effects that generated the observed
  outcomes. Only evaluation code reads them (``app/ml/evaluate.py``, benches, tests); no model
  feature may come from them.
* **operations** — audit log of every model output shown to a user, world metadata, and what
  users record (scenarios, reviews, consulting, contact requests and seekers' opt-outs, interest-test
  sessions and answers).

Codes (KECO, region, industry) are strings so leading zeros survive. Money is integer KRW.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.db.rrn import HMAC_CHARS, TOKEN_MAX_CHARS


class Base(DeclarativeBase):
    """Declarative base of every product table."""


# --------------------------------------------------------------------------- observed world


class Employer(Base):
    """A hiring firm (구인기업)."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # XXX-XX-XXXXX, check digit valid; one firm per number (imports match firms on it)
    business_no: Mapped[str] = mapped_column(String(12), index=True, unique=True)
    industry_code: Mapped[str] = mapped_column(String(2), index=True)  # KSIC 대분류 letter
    size_code: Mapped[str] = mapped_column(String(4))  # firm_sizes.code
    workers: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(2), index=True)  # 시도 code (HRD-Net)
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))
    created_on: Mapped[dt.date] = mapped_column(Date)


class Posting(Base):
    """A job posting (구인공고) as published."""

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    keco_code: Mapped[str] = mapped_column(String(4), index=True)  # KECO 소분류 (3 digits)
    region_code: Mapped[str] = mapped_column(String(2), index=True)
    title: Mapped[str] = mapped_column(String(200))
    company_intro: Mapped[str] = mapped_column(Text, default="")
    duties: Mapped[str] = mapped_column(Text)
    requirements: Mapped[str] = mapped_column(Text)
    preferred: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    benefits: Mapped[str] = mapped_column(Text, default="")
    process: Mapped[str] = mapped_column(Text, default="")
    documents: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)  # the full text as shown to seekers
    wage_type: Mapped[str] = mapped_column(String(8))  # hourly | daily | monthly | annual
    wage_amount: Mapped[int] = mapped_column(BigInteger)  # KRW per wage_type unit
    wage_monthly: Mapped[int] = mapped_column(BigInteger)  # monthly equivalent (209 h convention)
    weekly_hours: Mapped[float] = mapped_column(Float)
    employment_type: Mapped[str] = mapped_column(String(8))  # 정규직 | 계약직 | 시간제 | 일용직
    career: Mapped[str] = mapped_column(String(8))  # 신입 | 경력무관 | 경력
    min_career_years: Mapped[int] = mapped_column(Integer, default=0)
    education: Mapped[str] = mapped_column(String(8))  # 무관 | 고졸 | 전문대졸 | 대졸 | 석사
    welfare_codes: Mapped[str] = mapped_column(String(200), default="")  # ';'-separated W.. codes
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    contact: Mapped[str] = mapped_column(String(100), default="")
    open_date: Mapped[dt.date] = mapped_column(Date, index=True)
    close_date: Mapped[dt.date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String(16), default="world")  # world | import | assistant
    # UTC time its text or conditions last changed (a new version became current); NULL while as
    # first stored. Deferred: a database built before the column existed still loads postings
    # until ``python -m app build`` adds it (app.db.migrations), and the world's fingerprint skips it.
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, deferred=True)


class PostingLabel(Base):
    """Known legal problem of a posting (the world plants them; reviewers confirm them)."""

    __tablename__ = "posting_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(24), index=True)  # violation_rules.rule_id
    evidence: Mapped[str] = mapped_column(String(300), default="")  # offending phrase / figure
    duplicate_of: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PostingOutcome(Base):
    """Observed outcome of a posting at the end of the simulated period."""

    __tablename__ = "posting_outcomes"

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), primary_key=True)
    n_applications: Mapped[int] = mapped_column(Integer)
    filled: Mapped[bool] = mapped_column(Boolean)  # filled before the close date
    filled_30d: Mapped[bool] = mapped_column(Boolean)  # filled within 30 days of opening
    days_to_fill: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Seeker(Base):
    """A registered job seeker (구직자). Holds personal data: mask before any display or export.

    The 주민등록번호 is never stored as such (개인정보 보호법 제24조의2): ``rrn_encrypted`` holds
    its AES-GCM token and ``rrn_hmac`` its keyed hash (:mod:`app.db.rrn`); both are NULL when the
    number is not known.
    """

    __tablename__ = "seekers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    rrn_encrypted: Mapped[str | None] = mapped_column(String(TOKEN_MAX_CHARS), nullable=True)
    rrn_hmac: Mapped[str | None] = mapped_column(String(HMAC_CHARS), nullable=True, index=True)
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    age: Mapped[int] = mapped_column(Integer)  # at registration
    sex: Mapped[str] = mapped_column(String(1))  # M | F
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    education: Mapped[str] = mapped_column(String(8))  # 고졸 | 전문대졸 | 대졸 | 석사 (| 중졸이하)
    major: Mapped[str] = mapped_column(String(40), default="")
    region_code: Mapped[str] = mapped_column(String(2), index=True)
    career_years: Mapped[float] = mapped_column(Float)
    last_keco: Mapped[str | None] = mapped_column(String(4), nullable=True)
    desired_keco: Mapped[str] = mapped_column(String(4), index=True)
    desired_wage: Mapped[int] = mapped_column(BigInteger)  # monthly KRW
    desired_region_code: Mapped[str] = mapped_column(String(2))
    region_flexible: Mapped[bool] = mapped_column(Boolean, default=False)
    skills: Mapped[str] = mapped_column(Text, default="")  # ';'-separated keywords
    riasec_r: Mapped[float] = mapped_column(Float)
    riasec_i: Mapped[float] = mapped_column(Float)
    riasec_a: Mapped[float] = mapped_column(Float)
    riasec_s: Mapped[float] = mapped_column(Float)
    riasec_e: Mapped[float] = mapped_column(Float)
    riasec_c: Mapped[float] = mapped_column(Float)
    benefit_status: Mapped[bool] = mapped_column(Boolean)  # 구직급여 수급 중
    registered_on: Mapped[dt.date] = mapped_column(Date, index=True)
    resume_text: Mapped[str] = mapped_column(Text)
    cover_letter_text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="world")


class SeekerCertificate(Base):
    """Certificate held by a seeker."""

    __tablename__ = "seeker_certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    certificate_id: Mapped[str] = mapped_column(String(8))  # certificates.certificate_id


class SeekerService(Base):
    """An employment service a seeker received (observational: assignment is not random)."""

    __tablename__ = "seeker_services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    service: Mapped[str] = mapped_column(String(16))  # training | matching | nes | counselling
    started_on: Mapped[dt.date] = mapped_column(Date)


class SeekerOutcome(Base):
    """Observed outcome of a seeker: insured employment within 180 days of registration."""

    __tablename__ = "seeker_outcomes"

    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True)
    employed_180d: Mapped[bool] = mapped_column(Boolean)
    days_to_employment: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SeekerJob(Base):
    """The insured job a seeker found within 180 days (고용보험 피보험자격 취득 이력): its industry, firm
    size, monthly wage and when it started and ended. ``ended_on`` is NULL while the job lasts at the
    observation end (``world_meta.observation_end``: tenure is censored there). ``posting_id`` names the
    board posting when the job came through one (then industry, size and wage are that posting's)."""

    __tablename__ = "seeker_jobs"

    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"), nullable=True)
    industry_code: Mapped[str] = mapped_column(String(2), index=True)  # KSIC 대분류 letter
    size_code: Mapped[str] = mapped_column(String(4))  # firm_sizes.code
    wage_monthly: Mapped[int] = mapped_column(BigInteger)  # KRW
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Application(Base):
    """A seeker's application to a posting."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))  # 지원 | 서류탈락 | 면접 | 불합격 | 채용


class Hire(Base):
    """A filled vacancy. ``seeker_id`` is NULL when the hire came from outside the registered pool."""

    __tablename__ = "hires"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    seeker_id: Mapped[int | None] = mapped_column(ForeignKey("seekers.id"), nullable=True, index=True)
    hired_on: Mapped[dt.date] = mapped_column(Date)


class Course(Base):
    """A vocational training course (HRD-Net-like fields)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_code: Mapped[str] = mapped_column(String(24), index=True, default="")  # 훈련과정 ID (rounds share it)
    round_no: Mapped[int] = mapped_column(Integer, default=1)  # 회차
    title: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(100))
    ncs_code: Mapped[str] = mapped_column(String(8), index=True)  # 8-digit-like NCS code
    keco_code: Mapped[str] = mapped_column(String(4), index=True)  # target occupation
    region_code: Mapped[str] = mapped_column(String(2), index=True)
    course_type: Mapped[str] = mapped_column(String(8))  # C0061 내일배움카드, C0104 KDT …
    mode: Mapped[str] = mapped_column(String(8))  # 집체 | 원격 | 혼합
    hours: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)
    cost: Mapped[int] = mapped_column(BigInteger)  # tuition KRW
    capacity: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    satisfaction: Mapped[float] = mapped_column(Float)  # 0–100
    completion_rate: Mapped[float | None] = mapped_column(Float, nullable=True)  # 0–1, published once ended
    employment_rate_6m: Mapped[float | None] = mapped_column(Float, nullable=True)  # 0–1, 180 days after the end
    skills: Mapped[str] = mapped_column(Text, default="")  # ';'-separated
    description: Mapped[str] = mapped_column(Text, default="")


class Enrolment(Base):
    """A seeker's enrolment in a course."""

    __tablename__ = "enrolments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    enrolled_on: Mapped[dt.date] = mapped_column(Date)
    completed: Mapped[bool] = mapped_column(Boolean)


class TestItem(Base):
    """An item of the interest test's bank (Likert 1–5): content only, from ``interest_items.csv``.

    Its graded-response parameters are not stored here: the world's true ones are in
    ``truth_test_items``; the app's calibrated ones belong to the adaptive engine's artifact.
    """

    __tablename__ = "test_items"
    __test__ = False  # not a pytest class

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(String(8), unique=True)  # R01 … C21, W01 …
    scale: Mapped[str] = mapped_column(String(1), index=True)  # R I A S E C, W (work environment)
    text: Mapped[str] = mapped_column(String(200))
    environment_code: Mapped[str] = mapped_column(String(8), default="")  # KNOW 2018 cq item of a W item

class TestResponse(Base):
    """A respondent's answer to one item (simulated full-form administrations)."""

    __tablename__ = "test_responses"
    __test__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("test_items.id"))
    response: Mapped[int] = mapped_column(Integer)  # 1..5


class ServiceEvent(Base):
    """One step of a 고용24-like online service session (for bottleneck analysis)."""

    __tablename__ = "service_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer, index=True)
    seeker_id: Mapped[int | None] = mapped_column(ForeignKey("seekers.id"), nullable=True)
    service: Mapped[str] = mapped_column(String(40), index=True)
    step_order: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    duration_s: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(8))  # ok | error | dropout
    error_code: Mapped[str] = mapped_column(String(16), default="")
    device: Mapped[str] = mapped_column(String(8))  # pc | mobile


class CounsellorNote(Base):
    """A counselling-session note (상담일지). May contain PII: mask before display."""

    __tablename__ = "counsellor_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    counsellor: Mapped[str] = mapped_column(String(40))
    session_no: Mapped[int] = mapped_column(Integer)
    written_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------------- truth (evaluation only)


class TruthPosting(Base):
    """True fill probabilities of a posting (from ``app/world/truth.py``). Never a model feature."""

    __tablename__ = "truth_postings"

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), primary_key=True)
    attractiveness: Mapped[float] = mapped_column(Float)  # linear index η of the hazard
    p_fill_30d: Mapped[float] = mapped_column(Float)
    p_fill_by_close: Mapped[float] = mapped_column(Float)
    expected_days: Mapped[float] = mapped_column(Float)
    expected_applications: Mapped[float] = mapped_column(Float)
    market_wage: Mapped[int] = mapped_column(BigInteger)  # occupation × region market wage


class TruthSeeker(Base):
    """True employment probability and individual service effects of a seeker."""

    __tablename__ = "truth_seekers"

    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True)
    logit: Mapped[float] = mapped_column(Float)
    p_employed_180d: Mapped[float] = mapped_column(Float)  # with the services actually received
    p_employed_no_service: Mapped[float] = mapped_column(Float)
    effect_training: Mapped[float] = mapped_column(Float)  # probability uplift if completing training
    effect_matching: Mapped[float] = mapped_column(Float)
    effect_nes: Mapped[float] = mapped_column(Float)  # 국민취업지원제도
    effect_counselling: Mapped[float] = mapped_column(Float)
    theta_r: Mapped[float] = mapped_column(Float)  # true interest traits (IRT θ)
    theta_i: Mapped[float] = mapped_column(Float)
    theta_a: Mapped[float] = mapped_column(Float)
    theta_s: Mapped[float] = mapped_column(Float)
    theta_e: Mapped[float] = mapped_column(Float)
    theta_c: Mapped[float] = mapped_column(Float)
    barriers: Mapped[str] = mapped_column(String(200), default="")  # ';'-joined truth.BARRIER_LABELS keys


class TruthCertificateValue(Base):
    """A certificate's true value in an industry (``app/world/truth.py``): the log-scale term it adds
    to a holder's job there (wage, large-firm odds, retention). Never read by the app; benches grade
    the certificate analysis against it."""

    __tablename__ = "truth_certificate_values"

    certificate_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    industry_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    value: Mapped[float] = mapped_column(Float)


class TruthCourse(Base):
    """A course round's latent quality (its programme's): drives completion, the employment effect
    and the published rates (:mod:`app.world.truth`). Never read by the app."""

    __tablename__ = "truth_courses"

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True)
    quality: Mapped[float] = mapped_column(Float)


class TruthTestItem(Base):
    """True graded-response parameters of an interest-test item (the world's). Never read by the app."""

    __tablename__ = "truth_test_items"
    __test__ = False

    item_id: Mapped[int] = mapped_column(ForeignKey("test_items.id"), primary_key=True)
    discrimination: Mapped[float] = mapped_column(Float)  # GRM a
    threshold_1: Mapped[float] = mapped_column(Float)  # GRM b1 < b2 < b3 < b4
    threshold_2: Mapped[float] = mapped_column(Float)
    threshold_3: Mapped[float] = mapped_column(Float)
    threshold_4: Mapped[float] = mapped_column(Float)


class TruthEnvironmentPreference(Base):
    """A test respondent's true latent preference for one work-environment (W) item: the θ of that
    item's graded response model (RIASEC items use ``truth_seekers.theta_*``)."""

    __tablename__ = "truth_environment_preferences"

    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("test_items.id"), primary_key=True)
    preference: Mapped[float] = mapped_column(Float)


class TruthMatchSeeker(Base):
    """A seeker's hidden matching preferences (``app/world/truth.py``, matching). Never a model feature."""

    __tablename__ = "truth_match_seekers"

    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True)
    preferred_employment_type: Mapped[str] = mapped_column(String(8))  # 정규직 | 계약직 | 시간제 | 일용직
    preferred_weekly_hours: Mapped[float] = mapped_column(Float)
    region_tolerance: Mapped[float] = mapped_column(Float)  # 0 only the desired region … 1 anywhere


class TruthPair(Base):
    """True utilities of a (posting, seeker) pair: every application plus a sample of the other
    candidates of each posting. Never a model feature; the oracle ranking of evaluation."""

    __tablename__ = "truth_pairs"

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True)
    apply_utility: Mapped[float] = mapped_column(Float)
    hire_utility: Mapped[float] = mapped_column(Float)
    applied: Mapped[bool] = mapped_column(Boolean)
    hired: Mapped[bool] = mapped_column(Boolean)


# --------------------------------------------------------------------------- operations


class AuditLog(Base):
    """Every model output shown to a user (AI Basic Act: logged with model version)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    model_name: Mapped[str] = mapped_column(String(40), default="")
    model_version: Mapped[str] = mapped_column(String(40), default="")
    input_hash: Mapped[str] = mapped_column(String(64), default="")
    output: Mapped[dict] = mapped_column(JSON, default=dict)


class LoginAttempt(Base):
    """One login attempt on the login form: the state of throttling and lockout (app.services.login).

    Kept in the database, not in session state or process memory, so that a lockout survives a
    server restart and holds across every server process. No password material and no typed login
    id: ``account_key`` is a SHA-256 of the typed id (an unknown id is throttled like a real one, so
    the lockout does not reveal which accounts exist), ``client_key`` one of the browser session.
    """

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    client_key: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(16))  # success | failure | locked | throttled | lockout | unlock


class HiringScenario(Base):
    """A what-if scenario an employer saved on the hiring simulator (persisted per employer)."""

    __tablename__ = "hiring_scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    conditions: Mapped[dict] = mapped_column(JSON)  # the PostingConditions fields
    probability: Mapped[float] = mapped_column(Float)
    days: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(40))


class RiskOverride(Base):
    """A counsellor's override of a seeker's model risk band (취업성공모델), with the reason.

    Rows are only added (an override of an override is a new row), so the report can say how often
    and in which direction counsellors disagree with the model.
    """

    __tablename__ = "risk_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    username: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    model_band: Mapped[str] = mapped_column(String(8))  # 고위험 | 중위험 | 저위험
    override_band: Mapped[str] = mapped_column(String(8))
    probability: Mapped[float] = mapped_column(Float)  # the model probability shown when overriding
    model_version: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(300))


class RiskBandSetting(Base):
    """Risk-band thresholds set by policy staff; the newest row is in force (history is kept)."""

    __tablename__ = "risk_band_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(40))
    high_below: Mapped[float] = mapped_column(Float)  # 고위험: probability below this
    low_from: Mapped[float] = mapped_column(Float)  # 저위험: probability at or above this
    note: Mapped[str] = mapped_column(String(300), default="")


class AdReview(Base):
    """A reviewer's decision on a flagged job ad (구인광고 검증 대기열)."""

    __tablename__ = "ad_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    decision: Mapped[str] = mapped_column(String(8))  # approve (lawful, publish) | reject (hold)
    comment: Mapped[str] = mapped_column(String(500), default="")
    model_decision: Mapped[str] = mapped_column(String(8))  # the verifier's pass | review | block
    model_score: Mapped[float] = mapped_column(Float)
    rule_ids: Mapped[str] = mapped_column(String(300), default="")
    rule_set_version: Mapped[int] = mapped_column(Integer)


class AdRuleVersion(Base):
    """A version of the ad-verification rule set saved by policy staff (the change log)."""

    __tablename__ = "ad_rule_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(300))
    rules_yaml: Mapped[str] = mapped_column(Text)
    changed_rules: Mapped[str] = mapped_column(String(500), default="")


class PostingVersion(Base):
    """One version of a posting's conditions and text (채용 시뮬레이터: a scenario or plan applied).

    Rows are only added; ``status`` says which version is published: ``current`` (게시 중, at most
    one per posting, its content is the ``postings`` row), ``pending`` (검토 대기: the verifier
    flagged it), ``superseded`` (이전 버전), ``rejected`` (반려). Version 1 is the posting as it was
    before its first change.
    """

    __tablename__ = "posting_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    username: Mapped[str] = mapped_column(String(40))
    source_kind: Mapped[str] = mapped_column(String(12))  # original | scenario | plan | whatif
    source_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the scenario id
    source_label: Mapped[str] = mapped_column(String(120), default="")
    conditions: Mapped[dict] = mapped_column(JSON)  # the PostingConditions fields
    title: Mapped[str] = mapped_column(String(200))
    sections: Mapped[dict] = mapped_column(JSON)  # section name -> text
    body: Mapped[str] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(String(500), default="")  # Korean summary against the version before
    decision: Mapped[str] = mapped_column(String(8))  # the verifier's pass | review | block
    score: Mapped[float] = mapped_column(Float)
    rule_ids: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), index=True)
    probability: Mapped[float | None] = mapped_column(Float, nullable=True)  # model estimate when applied
    model_version: Mapped[str] = mapped_column(String(40), default="")


class ConsultingCase(Base):
    """A hiring-consulting case (채용 컨설팅) for a posting: asked for by its employer on the
    simulator or opened by policy staff from the at-risk list."""

    __tablename__ = "consulting_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    opened_by: Mapped[str] = mapped_column(String(40))  # username
    opened_role: Mapped[str] = mapped_column(String(16))  # employer | policy
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC
    reason: Mapped[str] = mapped_column(String(500))  # masked
    contact_time: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(12), index=True)  # received | assigned | in_progress | closed
    assignee: Mapped[str | None] = mapped_column(String(40), nullable=True)  # staff username
    outcome: Mapped[str] = mapped_column(String(300), default="")  # masked
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC


class ConsultingNote(Base):
    """A note on a consulting case (masked), with the status it left the case in."""

    __tablename__ = "consulting_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consulting_cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    username: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(12))


OPEN_REQUEST_STATUSES: tuple[str, ...] = ("pending", "accepted")
"""Statuses of a contact request that keep its posting from asking the same seeker again (a declined
or withdrawn request may be sent anew): at most one such row per posting and seeker
(:data:`OPEN_REQUEST_INDEX`)."""


class ContactRequest(Base):
    """An employer's request to talk with a recommended seeker about one posting (채용 상담 요청).

    The seeker decides: only an ``accepted`` request lets that employer see the seeker's name and
    contact (app.services.talent.consent). ``status``: pending | accepted | declined | withdrawn.
    """

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    requested_by: Mapped[str] = mapped_column(String(40))  # username
    message: Mapped[str] = mapped_column(String(500), default="")  # masked
    status: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # UTC
    decided_by: Mapped[str] = mapped_column(String(40), default="")  # who accepted, declined or withdrew


class SeekerVisibility(Base):
    """A seeker's choice about being recommended to employers (내 정보 공개); no row: visible."""

    __tablename__ = "seeker_visibility"

    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC


class TalentFeedback(Base):
    """A recommended candidate saved or dismissed for a posting (the recommender learns from it)."""

    __tablename__ = "talent_feedback"
    __table_args__ = (UniqueConstraint("username", "posting_id", "seeker_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), nullable=True)  # NULL: staff
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"))
    action: Mapped[str] = mapped_column(String(8))  # save | dismiss
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC


INTEREST_SESSION_STATUSES: tuple[str, ...] = ("in_progress", "finished", "abandoned")
INTEREST_SESSION_MODES: tuple[str, ...] = ("self", "counsellor")


class InterestSession(Base):
    """One administration of the adaptive interest test (지능형 직업심리검사) to a seeker.

    Taken by the seeker (``self``) or with a counsellor (``counsellor``, ``administered_by`` their
    username); paused and resumed while ``in_progress``. ``result_json`` holds what the service
    computed when it finished (estimates, top occupations), ``elapsed_seconds`` the active time.
    """

    __tablename__ = "interest_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    mode: Mapped[str] = mapped_column(String(12))  # self | counsellor
    administered_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # UTC
    status: Mapped[str] = mapped_column(String(12), index=True)  # in_progress | finished | abandoned
    stop_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    bank_version: Mapped[str] = mapped_column(String(40))
    result_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    elapsed_seconds: Mapped[float] = mapped_column(Float, default=0.0)


class InterestAnswer(Base):
    """One answer of an interest-test session, in the order the items were asked."""

    __tablename__ = "interest_answers"
    __table_args__ = (
        UniqueConstraint("session_id", "item_id", name="ux_interest_answers_session_item"),
        UniqueConstraint("session_id", "position", name="ux_interest_answers_session_position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("interest_sessions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("test_items.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, … in the order asked
    response: Mapped[int] = mapped_column(Integer)  # 1..5
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    seconds_taken: Mapped[float | None] = mapped_column(Float, nullable=True)


class TrainingPlan(Base):
    """A training course in a seeker's counselling plan (상담 계획), added and removed by counsellors.

    A course is in the plan while ``removed_at`` is NULL; removing it keeps the row as history and
    adding it again later is a new row. The database keeps one row in the plan per seeker and course
    (:data:`ACTIVE_PLAN_INDEX`).
    """

    __tablename__ = "training_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    added_by: Mapped[str] = mapped_column(String(40))  # username
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    note: Mapped[str] = mapped_column(String(300), default="")  # masked
    removed_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # UTC


class TrainingRecommendation(Base):
    """One course shown to a user as a recommendation for a seeker (the policy view counts these)."""

    __tablename__ = "training_recommendations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer)  # 1 = first
    score: Mapped[float] = mapped_column(Float)  # expected uplift of the 6-month employment probability
    model_version: Mapped[str] = mapped_column(String(40))
    shown_to_role: Mapped[str] = mapped_column(String(16))  # counsellor | seeker
    shown_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC


class TrainingQuestion(Base):
    """A seeker's question to their counsellor about a course, and the answer (both masked)."""

    __tablename__ = "training_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    message: Mapped[str] = mapped_column(String(1000))  # masked
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC
    answered_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    answer: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # masked
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # UTC


class CopilotRecord(Base):
    """A counselling-copilot output shown for a seeker, and the counsellor's edited version beside it.

    ``original`` is what the copilot produced (JSON of checked, masked statements) and stays as it was;
    ``edited`` is what the counsellor confirmed (NULL until then). Both are kept for later quality review.
    """

    __tablename__ = "copilot_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    task: Mapped[str] = mapped_column(String(16), index=True)  # diagnosis | roadmap | … | summary
    backend: Mapped[str] = mapped_column(String(80))  # who wrote it (offline composer or the model)
    version: Mapped[str] = mapped_column(String(16))  # copilot composer/prompt version
    input_hash: Mapped[str] = mapped_column(String(64))
    original: Mapped[str] = mapped_column(Text)  # JSON, masked
    edited: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, masked
    status: Mapped[str] = mapped_column(String(12), index=True)  # shown | confirmed
    session_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # a summary's counselling date
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC
    confirmed_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # UTC


COPILOT_TABLES: tuple[str, ...] = (CopilotRecord.__tablename__,)
"""Operational tables of the counselling copilot."""

TRAINING_PLAN_TABLES: tuple[str, ...] = (
    TrainingPlan.__tablename__, TrainingRecommendation.__tablename__, TrainingQuestion.__tablename__,
)
"""Operational tables of training recommendation (plans, recommendations shown, seekers' questions)."""

INTEREST_TABLES: tuple[str, ...] = (InterestSession.__tablename__, InterestAnswer.__tablename__)
"""Operational tables of the interest test (sessions and their answers)."""

TALENT_TABLES: tuple[str, ...] = (
    ContactRequest.__tablename__, SeekerVisibility.__tablename__, TalentFeedback.__tablename__,
)
"""Operational tables of talent recommendation (contact requests, opt-outs, saved/dismissed candidates)."""


class AggregateSnapshot(Base):
    """A policy aggregate as last computed, with the stamp of the data it was computed from.

    The home page's and the policy pages' national figures group a million seekers or hundreds of
    thousands of postings; read again only when the data's stamp (cheap: the newest ids and change times,
    the world's fingerprint) differs, they cost one small read otherwise
    (:mod:`app.db.repositories.snapshots`).
    """

    __tablename__ = "aggregate_snapshots"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)  # aggregate and its arguments
    stamp: Mapped[str] = mapped_column(String(400))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    frame: Mapped[str] = mapped_column(Text)  # the result, pandas JSON (orient="split")


class KpiCell(Base):
    """One cell of the stored KPI summary (성과지표): additive counts per quarter, 시도 and group.

    The KPIs of 성과·모델 모니터링 read every seeker, service, enrolment and counselling note (seconds
    at national scale); any region and service selection is instead combined from these cells
    (:mod:`app.db.repositories.kpi_summary`). ``kind`` says what a row counts: ``cohort`` (seekers
    registered in the quarter, their enrolments and outcomes, per group ``all``, ``any`` or a
    service), ``days`` (employed seekers per day to employment: exact medians), ``seen`` (seekers
    with a counselling session in the quarter) and ``counsellors`` (counsellors by the set of 시도,
    in ``region_code``, whose seekers they saw). The stamp in force is the ``kpi_cells`` row of
    :class:`AggregateSnapshot`. Counts only: no seeker, no counsellor name.
    """

    __tablename__ = "kpi_cells"

    # the key in the order the pages read (a kind, some 시도); being the key, it also keeps a second
    # process that counts the same cells at the same moment from storing them twice (its insert fails)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(80), primary_key=True)  # a 시도, or codes joined by ","
    grp: Mapped[str] = mapped_column(String(16), primary_key=True)  # all | any | a service | "" (seen, counsellors)
    quarter_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)  # days to employment (days rows), else -1
    people: Mapped[int] = mapped_column(Integer)
    enrolments: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    mature: Mapped[int] = mapped_column(Integer)  # 180 days passed by the last day with known outcomes
    employed: Mapped[int] = mapped_column(Integer)  # mature and employed within 180 days
    model_version: Mapped[str] = mapped_column(String(80))  # the summary's layout (no model computes it)
    stamp: Mapped[str] = mapped_column(String(400))  # the data it was computed from (see the class doc)


class SeekerScore(Base):
    """The open caseload as last scored: one row per open seeker with what the caseload pages show.

    Scoring the national open caseload (~170k seekers) takes minutes and reading its records tens of
    seconds, far too long for a counsellor opening 구직자 위험 현황; the build (and the first page
    view after the data moved) stores the scores here, and the pages read one indexed query
    (:mod:`app.db.repositories.seeker_scores`). Every row carries the model version and the stamp of
    the data it was computed from; the stamp in force is the ``seeker_scores`` row of
    :class:`AggregateSnapshot`. Only masked names; no contact, address or RRN.
    """

    __tablename__ = "seeker_scores"

    seeker_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no FK: a new world replaces both
    masked_name: Mapped[str] = mapped_column(String(40))
    age: Mapped[int] = mapped_column(Integer)
    desired_keco: Mapped[str] = mapped_column(String(4))
    desired_region_code: Mapped[str] = mapped_column(String(2))
    desired_occupation: Mapped[str] = mapped_column(String(80))
    desired_region: Mapped[str] = mapped_column(String(20))
    registered_on: Mapped[dt.date] = mapped_column(Date)
    days_since_registration: Mapped[int] = mapped_column(Integer)
    probability: Mapped[float] = mapped_column(Float)
    probability_low: Mapped[float] = mapped_column(Float)
    probability_high: Mapped[float] = mapped_column(Float)
    probability_now: Mapped[float] = mapped_column(Float)
    main_factor: Mapped[str] = mapped_column(String(40))
    main_actionable_factor: Mapped[str] = mapped_column(String(40))
    actionable_effect: Mapped[float | None] = mapped_column(Float, nullable=True)
    main_fixed_factor: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(80))
    stamp: Mapped[str] = mapped_column(String(400))  # the data it was computed from (see the class doc)


class PostingScore(Base):
    """Every posting as last scored by the hiring model: its fill probability and days to fill with
    what the hiring-policy page shows beside them.

    Scoring the national postings (~400k) means reading every posting's text length and section
    counts (seconds on PostgreSQL) on every cache miss of 채용 위험 공고 현황; the build (and the first
    view after the postings moved) stores the scores here and the page reads one narrow table
    (:mod:`app.db.repositories.posting_scores`). The stamp in force is the ``posting_scores`` row of
    :class:`AggregateSnapshot`. No personal data (postings only).
    """

    __tablename__ = "posting_scores"

    posting_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no FK: a new world replaces both
    employer_id: Mapped[int] = mapped_column(Integer)
    employer: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    keco_code: Mapped[str] = mapped_column(String(4))
    region_code: Mapped[str] = mapped_column(String(2))
    wage_monthly: Mapped[int] = mapped_column(BigInteger)
    weekly_hours: Mapped[float] = mapped_column(Float)
    employment_type: Mapped[str] = mapped_column(String(8))
    open_date: Mapped[dt.date] = mapped_column(Date)
    probability: Mapped[float] = mapped_column(Float)
    days: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(80))
    stamp: Mapped[str] = mapped_column(String(400))  # the data it was computed from (see the class doc)


class WorldMeta(Base):
    """Key/value facts about the generated world (seed, size, fingerprint, created_at)."""

    __tablename__ = "world_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_applications_posting_seeker", Application.posting_id, Application.seeker_id)
# the stored caseload in risk order, whole or for desired regions (구직자 위험 현황, 취업 위험도 기준);
# made with the table (create_all), which is newer than every database that could lack them
Index("ix_seeker_scores_probability", SeekerScore.probability, SeekerScore.seeker_id)
Index("ix_seeker_scores_region_probability", SeekerScore.desired_region_code, SeekerScore.probability,
      SeekerScore.seeker_id)
# the stored posting scores, least likely to fill first (채용 위험 공고)
Index("ix_posting_scores_probability", PostingScore.probability, PostingScore.posting_id)
Index("ux_posting_versions_posting_version", PostingVersion.posting_id, PostingVersion.version, unique=True)
OPEN_REQUEST_INDEX = Index(
    "ux_contact_requests_open", ContactRequest.posting_id, ContactRequest.seeker_id, unique=True,
    sqlite_where=ContactRequest.status.in_(OPEN_REQUEST_STATUSES),
    postgresql_where=ContactRequest.status.in_(OPEN_REQUEST_STATUSES),
)
"""One open (pending or accepted) request per posting and seeker, kept by the database: the service's
check before its insert cannot see a request another session is storing at the same moment. Partial,
so declined and withdrawn requests stay as history beside a new one. (A posting has one employer, so
the posting stands for the employer too.) Databases built before it get it from
:func:`app.db.migrations.add_open_request_index`."""

LOOKUP_INDEXES: tuple[Index, ...] = (
    # an employer's postings newest first (채용 시뮬레이터 picker, 인재 추천, the employer's home figures)
    Index("ix_postings_employer_open", Posting.employer_id, Posting.open_date, Posting.id),
)
"""Indexes the pages' queries need at national scale (``docs/postgres.md``); a database built before
one of them gets it from :func:`create_missing_indexes` (``ensure_schema`` and the build's migrations)."""

ACTIVE_PLAN_INDEX = Index(
    "ux_training_plans_active", TrainingPlan.seeker_id, TrainingPlan.course_id, unique=True,
    sqlite_where=TrainingPlan.removed_at.is_(None), postgresql_where=TrainingPlan.removed_at.is_(None),
)
"""One row in the plan (not removed) per seeker and course, kept by the database: two counsellors
adding the same course at the same moment store one row. Partial, so removed rows stay as history."""

HIRING_LOOP_TABLES: tuple[str, ...] = (
    PostingVersion.__tablename__, ConsultingCase.__tablename__, ConsultingNote.__tablename__,
)
"""Operational tables of the hiring loop (posting versions, consulting), added by a later release."""

TRUTH_TABLES: tuple[str, ...] = (
    TruthPosting.__tablename__, TruthSeeker.__tablename__, TruthMatchSeeker.__tablename__, TruthPair.__tablename__,
    TruthTestItem.__tablename__, TruthEnvironmentPreference.__tablename__, TruthCourse.__tablename__,
)
"""Tables that only evaluation code may read."""


def missing_indexes(engine: Engine | Connection) -> list[Index]:
    """Plain (non-unique) indexes declared here that the database's existing tables lack.

    Unique indexes are left out on purpose: rows stored before one existed may break it, so each has
    its own migration that deals with such rows first (:mod:`app.db.migrations`).
    """
    # an engine may map the product tables into another schema (tests' throw-away PostgreSQL schemas)
    schema = (engine.get_execution_options().get("schema_translate_map") or {}).get(None)
    inspector = inspect(engine)
    existing = set(inspector.get_table_names(schema=schema))
    missing = []
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue  # create_all makes the table with every index
        present = {ix["name"] for ix in inspector.get_indexes(table.name, schema=schema)}
        # an index on a column a later migration adds is made after that migration (the build calls
        # ensure_schema first, then migrate_schema)
        columns = {c["name"] for c in inspector.get_columns(table.name, schema=schema)}
        missing += [ix for ix in sorted(table.indexes, key=lambda ix: str(ix.name))
                    if not ix.unique and ix.name not in present and {c.name for c in ix.columns} <= columns]
    return missing


def create_missing_indexes(engine: Engine) -> list[str]:
    """Create the indexes :func:`missing_indexes` finds, in one transaction (idempotent).

    A database built by an earlier release gets the lookup indexes added since (e.g.
    :data:`LOOKUP_INDEXES`) without regenerating its world. On PostgreSQL a ``CREATE INDEX`` blocks
    writes to its table (not reads) for the seconds it takes on a national-scale table; it runs in
    ``python -m app build``, where a world is written anyway.

    Returns:
        Names of the indexes created.
    """
    indexes = missing_indexes(engine)
    if not indexes:
        return []
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn, checkfirst=True)  # another process may have made it meanwhile
    return [str(ix.name) for ix in indexes]


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet, and the declared indexes existing tables lack (idempotent)."""
    Base.metadata.create_all(engine)
    create_missing_indexes(engine)


def drop_schema(engine: Engine) -> None:
    """Drop every product table (used before regenerating a world)."""
    Base.metadata.drop_all(engine)
