"""The only Streamlit cache wrappers of the app, typed.

``st.cache_resource`` holds shared, read-only objects (the Engine, the reference tables, built
models and indexes); ``st.cache_data(ttl=60)`` holds query results, so that a rebuilt world shows
up within a minute without restarting the server. Every cached function takes the database URL or
models directory as an argument, so a changed setting never serves a stale result, and every built
artifact's cache key carries its manifest ``created_at`` (looked up by the model's ``MODEL_NAME``;
the manifest itself is re-read when its file changes), so a rebuild is picked up at the next run.

Several app processes may serve one database (docs/deployment.md). What users write (scenarios,
overrides, band settings, reviews, rule versions, consent, sessions) is never cached here: pages
read it on every run. The cached tables of postings, which users do change (a saved posting, an
applied what-if, a decided version), carry :func:`postings_stamp` in their key — one cheap query per
run — so a change made through another process shows at the next run, not a minute later. The other
query caches hold world figures no user edits (aggregates, the explorer's seekers and courses,
market bounds, monitoring), where the time-to-live is the only staleness and it is harmless.

Capability packages are imported inside the functions that need them: the home page never loads
LightGBM, FAISS or scikit-learn. Their types are imported for type checkers only.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app import threads
from app.config import get_settings

# The one place the UI gets the engine from; every query still goes through a service.
from app.db.engine import get_engine
from app.errors import NotReady
from app.reference.names import ReferenceNames, reference_names
from app.reference.tables import Reference, load_reference
from app.services import explorer, overview
from app.services.explorer import ExplorerQuery, FilterOptions

if TYPE_CHECKING:
    from app.services.ads import AdVerifier
    from app.services.certificates import CertificateValueResult
    from app.services.employment import EmploymentModel, RiskBands
    from app.services.hiring import HiringModel, MarketBounds, PostingConditions, PostingRiskSummary, PostingsIndex
    from app.services.interest import InterestTestModel, OccupationFit
    from app.services.monitoring import KpiReport, MonitoringReport
    from app.services.posting import OccupationClassifier, TextGenerator
    from app.services.service_logs import LogAnalysis, LogFilter, LogStatus
    from app.services.talent import SummaryChat, TalentMatcher
    from app.services.topics import TopicArtifact
    from app.services.training import TrainingArtifact

logger = logging.getLogger(__name__)

_TTL = 60  # seconds: a rebuilt world or a new manifest appears within a minute

threads.limit_loaded_pools()  # Streamlit loaded numpy (and its BLAS pool) before app.threads ran


# --------------------------------------------------------------------------- shared objects


@st.cache_resource(show_spinner=False)
def _engine(db_url: str) -> Engine:
    return get_engine(db_url)


def engine() -> Engine:
    """The process-wide SQLAlchemy engine of the configured database (thread-safe, created once)."""
    return _engine(get_settings().db_url)


@st.cache_resource(show_spinner=False)
def _reference(reference_dir: str) -> Reference | None:
    try:
        return load_reference(Path(reference_dir))
    except (OSError, ValueError) as err:
        # Without names the app still works (codes are shown); log why for the operator.
        logger.warning("reference tables not loaded from %s: %s", reference_dir, err)
        return None


def reference() -> Reference | None:
    """The reference tables (shared; ``None`` when they cannot be read: services then use the committed ones)."""
    return _reference(str(get_settings().reference_dir))


@st.cache_resource(show_spinner=False)
def _names(reference_dir: str) -> ReferenceNames:
    return reference_names(_reference(reference_dir))


def names() -> ReferenceNames:
    """Code -> Korean name lookups built from :func:`reference`."""
    return _names(str(get_settings().reference_dir))


# --------------------------------------------------------------------------- models manifest


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=4)
def _manifest(models_dir: str, file_key: tuple[int, int, int]) -> dict[str, Any] | None:
    return overview.load_models_manifest(Path(models_dir))


def _file_key(path: Path) -> tuple[int, int, int]:
    """``(mtime_ns, size, inode)`` of a file, ``(0, 0, 0)`` when missing: the build writes the manifest
    to a temporary name and renames it (a new inode), so the key changes exactly when a build ends."""
    try:
        info = os.stat(path)
    except OSError:
        return (0, 0, 0)
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def manifest() -> dict[str, Any] | None:
    """The parsed ``models/manifest.json`` or ``None`` when no model has been built.

    Re-read when the file changes (one ``stat`` per call), so the models of a build that finished
    while the app was running are loaded at the next run of every session, in every process."""
    models_dir = get_settings().models_dir
    return _manifest(str(models_dir), _file_key(Path(models_dir) / "manifest.json"))


# --------------------------------------------------------------------------- data version

_STAMP_SECONDS = 1.0  # one stamp query serves every cached table of the runs of this second
_stamp_memo: dict[str, tuple[float, str]] = {}
_stamp_lock = threading.Lock()


def postings_stamp() -> str:
    """What users have changed in the postings, from the database (:func:`app.services.overview.postings_stamp`).

    Part of the key of every cached posting table, so a posting saved, changed or decided through
    another app process on the same database is read at the next run. Read at most once a second per
    process (the runs of that second share it); the writing process also clears its caches at once.
    """
    db_url = get_settings().db_url
    now = time.monotonic()
    with _stamp_lock:
        memo = _stamp_memo.get(db_url)
        if memo is not None and now - memo[0] < _STAMP_SECONDS:
            return memo[1]
    value = overview.postings_stamp(engine())
    with _stamp_lock:
        _stamp_memo[db_url] = (now, value)
    return value


def forget_postings_stamp() -> None:
    """Make the next :func:`postings_stamp` ask the database (after this process changed a posting)."""
    with _stamp_lock:
        _stamp_memo.clear()


def _stamp(capability: str, name_attribute: str = "MODEL_NAME") -> str:
    """Manifest ``created_at`` of a capability's built artifact (its package's ``MODEL_NAME``, or
    another name attribute): part of the cache key, so a rebuild is picked up."""
    model_name = getattr(importlib.import_module(f"app.services.{capability}"), name_attribute)
    entry = ((manifest() or {}).get("models") or {}).get(model_name) or {}
    return str(entry.get("created_at", ""))


# --------------------------------------------------------------------------- accounts


_USERS_LOCK = threading.Lock()  # two first visitors must not both write the accounts file


def ensure_demo_users() -> str | None:
    """Create the demo accounts file if it is missing and a world exists (first visit only), or add
    the demo seeker accounts to a demo file written before seekers had accounts
    (``app.demo_accounts.lacks_demo_seekers``).

    Not cached on purpose: the existence check is cheap, and a cached "no world yet" answer would
    keep the file from being created after ``python -m app build`` runs next to a live server.

    Returns:
        Path of the credentials file when accounts were just created, else ``None``.
    """
    from app import demo_accounts  # keeps bcrypt off the import path of other pages

    settings = get_settings()
    path = Path(settings.users_file)
    if path.exists() and not demo_accounts.lacks_demo_seekers(path):
        return None
    try:
        with _USERS_LOCK:
            if path.exists() and not demo_accounts.lacks_demo_seekers(path):
                return None
            ids = overview.demo_employer_ids(engine())
            if not ids:
                return None  # no world yet: `python -m app build` writes the accounts
            created = demo_accounts.ensure_users_file(path, employer_ids=ids, seeker_ids=overview.demo_seeker_ids(engine()))
            return str(path.parent / demo_accounts.CREDENTIALS_FILE_NAME) if created else None
    except Exception:  # the login form then reports the missing file in Korean
        logger.exception("could not create the demo accounts file")
        return None


# --------------------------------------------------------------------------- overview figures


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=4)
def _world_overview(db_url: str, stamp: str) -> overview.WorldOverview:
    return overview.compute_world_overview(_engine(db_url))


def world_overview() -> overview.WorldOverview:
    """Headline figures (raises ``NoWorldError`` when the database is empty)."""
    return _world_overview(get_settings().db_url, postings_stamp())


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=256)
def _employer_overview(db_url: str, employer_id: int, stamp: str) -> overview.EmployerOverview:
    return overview.compute_employer_overview(_engine(db_url), employer_id)


def employer_overview(employer_id: int) -> overview.EmployerOverview:
    """One employer's own figures (raises ``UnknownEmployerError``)."""
    return _employer_overview(get_settings().db_url, employer_id, postings_stamp())


@st.cache_data(ttl=_TTL, show_spinner=False)
def _breakdowns(db_url: str, reference_dir: str) -> dict[str, pd.DataFrame]:
    eng, nm = _engine(db_url), _names(reference_dir)
    return {
        "postings_by_region": overview.compute_postings_by_region(eng, nm),
        "top_occupations": overview.compute_top_occupations(eng, nm),
        "reemployment_by_age": overview.compute_reemployment_by_age(eng),
        "reemployment_by_region": overview.compute_reemployment_by_region(eng, nm),
    }


def breakdowns() -> dict[str, pd.DataFrame]:
    """The overview's breakdown tables, by name (see ``app.services.overview.compute_*``)."""
    settings = get_settings()
    return _breakdowns(settings.db_url, str(settings.reference_dir))


# --------------------------------------------------------------------------- explorer


@st.cache_data(ttl=_TTL, show_spinner=False)
def _filter_options(db_url: str, reference_dir: str) -> FilterOptions:
    eng = _engine(db_url)
    overview.check_world(eng)
    return explorer.compute_filter_options(eng, _names(reference_dir))


def filter_options() -> FilterOptions:
    """Choices of the explorer's filters (raises ``NoWorldError`` when the database is empty)."""
    settings = get_settings()
    return _filter_options(settings.db_url, str(settings.reference_dir))


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=64)
def _postings(db_url: str, reference_dir: str, query: ExplorerQuery, viewer: int | None, stamp: str) -> pd.DataFrame:
    return explorer.search_postings(
        _engine(db_url), query, _names(reference_dir), viewer_employer_id=viewer
    )


def postings(query: ExplorerQuery, *, viewer_employer_id: int | None = None) -> pd.DataFrame:
    """Postings matching ``query`` (cached per query until a posting changes, at most a minute)."""
    settings = get_settings()
    return _postings(settings.db_url, str(settings.reference_dir), query, viewer_employer_id, postings_stamp())


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=64)
def _seekers(db_url: str, reference_dir: str, query: ExplorerQuery) -> pd.DataFrame:
    return explorer.search_seekers(_engine(db_url), query, _names(reference_dir))


def seekers(query: ExplorerQuery) -> pd.DataFrame:
    """Pseudonymous seekers matching ``query`` (callers check the role first)."""
    settings = get_settings()
    return _seekers(settings.db_url, str(settings.reference_dir), query)


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=64)
def _courses(db_url: str, reference_dir: str, query: ExplorerQuery) -> pd.DataFrame:
    return explorer.search_courses(_engine(db_url), query, _names(reference_dir))


def courses(query: ExplorerQuery) -> pd.DataFrame:
    """Training courses matching ``query``."""
    settings = get_settings()
    return _courses(settings.db_url, str(settings.reference_dir), query)


# --------------------------------------------------------------------------- built artifacts

T = TypeVar("T")


def required(load: Callable[[], T]) -> T:
    """Call a loader of built artifacts; when one is missing, show its Korean warning (it names
    the build command) and stop the page."""
    try:
        return load()
    except NotReady as err:
        st.warning(err.user_message)
        st.stop()
        raise  # st.stop() raises; this line only tells type checkers so


# --------------------------------------------------------------------------- hiring simulator


@st.cache_resource(show_spinner="채용성공 예측모델을 불러오는 중…", max_entries=2)
def _hiring_model(models_dir: str, stamp: str) -> HiringModel:
    from app.services import hiring  # LightGBM only where it is used

    return hiring.load_hiring_model(Path(models_dir))


def hiring_model() -> HiringModel:
    """The hiring-success model (read-only, shared). Raises ``ArtifactMissing`` naming the build command."""
    return _hiring_model(str(get_settings().models_dir), _stamp("hiring"))


@st.cache_resource(show_spinner="유사 공고 색인을 불러오는 중…", max_entries=2)
def _postings_index(models_dir: str, stamp: str) -> PostingsIndex:
    from app.services import hiring  # FAISS only where it is used

    return hiring.PostingsIndex.load(Path(models_dir))


def postings_index() -> PostingsIndex:
    """The similar-postings FAISS index (read-only, shared). Raises ``ArtifactMissing`` when not built."""
    return _postings_index(str(get_settings().models_dir), _stamp("hiring", "POSTINGS_INDEX_NAME"))


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=64)
def _hiring_postings(db_url: str, employer_id: int | None, stamp: str) -> pd.DataFrame:
    from app.services import hiring

    return hiring.load_employer_postings(_engine(db_url), employer_id)


def hiring_postings(employer_id: int | None) -> pd.DataFrame:
    """Postings of the simulator's picker: the employer's own, or every posting for staff (``None``)."""
    return _hiring_postings(get_settings().db_url, employer_id, postings_stamp())


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=256)
def _hiring_bounds(db_url: str, models_dir: str, stamp: str, conditions: dict[str, Any]) -> MarketBounds:
    from app.services import hiring

    model = _hiring_model(models_dir, stamp)
    return hiring.market_bounds(_engine(db_url), model, hiring.validate_conditions(conditions))


def hiring_bounds(conditions: PostingConditions) -> MarketBounds:
    """``MarketBounds`` of posting conditions (one query of similar postings; cached a minute)."""
    settings = get_settings()
    return _hiring_bounds(settings.db_url, str(settings.models_dir), _stamp("hiring"), conditions.to_dict())


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=256)
def _similar_postings(db_url: str, models_dir: str, stamp: str, posting_id: int | None, query: dict[str, Any]) -> pd.DataFrame:
    from app.services import hiring

    index = _postings_index(models_dir, stamp)
    if posting_id is not None:
        try:
            ids = index.similar_to_posting(int(posting_id), k=10)
        except hiring.PostingNotIndexed:
            ids = None
        if ids is not None:
            return hiring.load_similar_postings(_engine(db_url), ids)
    pairs = index.similar_to_text(**query, k=10)
    return hiring.load_similar_postings(_engine(db_url), [pid for pid, _ in pairs])


def similar_postings(posting_id: int | None, query: dict[str, Any]) -> pd.DataFrame:
    """The 10 most similar postings (same occupation family) of a stored posting or of ``query``
    (the keyword arguments of ``PostingsIndex.similar_to_text`` without ``k``). Raises
    ``ArtifactMissing`` when the index is not built."""
    settings = get_settings()
    stamp = _stamp("hiring", "POSTINGS_INDEX_NAME")
    return _similar_postings(settings.db_url, str(settings.models_dir), stamp, posting_id, query)


@st.cache_data(ttl=_TTL, show_spinner="공고의 채용확률을 확인하는 중…", max_entries=4)
def _stored_posting_scores_current(db_url: str, models_dir: str, stamp: str, data_stamp: str) -> int:
    from app.services import hiring

    return hiring.store_posting_scores(_engine(db_url), _hiring_model(models_dir, stamp))


def posting_fill_outlook(posting_ids: list[int]) -> dict[int, float]:
    """The stored fill probability of a few postings (a seeker's job cards), the stored scores checked
    at most once a minute per process and per :func:`postings_stamp` (only changed postings are
    rescored). Raises ``ArtifactMissing`` when the hiring model is not built."""
    from app.services import hiring

    settings = get_settings()
    _stored_posting_scores_current(settings.db_url, str(settings.models_dir), _stamp("hiring"), postings_stamp())
    return hiring.fill_outlook(engine(), posting_ids)


@st.cache_data(ttl=_TTL, show_spinner="모든 공고의 채용확률을 확인하는 중…", max_entries=4)
def _posting_risk_summary(db_url: str, models_dir: str, stamp: str, data_stamp: str) -> PostingRiskSummary:
    from app.services import hiring

    return hiring.posting_risk_summary(_engine(db_url), _hiring_model(models_dir, stamp))


def posting_risk_summary() -> PostingRiskSummary:
    """Every stored posting score in figures (채용 위험 공고 현황: tiles, group tables, histograms),
    the stored scores brought up to date first; cached a minute and per :func:`postings_stamp`.
    Raises ``ArtifactMissing`` when the hiring model is not built."""
    settings = get_settings()
    return _posting_risk_summary(settings.db_url, str(settings.models_dir), _stamp("hiring"), postings_stamp())


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=2)
def _hiring_build_checks(models_dir: str, stamp: str) -> pd.DataFrame | None:
    from app.services import hiring

    try:
        return hiring.load_stored_checks(Path(models_dir))[["posting_id", "decision"]]
    except (NotReady, OSError, ValueError, KeyError):
        return None  # the verifier is not built: the simulator says nothing about the queue


def hiring_build_checks() -> pd.DataFrame | None:
    """``posting_id, decision`` of every stored posting as the build's verifier judged it (small,
    read once; ``None`` when not built). The simulator reads it instead of re-verifying every posting."""
    return _hiring_build_checks(str(get_settings().models_dir), _stamp("ads"))


def refresh_hiring_postings() -> None:
    """Forget cached posting tables after a new version of a posting became current."""
    invalidate_postings()
    _stored_posting_scores_current.clear()
    _posting_risk_summary.clear()
    _hiring_bounds.clear()


# --------------------------------------------------------------------------- employment-success pages


@st.cache_resource(show_spinner="취업성공 예측모델을 불러오는 중…", max_entries=2)
def _employment_model(models_dir: str, stamp: str) -> EmploymentModel:
    from app.services import employment  # LightGBM only where it is used

    return employment.load_employment_model(Path(models_dir))


def employment_model() -> EmploymentModel:
    """The employment-success model (read-only, shared). Raises ``ArtifactMissing`` naming the build."""
    return _employment_model(str(get_settings().models_dir), _stamp("employment"))


@st.cache_data(ttl=_TTL, show_spinner="상담 대상 구직자의 취업확률을 확인하는 중…", max_entries=4)
def _stored_caseload_current(db_url: str, models_dir: str, stamp: str) -> int:
    from app.services import employment

    return employment.store_caseload_scores(_engine(db_url), _employment_model(models_dir, stamp))


def ensure_caseload_scores() -> None:
    """Bring the stored caseload scores up to date (the build filled them; a few index lookups when
    they are current, checked at most once a minute per process; only changed seekers are rescored)."""
    settings = get_settings()
    _stored_caseload_current(settings.db_url, str(settings.models_dir), _stamp("employment"))


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=8)
def _caseload_group_tables(db_url: str, stamp: str, high_below: float, low_from: float,
                           overrides: tuple[tuple[int, str], ...]) -> dict[str, pd.DataFrame]:
    from app.services import employment

    bands = employment.RiskBands(high_below=high_below, low_from=low_from)
    return employment.stored_caseload_aggregates(_engine(db_url), bands, dict(overrides))


def caseload_group_tables(bands: RiskBands, overrides: dict[int, str]) -> dict[str, pd.DataFrame]:
    """취업 위험도 기준's group tables (:func:`app.services.employment.stored_caseload_aggregates`): one
    pass over the stored scores, kept a minute per bands and overrides, so moving a threshold slider
    (which changes neither) does not repeat it; a saved override or new bands change the key."""
    return _caseload_group_tables(get_settings().db_url, _stamp("employment"), float(bands.high_below),
                                  float(bands.low_from), tuple(sorted((int(i), str(b)) for i, b in overrides.items())))


def refresh_caseload() -> None:
    """Kept for the pages that save an override or thresholds: nothing needs forgetting any more,
    because the pages read overrides and bands on every run and the stored scores in SQL."""


@st.cache_data(ttl=3600, show_spinner=False, max_entries=32)
def _fairness_reports(models_dir: str, stamp: str, high_below: float, tolerance: float,
                      min_group_size: int) -> dict[str, Any]:
    from app.services import employment

    # only the high-risk cutoff matters to the audit; low_from just has to lie above it
    bands = employment.RiskBands(high_below=high_below, low_from=0.999)
    return employment.fairness_reports(_employment_model(models_dir, stamp), bands, tolerance=tolerance,
                                       min_group_size=min_group_size)


def fairness_reports(high_below: float) -> dict[str, Any]:
    """Fairness audits of the employment model at a high-risk cutoff (precomputed at build for
    common cutoffs, else computed once per cutoff and kept an hour)."""
    settings = get_settings()
    return _fairness_reports(str(settings.models_dir), _stamp("employment"), round(float(high_below), 4),
                             float(settings.fairness_tolerance), int(settings.fairness_min_group))


# --------------------------------------------------------------------------- job-ad verification


@st.cache_resource(show_spinner="구인광고 검증 모델을 불러오는 중…", max_entries=2)
def _ad_verifier(models_dir: str, stamp: str) -> AdVerifier:
    from app.services import ads  # scikit-learn only where it is used

    return ads.load_ad_verifier(Path(models_dir))


@st.cache_resource(show_spinner=False, max_entries=8)
def _ad_verifier_with(models_dir: str, stamp: str, rules_yaml: str) -> AdVerifier:
    from app.services import ads

    return _ad_verifier(models_dir, stamp).with_rules(ads.parse_rule_set(rules_yaml))


def ad_verifier() -> AdVerifier:
    """The job-ad verifier with the rule set in force (read from the database on every call, so a
    saved rule version applies at once). Raises ``ArtifactMissing`` naming the build command."""
    from app.services import ads

    return _ad_verifier_with(str(get_settings().models_dir), _stamp("ads"), ads.active_rules_yaml(engine()))


@st.cache_resource(show_spinner=False, max_entries=2)
def _ad_verdict_memory(db_url: str, models_dir: str, stamp: str) -> dict:
    """Verdict stores and queue tables kept in memory, shared by every session (a rebuilt verifier
    or another database gets a new one)."""
    return {}


@st.cache_resource(ttl=_TTL, show_spinner=False, max_entries=2)
def _stored_ads_of(db_url: str, stamp: str) -> pd.DataFrame:
    """Every stored posting as an ad, re-read when a posting changes (in any process) or after a
    minute; one shared frame (read-only: never changed in place), so the verdicts' fingerprints of
    it are computed once, not per visit."""
    from app.services import ads

    return ads.load_stored_ads(_engine(db_url))


def _stored_ads(db_url: str) -> pd.DataFrame:
    return _stored_ads_of(db_url, postings_stamp())


def stored_verdicts(verifier: AdVerifier, progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Verdicts of every stored posting under the verifier's rules.

    Not an ``st.cache_data`` function on purpose: the first computation under new rules reports
    its ``progress`` to the page (a cached function may not draw into the page's containers), and
    the verdicts themselves are kept by the service per rule set and posting content — in memory
    here and on disk — so an unchanged posting is never verified twice and an edited one (a new
    version) is verified again within a minute (the postings are re-read every 60 s).
    """
    from app.services import ads

    settings = get_settings()
    stamp = _stamp("ads")
    memory = _ad_verdict_memory(settings.db_url, str(settings.models_dir), stamp)
    models_dir = Path(settings.models_dir)
    try:
        build_checks = ads.load_stored_checks(models_dir)
    except (OSError, NotReady, ValueError):  # no build table: the verdicts are computed
        build_checks = None
    return ads.stored_verdicts(engine(), verifier, models_dir=models_dir, ads=_stored_ads(settings.db_url),
                               memory=memory, progress=progress, build_checks=build_checks)


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=4)
def _stored_ad_titles(db_url: str, stamp: str) -> pd.DataFrame:
    from app.services import ads

    return ads.load_stored_ads(_engine(db_url))[["posting_id", "title", "employer_name", "employer_id"]]


@st.cache_resource(ttl=_TTL, show_spinner=False, max_entries=256)
def _posting_verdict(db_url: str, models_dir: str, stamp: str, rules_key: str, posting_id: int, content_key: int,
                     _verifier: AdVerifier) -> tuple[pd.Series, Any]:
    from app.services import ads

    return ads.posting_verdict(_engine(db_url), _verifier, posting_id, stored_ads=_stored_ads(db_url))


def posting_verdict(verifier: AdVerifier, posting_id: int) -> tuple[pd.Series, Any]:
    """One stored posting and its full verdict, kept per rule set and posting content: a review's
    save and the rerun after it (and every other reviewer) reuse it instead of verifying the ad
    again (read-only; an edited posting has another content key). Raises ``LookupError``."""
    from app.services import ads

    settings = get_settings()
    stored = _stored_ads(settings.db_url)
    row = stored[stored["posting_id"] == int(posting_id)]
    if row.empty:
        return ads.posting_verdict(_engine(settings.db_url), verifier, int(posting_id), stored_ads=stored)
    content_key = int(pd.util.hash_pandas_object(row.astype(str), index=False).sum())
    return _posting_verdict(settings.db_url, str(settings.models_dir), _stamp("ads"), ads.rules_key(verifier.rules),
                            int(posting_id), content_key, verifier)


def stored_ad_titles() -> pd.DataFrame:
    """``posting_id, title, employer_name, employer_id`` of every stored posting."""
    return _stored_ad_titles(get_settings().db_url, postings_stamp())


# --------------------------------------------------------------------------- posting assistant


@st.cache_resource(show_spinner="직종 자동분류 모델을 불러오는 중…", max_entries=2)
def _occupation_classifier(models_dir: str, stamp: str) -> OccupationClassifier:
    from app.services import posting  # scikit-learn only where it is used

    return posting.load_occupation_classifier(Path(models_dir))


def occupation_classifier() -> OccupationClassifier:
    """The KECO occupation classifier (read-only, shared). Raises ``ArtifactMissing`` when not built."""
    return _occupation_classifier(str(get_settings().models_dir), _stamp("posting", "OCCUPATION_MODEL_NAME"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _text_generator(backend: str, base_url: str, model: str, model_dir: str, timeout: float) -> TextGenerator:
    from app.services import posting

    return posting.make_generator(get_settings())


def text_generator() -> TextGenerator:
    """The posting text generator of the settings (a local model is loaded once and shared)."""
    s = get_settings()
    return _text_generator(s.llm_backend, s.llm_base_url, s.llm_model, str(s.llm_model_dir or ""), s.llm_timeout)


@st.cache_data(ttl=600, show_spinner=False, max_entries=64)
def _employer_card(db_url: str, employer_id: int) -> dict[str, Any]:
    from app.services import posting

    employer = posting.employer_profile(_engine(db_url), employer_id)
    return {"name": employer.name, "phone": employer.phone, "size_code": employer.size_code,
            "region_code": employer.region_code}


def employer_card(employer_id: int) -> dict[str, Any]:
    """Name, phone, size and region of an employer (for the posting assistant)."""
    return _employer_card(get_settings().db_url, int(employer_id))


def invalidate_postings() -> None:
    """Forget cached posting tables after a posting was saved, so other pages show it."""
    forget_postings_stamp()
    for cached in (_hiring_postings, _stored_ad_titles, _postings, _employer_overview, _world_overview):
        cached.clear()


@st.cache_resource(show_spinner="인재추천 모델을 불러오는 중…", max_entries=2)
def _talent_matcher(models_dir: str, stamp: str) -> TalentMatcher:
    from app.services import talent  # LightGBM and the indexes only where they are used

    return talent.load_talent_matcher(Path(models_dir))


def talent_matcher() -> TalentMatcher:
    """The talent matcher (read-only, shared). Raises ``ArtifactMissing`` naming the build command."""
    return _talent_matcher(str(get_settings().models_dir), _stamp("talent"))


@st.cache_resource(show_spinner=False, max_entries=2)
def _summary_chat(backend: str, base_url: str, model: str, timeout: float) -> SummaryChat | None:
    from app.services import talent

    return talent.make_summary_chat(get_settings())


def summary_chat() -> SummaryChat | None:
    """The language model that writes candidate summaries and interview questions (``None``: the offline
    composer), per the settings."""
    settings = get_settings()
    return _summary_chat(settings.llm_backend, settings.llm_base_url, settings.llm_model, settings.llm_timeout)


@st.cache_resource(show_spinner=False, max_entries=2)
def _copilot_chat(backend: str, base_url: str, model: str, model_dir: str, timeout: float) -> Any:
    from app.services import copilot

    return copilot.make_copilot_chat(get_settings())


def copilot_chat() -> Any:
    """The chat backend of the counselling copilot (``None``: the offline composer), per the settings
    (a local model is loaded once and shared)."""
    s = get_settings()
    return _copilot_chat(s.llm_backend, s.llm_base_url, s.llm_model, str(s.llm_model_dir or ""), s.llm_timeout)


@st.cache_resource(ttl=3600, show_spinner="직종 이동 경로를 준비하는 중…", max_entries=2)
def _occupation_graph(db_url: str, reference_dir: str) -> Any:
    from app.services import copilot

    return copilot.occupation_graph(_engine(db_url), load_reference(Path(reference_dir)))


def occupation_graph() -> Any:
    """The occupation graph of the career roadmap (skill overlap and the moves observed in the database;
    rebuilt after an hour, so a new world's moves are read)."""
    s = get_settings()
    return _occupation_graph(s.db_url, str(s.reference_dir))


@st.cache_resource(ttl=3600, show_spinner=False, max_entries=2)
def _copilot_market(db_url: str, models_dir: str, stamp: str) -> Any:
    from app.services import copilot

    return copilot.market_context(_engine(db_url), employment_model())


def copilot_market() -> Any:
    """Market wages, demand and open courses per occupation for the career roadmap."""
    s = get_settings()
    return _copilot_market(s.db_url, str(s.models_dir), _stamp("employment"))


# --------------------------------------------------------------------------- 직업흥미검사


@st.cache_resource(show_spinner="직업흥미검사 문항은행을 불러오는 중…", max_entries=2)
def _interest_test_model(models_dir: str, stamp: str) -> InterestTestModel:
    from app.services import interest

    return interest.load_interest_test(Path(models_dir))


def interest_test_model() -> InterestTestModel:
    """The calibrated interest-test bank (read-only, shared). Raises ``ArtifactMissing`` naming the build."""
    return _interest_test_model(str(get_settings().models_dir), _stamp("interest"))


@st.cache_resource(show_spinner="직업 적합도 모델을 불러오는 중…", max_entries=2)
def _occupation_fit(models_dir: str, stamp: str) -> OccupationFit:
    from app.services import interest

    return interest.load_occupation_fit(Path(models_dir))


def occupation_fit() -> OccupationFit:
    """The occupation-fit model (read-only, shared). Raises ``ArtifactMissing`` naming the build."""
    return _occupation_fit(str(get_settings().models_dir), _stamp("interest", "FIT_MODEL_NAME"))


# --------------------------------------------------------------------------- training recommendation


@st.cache_resource(show_spinner="직업훈련추천 모델을 불러오는 중…", max_entries=2)
def _training_artifact(models_dir: str, stamp: str) -> TrainingArtifact:
    from app.services import training

    return training.load_training_artifact(Path(models_dir))


def training_artifact() -> TrainingArtifact:
    """The training recommender and the world's course index (read-only, shared). Raises
    ``NotReady`` naming the build command."""
    return _training_artifact(str(get_settings().models_dir), _stamp("training"))


# --- service_logs (issue 19)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _service_log_status(role: str, logs_dir: str) -> LogStatus:
    from app.services import service_logs

    return service_logs.load_log_status(role, Path(logs_dir))


def service_log_status(role: str) -> LogStatus:
    """What the configured service-log folder holds (policy staff only). Raises ``NotReady`` naming the build."""
    return _service_log_status(role, str(get_settings().service_logs_dir))


@st.cache_data(show_spinner="서비스 이용 로그를 분석하는 중…", max_entries=32)
def _service_log_analysis(role: str, logs_dir: str, stamp: str, flt: LogFilter) -> LogAnalysis:
    from app.services import service_logs

    return service_logs.analyse(role, Path(logs_dir), flt)


def service_log_analysis(role: str, flt: LogFilter) -> LogAnalysis:
    """The analysis of the filtered service logs (DuckDB; cached per filter until the logs are regenerated)."""
    status = service_log_status(role)
    return _service_log_analysis(role, str(get_settings().service_logs_dir), status.stamp, flt)
# --- 성과·모델 모니터링 (issue 19)
# The report reads the model monitors' stored results (the build stores them; their stamp is checked at
# most once a minute and keys the report) and the stored KPI summary; overrides, copilot edits and the
# audit volume are read live. Cached for ten minutes per database, manifest, stamps and KST day; the KPI
# filters combine the stored KPI summary's cells (a few hundred rows).


@st.cache_data(ttl=_TTL, show_spinner="모델 모니터링 결과를 확인하는 중…", max_entries=4)
def _model_monitors_stamp(db_url: str, models_dir: str, reference_dir: str, manifest_stamp: str, tolerance: float,
                          min_group: int) -> str:
    from app.services import monitoring

    # the build stored them; a few index lookups when current, the moved monitors computed otherwise
    return monitoring.store_model_monitors(_engine(db_url), models_dir=Path(models_dir),
                                           reference_dir=Path(reference_dir), tolerance=tolerance,
                                           min_group_size=min_group)


@st.cache_data(ttl=600, show_spinner="성과지표와 모델 모니터링을 계산하는 중…", max_entries=2)
def _monitoring_report(db_url: str, models_dir: str, reference_dir: str, manifest_stamp: str, tolerance: float,
                       min_group: int, day: str, monitors_stamp: str = "", kpi_stamp: str = "") -> MonitoringReport:
    import datetime as dt

    from app.services import monitoring

    return monitoring.build_report(_engine(db_url), models_dir=Path(models_dir), reference_dir=Path(reference_dir),
                                   tolerance=tolerance, min_group_size=min_group, today=dt.date.fromisoformat(day))


def monitoring_report() -> MonitoringReport:
    """The monitoring report of today (KST). Raises ``NotReady`` naming the build when nothing is built."""
    import datetime as dt

    from app.text.korean import KST

    s = get_settings()
    stamp = str((manifest() or {}).get("created_at", ""))
    args = (s.db_url, str(s.models_dir), str(s.reference_dir), stamp, float(s.fairness_tolerance),
            int(s.fairness_min_group))
    return _monitoring_report(*args, dt.datetime.now(KST).date().isoformat(), _model_monitors_stamp(*args),
                              _kpi_summary_stamp(s.db_url))


@st.cache_data(ttl=_TTL, show_spinner="성과지표 요약을 확인하는 중…", max_entries=4)
def _kpi_summary_stamp(db_url: str) -> str:
    from app.services import monitoring

    # the build stored the summary; a few index lookups when it is current, a recount when the data moved
    return monitoring.store_kpi_summary(_engine(db_url))


@st.cache_data(ttl=600, show_spinner="성과지표를 계산하는 중…", max_entries=64)
def _kpi_report(db_url: str, reference_dir: str, region_codes: tuple[str, ...], services: tuple[str, ...],
                summary_stamp: str) -> KpiReport:
    from app.services import monitoring

    return monitoring.kpi_report(_engine(db_url), monitoring.load_targets(Path(reference_dir)),
                                 region_codes=region_codes, services=services)


@st.cache_data(ttl=600, show_spinner=False, max_entries=4)
def _kpi_regions(db_url: str, summary_stamp: str) -> dict[str, str]:
    from app.services import monitoring

    return monitoring.region_choices(_engine(db_url))


def kpi_regions() -> dict[str, str]:
    """Region code → Korean name of the regions with seekers (the KPI filter's choices)."""
    db_url = get_settings().db_url
    return _kpi_regions(db_url, _kpi_summary_stamp(db_url))


def kpi_report(region_codes: tuple[str, ...], services: tuple[str, ...]) -> KpiReport:
    """The KPIs of the seekers of ``region_codes`` (all when empty) for ``services`` (all when empty),
    from the stored summary (checked at most once a minute; its stamp keys the cached reports)."""
    s = get_settings()
    return _kpi_report(s.db_url, str(s.reference_dir), tuple(sorted(region_codes)), tuple(services),
                       _kpi_summary_stamp(s.db_url))
# --- certificates (issue 19)


@st.cache_resource(show_spinner="자격증 가치 분석 결과를 불러오는 중…", max_entries=2)
def _certificate_value(models_dir: str, stamp: str) -> CertificateValueResult:
    from app.services import certificates

    return certificates.load_certificate_value(Path(models_dir))


def certificate_value() -> CertificateValueResult:
    """The built certificate analysis (read-only, shared). Raises ``ArtifactMissing`` naming the build."""
    return _certificate_value(str(get_settings().models_dir), _stamp("certificates"))
# --- topics (issue 19)


@st.cache_resource(show_spinner="토픽 분석 결과를 불러오는 중…", max_entries=2)
def _topic_artifact(models_dir: str, stamp: str) -> TopicArtifact:
    from app.services import topics

    return topics.load_topic_artifact(Path(models_dir))


def topic_artifact() -> TopicArtifact:
    """The built topic models of every corpus (read-only, shared; the page never fits). Raises
    ``ArtifactMissing`` naming the build command."""
    return _topic_artifact(str(get_settings().models_dir), _stamp("topics"))
