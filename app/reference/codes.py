"""The one copy of every code list of the product: wage types, employment types, career and
education levels, welfare codes the law requires, and the employment services.

Plain tuples and dicts with no imports, so that the world generator, the importers, the models,
the services and the pages all read the same lists (reference tables with more columns, such as
occupations or regions, are :mod:`app.reference.tables`).
"""

from __future__ import annotations

from typing import Final

WAGE_TYPES: Final[tuple[str, ...]] = ("hourly", "daily", "monthly", "annual")
WAGE_TYPE_LABELS: Final[dict[str, str]] = {"hourly": "시급", "daily": "일급", "monthly": "월급", "annual": "연봉"}
"""Wage type -> the Korean word postings use for it."""

EMPLOYMENT_TYPES: Final[tuple[str, ...]] = ("정규직", "계약직", "시간제", "일용직")
FULL_TIME_TYPES: Final[tuple[str, ...]] = ("정규직", "계약직", "일용직")
"""Employment types that are full-time jobs (시간제 is part-time by definition)."""

CAREER_LEVELS: Final[tuple[str, ...]] = ("신입", "경력무관", "경력")
EDUCATION_LEVELS: Final[tuple[str, ...]] = ("무관", "고졸", "전문대졸", "대졸", "석사")
"""Education a posting asks for (무관: none required)."""
SEEKER_EDUCATION: Final[tuple[str, ...]] = ("중졸이하", "고졸", "전문대졸", "대졸", "석사")
"""Highest education of a job seeker."""

WORK_PATTERNS: Final[tuple[str, ...]] = ("주간", "야간", "교대", "주말", "재택")
"""When and where a person can work, as a talent search asks for it (주간: daytime hours, 야간: night
work, 교대: shift work, 주말: weekend work, 재택: working from home)."""

SOCIAL_INSURANCE: Final[str] = "W01"
"""Welfare code of 4대보험 (social insurance; mandatory for most jobs)."""
STATUTORY_WELFARE: Final[frozenset[str]] = frozenset({"W01", "W02", "W03"})
"""Welfare items the law requires anyway: 4대보험, 퇴직금, 연차휴가 (not an extra benefit)."""

SERVICES: Final[tuple[str, ...]] = ("training", "matching", "nes", "counselling")
"""Employment services a job seeker can receive (keys of :data:`SERVICE_LABELS`)."""
SERVICE_LABELS: Final[dict[str, str]] = {
    "training": "직업훈련 수료",
    "matching": "집중 취업알선",
    "nes": "국민취업지원제도 참여",
    "counselling": "심층 직업상담",
}

_WAGE_TYPE_OF_LABEL: Final[dict[str, str]] = {label: code for code, label in WAGE_TYPE_LABELS.items()}


def wage_type_code(wage_type: str) -> str:
    """The wage-type code of a code or its Korean name, e.g. ``"시급" -> "hourly"``.

    Raises:
        ValueError: For anything else (Korean message naming the allowed values).
    """
    if wage_type in WAGE_TYPES:
        return wage_type
    code = _WAGE_TYPE_OF_LABEL.get(wage_type)
    if code is None:
        raise ValueError(f"알 수 없는 임금 형태입니다: {wage_type!r} (hourly, daily, monthly, annual 중 하나)")
    return code

# --------------------------------------------------------------------------- online-service logs (issue 19)

ONLINE_SERVICE_CODES: Final[dict[str, str]] = {
    "실업급여 신청": "unemployment_benefit",
    "구직신청": "job_application",
    "국민취업지원제도(취업지원)": "employment_support",
    "내일배움카드 신청": "learning_card",
    "육아휴직 급여 신청": "parental_leave",
}
"""Online services of the 고용24 event logs -> the ASCII code of their Parquet partition folder."""
LOG_STATUSES: Final[tuple[str, ...]] = ("ok", "error", "retry", "dropout")
"""Event status of a log row: done first time, a failed attempt, done after a failed attempt, abandoned here."""
LOG_STATUS_LABELS: Final[dict[str, str]] = {"ok": "정상", "error": "오류", "retry": "재시도 후 성공", "dropout": "이탈"}
LOG_DEVICES: Final[tuple[str, ...]] = ("PC", "모바일", "앱")
LOG_USER_TYPES: Final[tuple[str, ...]] = ("구직자", "재직자")
LOG_AGE_BANDS: Final[tuple[tuple[int, str], ...]] = ((29, "29세 이하"), (39, "30대"), (49, "40대"), (59, "50대"),
                                                      (200, "60세 이상"))
"""(highest age, label) of the age bands of the logs, youngest first."""
LOG_VISIT_LABELS: Final[dict[bool, str]] = {True: "첫 방문", False: "재방문"}
LOG_ERROR_LABELS: Final[dict[str, str]] = {
    "E-AUTH-401": "본인인증 실패",
    "E-TIMEOUT-504": "응답 시간 초과",
    "E-UPLOAD-413": "첨부 파일 업로드 실패",
    "E-VALID-422": "입력값 검증 오류",
    "E-SERVER-500": "서버 오류",
    "E-MEDIA-PLAY": "동영상 재생 오류",
}
"""Error codes of the logs -> what the user met, in Korean."""
