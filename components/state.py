"""Named session-state keys and typed getters (one place, so pages never invent their own keys).

``.streamlit/config.toml`` sets ``enforceSerializableSessionState = true``: only plain picklable
values (dicts, strings, numbers, tuples) go in here.
"""

from __future__ import annotations

import secrets
import time

import streamlit as st

from app.auth import User

AUTH_USER = "auth.user"
"""The logged-in user: a frozen :class:`app.auth.User` (picklable, as session state requires)."""

AUTH_STAMP = "auth.stamp"
"""``app.auth.account_stamp`` of the account at login: a reset password or disabled account ends the session."""
LAST_ACTIVITY = "auth.last_activity"
"""``time.monotonic()`` of the last full run of a logged-in session (the idle timeout counts from it)."""
CLIENT_KEY = "auth.client_key"
"""Random token of this browser session for login throttling (not Streamlit's session id: that one
lets a client re-attach to a session, so it must not be stored anywhere)."""

AUTH_SESSION_ID = "auth.session_id"
"""Random id of this login (``app.services.sessions``): the login cookie carries it, logout revokes it."""
COOKIE_TICKET = "auth.cookie.ticket"
"""One-time ticket the page still has to exchange for the login cookie (``components.session_cookie``)."""
COOKIE_SIGNED_AT = "auth.cookie.signed_at"
"""Unix time the session's cookie token was last signed (an active session gets a fresh one as it goes)."""
COOKIE_CLEAR = "auth.cookie.clear"
"""Set after a logout: the login page tells the browser to drop the login cookie."""
LOGIN_NEXT = "auth.login.next"
"""The page a logged-out visitor asked for by URL: ``{"url_path": str, "query": {name: value}}``;
after the login the router opens it with the same query parameters (``?posting=``, ``?seeker=``)."""

LOGIN_USERNAME = "auth.login.username"
LOGIN_PASSWORD = "auth.login.password"
LOGIN_ERROR = "auth.login.error"
LOGIN_NOTICE = "auth.login.notice"
"""Why the login page is shown again (logged out, idle timeout, account changed); shown once."""
LOGOUT_BUTTON = "auth.logout"

# data explorer filters
EXPLORER_REGION = "explorer.region"
EXPLORER_MAJOR = "explorer.major"
EXPLORER_KECO = "explorer.keco"
EXPLORER_TABS = "explorer.tabs"
POSTINGS_PERIOD = "explorer.postings.period"
POSTINGS_EMPLOYMENT = "explorer.postings.employment"
POSTINGS_WAGE = "explorer.postings.wage"
POSTINGS_MINE = "explorer.postings.mine"
SEEKERS_PERIOD = "explorer.seekers.period"
SEEKERS_WAGE = "explorer.seekers.wage"
COURSES_PERIOD = "explorer.courses.period"


def current_user() -> User | None:
    """The logged-in user, or ``None`` (a plain dict from an older session is converted)."""
    user = st.session_state.get(AUTH_USER)
    if isinstance(user, User):
        return user
    if isinstance(user, dict):
        return User.from_dict(user)
    return None


def set_user(user: User, stamp: str | None) -> None:
    """Remember the logged-in user, the stamp of the credentials they used, and that they are active."""
    st.session_state[AUTH_USER] = user
    st.session_state[AUTH_STAMP] = stamp or ""
    touch_activity()


def login_stamp() -> str:
    """The account stamp remembered at login ("" when none)."""
    return str(st.session_state.get(AUTH_STAMP) or "")


def touch_activity() -> None:
    """Record an interaction of the logged-in user now (the idle timeout restarts)."""
    st.session_state[LAST_ACTIVITY] = time.monotonic()


def idle_seconds() -> float | None:
    """Seconds since the last recorded interaction (``None`` when none was recorded)."""
    last = st.session_state.get(LAST_ACTIVITY)
    return time.monotonic() - float(last) if isinstance(last, (int, float)) else None


def client_key() -> str:
    """This browser session's random throttling key (made on first use)."""
    key = st.session_state.get(CLIENT_KEY)
    if not isinstance(key, str) or not key:
        key = secrets.token_hex(16)
        st.session_state[CLIENT_KEY] = key
    return key


def reset_session(notice: str = "") -> None:
    """Forget everything this browser session holds, so the next person at the PC sees nothing of it.

    Clears every session-state key — the user, widget values, form inputs, cached per-user results,
    audit bookkeeping — and the URL's query parameters (``?posting=``, ``?seeker=``). The server-wide
    ``st.cache_*`` caches stay: they are keyed by query, hold nothing of a session, and what a user
    may see of them is decided by their own role and employer on every run.

    Args:
        notice: Korean note the login page shows once (why the user was logged out), or "".
    """
    st.session_state.clear()
    st.query_params.clear()
    if notice:
        st.session_state[LOGIN_NOTICE] = notice

# hiring simulator (pages/hiring_simulator.py) and its policy view (pages/hiring_policy.py)
NEW_POSTING = "new"
"""Value of the posting picker meaning "enter a new posting" (ids are ints, so no clash)."""
HIRING_POSTING_ID = "hiring.posting_id"
"""Posting picker: a posting id (int) or :data:`NEW_POSTING`."""
HIRING_POSTING_QUERY = "posting"
"""Query parameter that opens a posting directly (``/hiring?posting=123``); checked like the picker."""
HIRING_OCCUPATION_FILTER = "hiring.occupation_filter"
HIRING_NEW_KECO = "hiring.new.keco"
HIRING_NEW_REGION = "hiring.new.region"
HIRING_NEW_SIZE = "hiring.new.size"
HIRING_WHATIF_WAGE = "hiring.whatif.wage"
HIRING_WHATIF_HOURS = "hiring.whatif.hours"
HIRING_WHATIF_EMPLOYMENT = "hiring.whatif.employment"
HIRING_WHATIF_WELFARE = "hiring.whatif.welfare"
HIRING_WHATIF_CAREER = "hiring.whatif.career"
HIRING_WHATIF_YEARS = "hiring.whatif.years"
HIRING_WHATIF_EDUCATION = "hiring.whatif.education"
HIRING_WHATIF_RESET = "hiring.whatif.reset"
HIRING_WHATIF_FOR = "hiring.whatif.for"
"""Which posting the what-if widgets were filled from (a change refills them)."""
HIRING_WHATIF_KEYS: tuple[str, ...] = (
    HIRING_WHATIF_WAGE, HIRING_WHATIF_HOURS, HIRING_WHATIF_EMPLOYMENT, HIRING_WHATIF_WELFARE,
    HIRING_WHATIF_CAREER, HIRING_WHATIF_YEARS, HIRING_WHATIF_EDUCATION,
)
HIRING_TARGET = "hiring.plan.target"
HIRING_PLAN_BUTTON = "hiring.plan.run"
HIRING_PLANS = "hiring.plan.result"
"""Last computed plans as plain dicts, with the input they were computed for."""
HIRING_SCENARIO_NAME = "hiring.scenario.name"
HIRING_SCENARIO_SAVE = "hiring.scenario.save"
HIRING_SCENARIO_DELETE = "hiring.scenario.delete"
HIRING_SCENARIO_DELETE_BUTTON = "hiring.scenario.delete_button"
HIRING_SCENARIO_NOTICE = "hiring.scenario.notice"
AUDIT_LOG_DOWNLOAD_ERROR = "audit_log.download_error"
"""Korean note of an audit-log download whose record failed (the callback runs before the page)."""
AUDIT_LAST_LOGGED = "audit.last"
"""Maps "username|model|action" to the input hash last written to the audit log (no duplicate row per rerun)."""
HIRING_RISK_THRESHOLD = "hiring_policy.threshold"
# the hiring loop: apply to the posting, its history, consulting (pages/hiring_*.py)
HIRING_APPLY_WHATIF = "hiring.apply.whatif"
HIRING_APPLY_PLAN = "hiring.apply.plan."
"""Prefix of the per-plan apply buttons (``hiring.apply.plan.1`` …)."""
HIRING_APPLY_SCENARIO = "hiring.apply.scenario"
HIRING_APPLY_SCENARIO_BUTTON = "hiring.apply.scenario_button"
HIRING_APPLY_NOTICE = "hiring.apply.notice"
"""(kind, Korean message) of the last apply, shown once after the page reruns with the new version."""
HIRING_CONSULT_REASON = "hiring.consult.reason"
HIRING_CONSULT_CONTACT = "hiring.consult.contact"
HIRING_CONSULT_NOTICE = "hiring.consult.notice"
HIRING_POLICY_OPEN_POSTING = "hiring_policy.open.posting"
HIRING_POLICY_OPEN_REASON = "hiring_policy.open.reason"
HIRING_POLICY_CASE = "hiring_policy.case"
HIRING_POLICY_ASSIGNEE = "hiring_policy.case.assignee"
HIRING_POLICY_NOTE = "hiring_policy.case.note"
HIRING_POLICY_STATUS = "hiring_policy.case.status"
HIRING_POLICY_OUTCOME = "hiring_policy.case.outcome"
HIRING_POLICY_NOTICE = "hiring_policy.notice"
HIRING_POLICY_PENDING = "hiring_policy.pending"


def audit_last_logged() -> dict[str, str]:
    """Maps "username|model|action" to the input hash last written to the audit log in this session."""
    value = st.session_state.get(AUDIT_LAST_LOGGED)
    return dict(value) if isinstance(value, dict) else {}


def set_audit_last_logged(slot: str, input_hash: str) -> None:
    """Remember that ``slot`` ("username|model|action") was logged for ``input_hash``."""
    logged = audit_last_logged()
    logged[slot] = input_hash
    st.session_state[AUDIT_LAST_LOGGED] = logged


# employment-success pages (pages/employment_*.py)
EMPLOYMENT_SEEKER_ID = "employment.seeker_id"
"""The seeker whose profile is open (an int); the caseload's row selection sets it."""
EMPLOYMENT_SEEKER_QUERY = "seeker"
"""Query parameter that opens a profile directly (``/seeker-profile?seeker=123``)."""
EMPLOYMENT_SEEKER_SEARCH = "employment.seeker_search"
"""The seeker picker's search (seeker number, masked name or desired occupation)."""
EMPLOYMENT_FILTER_BANDS = "employment.caseload.bands"
EMPLOYMENT_FILTER_REGIONS = "employment.caseload.regions"
EMPLOYMENT_FILTER_MAJOR = "employment.caseload.major"
EMPLOYMENT_FILTER_SEARCH = "employment.caseload.search"
EMPLOYMENT_FILTER_DAYS = "employment.caseload.min_days"
EMPLOYMENT_CASELOAD_TABLE = "employment.caseload.table"
EMPLOYMENT_CASELOAD_SORT = "employment.caseload.sort"
"""Order of the caseload table (a key of ``app.services.employment.CASELOAD_SORTS``)."""
EMPLOYMENT_WHATIF_WAGE = "employment.whatif.wage"
EMPLOYMENT_WHATIF_FLEXIBLE = "employment.whatif.flexible"
EMPLOYMENT_WHATIF_TRAINING = "employment.whatif.training"
EMPLOYMENT_WHATIF_CERTIFICATES = "employment.whatif.certificates"
EMPLOYMENT_WHATIF_FOR = "employment.whatif.for"
"""Which seeker the what-if widgets were filled from (another seeker refills them)."""
EMPLOYMENT_OVERRIDE_BAND = "employment.override.band"
EMPLOYMENT_OVERRIDE_REASON = "employment.override.reason"
EMPLOYMENT_OVERRIDE_NOTICE = "employment.override.notice"
EMPLOYMENT_OVERRIDE_ERROR = "employment.override.error"
"""Korean refusal of the last override save, shown once under the form."""
EMPLOYMENT_POLICY_HIGH = "employment.policy.high"
EMPLOYMENT_POLICY_LOW = "employment.policy.low"
EMPLOYMENT_POLICY_NOTE = "employment.policy.note"
EMPLOYMENT_POLICY_NOTICE = "employment.policy.notice"


# job-ad verification pages (pages/ad_*.py)
AD_QUEUE_TABLE = "ad_review.table"
AD_QUEUE_POSTING = "ad_review.posting"
AD_QUEUE_DECISIONS = "ad_review.filter.decisions"
AD_QUEUE_RULES = "ad_review.filter.rules"
AD_QUEUE_LAWS = "ad_review.filter.laws"
AD_QUEUE_REVIEWED = "ad_review.filter.reviewed"
AD_REVIEW_DECISION = "ad_review.form.decision"
AD_REVIEW_COMMENT = "ad_review.form.comment"
AD_REVIEW_NOTICE = "ad_review.notice"
AD_REVIEW_ERROR = "ad_review.error"
"""Korean refusal of the last review save, shown once under the form."""
AD_REVIEW_AUDIT_FAILED = "ad_review.audit_failed"
"""Korean note, shown once after the rerun, that a saved review's audit row could not be written."""
AD_RULES_TEXT = "ad_rules.text"
AD_RULES_NOTE = "ad_rules.note"
AD_RULES_NOTICE = "ad_rules.notice"
AD_RULES_TEST_TITLE = "ad_rules.test.title"
AD_RULES_TEST_BODY = "ad_rules.test.body"
AD_RULES_VIEW = "ad_rules.view_version"
AD_CHECK_COMPANY = "ad_check.company"
AD_CHECK_TITLE = "ad_check.title"
AD_CHECK_BODY = "ad_check.body"
AD_CHECK_WAGE_TYPE = "ad_check.wage_type"
AD_CHECK_WAGE = "ad_check.wage"
AD_CHECK_HOURS = "ad_check.hours"
AD_CHECK_CONTACT = "ad_check.contact"
AD_CHECK_RESULT = "ad_check.result"
AD_CHECK_CHECKED = "ad_check.checked"
"""The last checked draft and its verdict decision (plain dict), so it can be saved after the rerun."""
AD_CHECK_KECO = "ad_check.save.keco"
AD_CHECK_REGION = "ad_check.save.region"
AD_CHECK_EMPLOYMENT = "ad_check.save.employment"
AD_CHECK_NOTICE = "ad_check.notice"

# posting assistant (구인공고 AI 작성지원)
PA_ANSWERS = "posting_assistant.answers"
"""Parsed answer values so far (dict of AssistantAnswers fields)."""
PA_RAW = "posting_assistant.raw"
"""The employer's answer text per step (prefills the compact form)."""
PA_DONE = "posting_assistant.done"
"""Step keys answered, in order."""
PA_MESSAGES = "posting_assistant.messages"
"""Chat log: list of {"role": "assistant"|"user", "content": str}."""
PA_EDIT_STEP = "posting_assistant.edit_step"
"""Step being answered again (None: the next unanswered one)."""
PA_KECO = "posting_assistant.keco"
PA_KECO_OTHER = "posting_assistant.keco_other"
PA_DRAFT_META = "posting_assistant.draft_meta"
"""How the draft was made: {"backend", "notices", "keco_code", "fell_back"}."""
PA_SECTION = "posting_assistant.section."
"""Prefix of the text-area keys of the draft (title and each section)."""
PA_SAVED = "posting_assistant.saved"
PA_CHAT = "posting_assistant.chat"
PA_FORM = "posting_assistant.form."
PA_FORM_ERRORS = "posting_assistant.form_errors"

# 상담 요청과 동의: the seeker's request box and privacy choice, the counsellors' overview
SEEKER_REQUEST_ID = "seeker_requests.request_id"
"""The request a seeker opened by link (an int; checked to be theirs before it is shown)."""
SEEKER_REQUEST_QUERY = "request"
"""Query parameter that opens one request (``/my-requests?request=12``)."""
SEEKER_REQUESTS_NOTICE = "seeker_requests.notice"
SEEKER_PRIVACY_NOTICE = "seeker_privacy.notice"
TALENT_REQUESTS_STATUS = "talent_requests.status"

TALENT_MODE = "talent.mode"
"""인재 추천: how to search ("posting" or "sentence")."""
TALENT_POSTING_ID = "talent.posting_id"
"""인재 추천: the chosen posting id."""
TALENT_OCCUPATION_FILTER = "talent.occupation_filter"
"""인재 추천 (staff): the occupation narrowing the posting picker."""
TALENT_SENTENCE = "talent.sentence"
"""인재 추천: the sentence typed."""
TALENT_CHIPS = "talent.chips"
"""인재 추천: prefix of the chips multiselect (one per sentence, so a new sentence starts with all chips)."""
TALENT_COMPARE = "talent.compare"
"""인재 추천: prefix of the comparison's candidate choice."""

# 직업흥미검사 (pages/interest_test.py) and its item-bank health (pages/interest_policy.py)
INTEREST_TAKING = "interest.taking"
"""The session id being answered in this browser session (set by 시작/이어서 하기, cleared by 잠시 멈추기)."""
INTEREST_SHOWN = "interest.shown"
"""``{"session": id, "item": id, "at": time.time()}`` of the question on screen (its answer time is measured from it)."""
INTEREST_ANSWER = "interest.answer."
"""Prefix of the answer radio's key (one per session and item, so the next item starts unanswered)."""
INTEREST_CONFIRM_RESTART = "interest.confirm_restart"
"""Set while the 처음부터 다시 confirmation is open (the session id it would abandon)."""
INTEREST_NOTICE = "interest.notice"
"""Korean note shown once after a rerun (paused, restarted)."""
INTEREST_NEXT = "interest.next"
"""The test state the last answer returned (its next question), used once by the rerun that
follows instead of working the next question out a second time."""

# 상담 계획 (the training plan on pages/employment_profile.py)
TRAINING_PLAN_REMOVE_CHOICE = "training.plan.remove_choice"
"""The course chosen to be removed from the seeker's plan."""
TRAINING_PLAN_REMOVE = "training.plan.remove"
"""The 계획에서 빼기 button."""
TRAINING_PLAN_NOTICE = "training.plan.notice"
"""Korean note shown once after a rerun (a course removed)."""
TRAINING_RECOMMEND_NOTICE = "training.recommend.notice"
"""One-shot success message on the 훈련 추천 page (a course added to the plan, a question answered)."""
TRAINING_QUESTION_NOTICE = "seeker_training.question.notice"
"""One-shot success message on the seeker's training page (a question sent)."""
