"""Roles and who may open which page (no Streamlit, no passwords here).

Who may open what is decided by one table, :data:`PAGE_ACCESS`. The router builds the navigation
from it and every page checks it again (``components.auth.require_role``), so a hidden page cannot
be opened by typing its URL either. :data:`PAGES` lists every page of the app and
:data:`ROLE_LABELS` every role with its Korean name. Accounts and logins live in :mod:`app.auth`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

Role = Literal["employer", "counsellor", "policy", "seeker"]

ROLE_LABELS: Final[dict[str, str]] = {
    "employer": "구인기업",
    "counsellor": "직업상담사",
    "policy": "정책·운영",
    "seeker": "구직자",
}
"""Korean label of every role (also the list of valid roles)."""

_ALL_ROLES: Final[frozenset[str]] = frozenset(ROLE_LABELS)
_STAFF: Final[frozenset[str]] = frozenset({"counsellor", "policy"})
_EMPLOYER_AND_POLICY: Final[frozenset[str]] = frozenset({"employer", "policy"})
_POLICY: Final[frozenset[str]] = frozenset({"policy"})
_COUNSELLOR: Final[frozenset[str]] = frozenset({"counsellor"})
_TALENT: Final[frozenset[str]] = frozenset({"employer", "counsellor", "policy"})
_SEEKER: Final[frozenset[str]] = frozenset({"seeker"})
_SEEKER_AND_COUNSELLOR: Final[frozenset[str]] = frozenset({"seeker", "counsellor"})

PAGE_ACCESS: Final[Mapping[str, frozenset[str]]] = {
    # pages (each has a PageSpec below)
    "home": _ALL_ROLES,
    "explorer": _ALL_ROLES,
    # AI 기본법 transparency notice: every role sees every model's card (logged-out visitors see only the
    # login page: the app has no public pages, and the people affected reach it through staff)
    "transparency": _ALL_ROLES,
    # employers see only their own postings there; policy staff see every posting
    "hiring": _EMPLOYER_AND_POLICY,
    "hiring_policy": _POLICY,
    # individual seekers' risk profiles are for counsellors only; policy staff see aggregates
    "employment_caseload": _COUNSELLOR,
    "employment_profile": _COUNSELLOR,
    "employment_policy": _POLICY,
    # job-ad verification: reviewers (policy/admin staff) work the queue and edit the rules;
    # employers check their drafts before saving (policy staff may try the checker too)
    "ad_review": _POLICY,
    "ad_rules": _POLICY,
    "ad_check": _EMPLOYER_AND_POLICY,
    # the audit log of AI outputs and command runs: policy staff only (who saw what, when)
    "audit_log": _POLICY,
    # posting assistant: employers write and save their own postings; policy staff may try it
    # (a demonstration, nothing is saved without an employer account)
    "posting_assistant": _EMPLOYER_AND_POLICY,
    # 인재 추천: employers search for their own postings, counsellors for any (and by sentence);
    # policy staff may demonstrate it (contact requests are sent by employers only)
    "talent": _TALENT,
    # 구직자 (job seekers): postings recommended to them, the requests sent to them, and whether they
    # are recommended at all
    "seeker_jobs": _SEEKER,
    "seeker_requests": _SEEKER,
    "seeker_privacy": _SEEKER,
    # 직업흥미검사: seekers take it themselves; counsellors administer it to a seeker of their caseload.
    # The item bank's health (no individual's answers) is for policy staff
    "interest_test": _SEEKER_AND_COUNSELLOR,
    "interest_policy": _POLICY,
    # the requests between employers and seekers (masked names): counsellors follow them up
    "talent_requests": _COUNSELLOR,
    # 직업훈련추천: counsellors for a seeker of their caseload (and the plan), seekers for themselves,
    # policy staff the aggregates (which courses, to whom, what happened afterwards)
    "training": _COUNSELLOR,
    "seeker_training": _SEEKER,
    "training_policy": _POLICY,
    # 상담 지원 AI: counsellors prepare a seeker of their caseload; seekers see their own cover-letter
    # feedback and roadmap (simplified, no risk band); employers and policy staff never see either
    "copilot": _COUNSELLOR,
    "seeker_copilot": _SEEKER,
    # 서비스 이용 병목: aggregates of the online-service event logs, for policy staff
    "service_bottlenecks": _POLICY,
    # 성과·모델 모니터링: service KPIs against their targets and every model's drift, calibration, fairness
    # and override checks (aggregates only): policy staff
    "monitoring": _POLICY,
    # 자격증 가치 (issue 19): aggregates of certificate holders' outcomes, for policy staff and the
    # counsellors who advise seekers on which certificate to take
    "certificate_value": _STAFF,
    # 토픽 분석 (issue 19): course titles and masked counselling notes, aggregated; policy staff only
    "topics": _POLICY,
    # parts of pages: seekers are personal data, so only staff see even the pseudonymous table
    "explorer.seekers": _STAFF,
}
"""Page (or page part) id -> roles allowed. The single source of truth for navigation and guards."""

NAV_SECTIONS: Final[tuple[str, ...]] = ("공통", "구인기업", "구직·상담", "구직자", "정책·운영")
"""Navigation sections by audience, in display order."""


@dataclass(frozen=True)
class PageSpec:
    """One navigable page. Who may open it is looked up in :data:`PAGE_ACCESS` by ``page_id``.

    Attributes:
        page_id: Key of :data:`PAGE_ACCESS` (the page calls ``require_role(page_id)`` first).
        path: Page script relative to the project root (file pages only: AppTest can reach them).
        title: Korean title in the navigation.
        url_path: URL path (ASCII, stable: e2e tests and bookmarks use it).
        section: One of :data:`NAV_SECTIONS`.
        icon: Material icon (emoji render as tofu in headless browsers).
        default: The page shown after login.
    """

    page_id: str
    path: str
    title: str
    url_path: str
    section: str
    icon: str = ""
    default: bool = False


PAGES: Final[tuple[PageSpec, ...]] = (
    PageSpec("home", "pages/home.py", "홈", "home", "공통", ":material/home:", default=True),
    PageSpec("explorer", "pages/explorer.py", "데이터 탐색기", "explorer", "공통", ":material/table_view:"),
    PageSpec("transparency", "pages/transparency.py", "AI 투명성 안내", "ai-transparency", "공통",
             ":material/verified_user:"),
    PageSpec("hiring", "pages/hiring_simulator.py", "채용 시뮬레이터", "hiring", "구인기업", ":material/tune:"),
    PageSpec(
        "hiring_policy", "pages/hiring_policy.py", "채용 위험 공고 현황", "hiring-policy", "정책·운영",
        ":material/warning:",
    ),
    PageSpec("posting_assistant", "pages/posting_assistant.py", "구인공고 AI 작성지원", "posting-assistant", "구인기업",
             ":material/edit_note:"),
    PageSpec("ad_check", "pages/ad_check.py", "공고 사전 점검", "ad-check", "구인기업", ":material/fact_check:"),
    PageSpec("talent", "pages/talent.py", "인재 추천", "talent", "구인기업", ":material/person_search:"),
    PageSpec(
        "employment_caseload", "pages/employment_caseload.py", "구직자 위험 현황", "caseload", "구직·상담",
        ":material/groups:",
    ),
    PageSpec(
        "employment_profile", "pages/employment_profile.py", "구직자 프로파일", "seeker-profile", "구직·상담",
        ":material/person_search:",
    ),
    PageSpec(
        "talent_requests", "pages/talent_requests.py", "채용 상담 요청 현황", "talent-requests", "구직·상담",
        ":material/forum:",
    ),
    PageSpec("training", "pages/training.py", "훈련 추천", "training", "구직·상담", ":material/school:"),
    PageSpec("copilot", "pages/copilot.py", "상담 지원", "copilot", "구직·상담", ":material/assistant:"),
    PageSpec("seeker_jobs", "pages/seeker_jobs.py", "추천 일자리", "my-jobs", "구직자", ":material/work:"),
    PageSpec("seeker_requests", "pages/seeker_requests.py", "상담 요청함", "my-requests", "구직자", ":material/inbox:"),
    PageSpec("seeker_privacy", "pages/seeker_privacy.py", "내 정보 공개", "my-privacy", "구직자",
             ":material/visibility_off:"),
    PageSpec("interest_test", "pages/interest_test.py", "직업흥미검사", "interest-test", "구직자", ":material/psychology:"),
    PageSpec("seeker_training", "pages/seeker_training.py", "나에게 맞는 훈련", "my-training", "구직자",
             ":material/school:"),
    PageSpec("seeker_copilot", "pages/seeker_copilot.py", "자기소개서·경력 설계", "my-career", "구직자",
             ":material/edit_document:"),
    PageSpec(
        "employment_policy", "pages/employment_policy.py", "취업 위험도 기준·공정성", "employment-policy", "정책·운영",
        ":material/balance:",
    ),
    PageSpec("ad_review", "pages/ad_review.py", "구인광고 검증 대기열", "ad-review", "정책·운영", ":material/policy:"),
    PageSpec("ad_rules", "pages/ad_rules.py", "검증 규칙 관리", "ad-rules", "정책·운영", ":material/rule:"),
    PageSpec("interest_policy", "pages/interest_policy.py", "흥미검사 문항은행 현황", "interest-policy", "정책·운영",
             ":material/quiz:"),
    PageSpec("training_policy", "pages/training_policy.py", "훈련 추천 현황", "training-policy", "정책·운영",
             ":material/insights:"),
    PageSpec("service_bottlenecks", "pages/service_bottlenecks.py", "서비스 이용 병목", "service-bottlenecks", "정책·운영",
             ":material/troubleshoot:"),
    PageSpec("monitoring", "pages/monitoring.py", "성과·모델 모니터링", "monitoring", "정책·운영",
             ":material/monitoring:"),
    PageSpec("certificate_value", "pages/certificate_value.py", "자격증 가치", "certificate-value", "정책·운영",
             ":material/workspace_premium:"),
    PageSpec("topics", "pages/topics.py", "토픽 분석", "topics", "정책·운영", ":material/topic:"),
    PageSpec("audit_log", "pages/audit_log.py", "AI 감사 로그", "audit-log", "정책·운영", ":material/receipt_long:"),
)
"""Every page of the app; add new pages here and their roles to :data:`PAGE_ACCESS`."""


def can_access(role: str | None, page_id: str) -> bool:
    """Tell whether ``role`` may open ``page_id``.

    Unknown pages and unknown roles are refused (fail closed), so a page that forgot to register
    in :data:`PAGE_ACCESS` is never shown to anybody.

    Args:
        role: Role key such as ``"employer"`` (``None`` = not logged in).
        page_id: Key of :data:`PAGE_ACCESS`.

    Returns:
        True when the role is listed for that page.
    """
    if role is None:
        return False
    return role in PAGE_ACCESS.get(page_id, frozenset())


def pages_for_role(role: str | None) -> dict[str, list[PageSpec]]:
    """Pages ``role`` may open, grouped by navigation section (empty sections left out).

    Args:
        role: Role key (``None`` = not logged in: no pages).

    Returns:
        Section -> pages, sections in :data:`NAV_SECTIONS` order, pages in :data:`PAGES` order.
    """
    out: dict[str, list[PageSpec]] = {}
    for section in NAV_SECTIONS:
        pages = [p for p in PAGES if p.section == section and can_access(role, p.page_id)]
        if pages:
            out[section] = pages
    return out


def allowed_roles_label(page_id: str) -> str:
    """Korean list of the roles that may open ``page_id`` (e.g. ``"직업상담사·정책·운영"``)."""
    roles = PAGE_ACCESS.get(page_id, frozenset())
    # keep the ROLE_LABELS order so messages are stable
    labels = [label for key, label in ROLE_LABELS.items() if key in roles]
    return ", ".join(labels) if labels else "(없음)"
