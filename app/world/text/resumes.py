"""이력서 (résumés) with the seeker's PII where real ones carry it."""

from __future__ import annotations

import datetime as dt
from typing import Final

from app.text.korean import format_wage
from app.world.identity import RandomSource, UniformStream, as_stream, make_company_name
from app.world.text.facts import OccupationText, SeekerFacts, _s
from app.world.text.money import _round_manwon

__all__ = ["compose_resume"]


_DEFAULT_AS_OF: Final = dt.date(2026, 1, 1)
_SCHOOL_STEMS: Final = (
    "한빛", "새솔", "대성", "중앙", "동산", "신흥", "제일", "명덕", "세화", "경신", "한울", "청운", "정의",
    "수원", "안산", "부천", "청주", "천안", "전주", "창원", "김해", "포항", "구미", "춘천", "원주", "제주",
    "목포", "진주", "대전", "울산", "인천", "광주", "대구", "부산", "서울",
)
_COLLEGE_KIND: Final = ("대학교", "과학대학교", "보건대학교", "전문대학", "대학")
_CAREER_INDUSTRIES: Final = ("C", "G", "I", "Q", "N", "F", "H", "J", "M", "P")
_CAREER_IND_CUM: Final = (0.25, 0.40, 0.50, 0.62, 0.72, 0.79, 0.86, 0.92, 0.96, 1.0)
_RANKS: Final = ("사원", "주임", "대리", "과장", "팀장")
_RANK_YEARS: Final = (2, 4, 7, 11)
_NAT_TECH: Final = ("기능사", "기사", "산업기사", "기능장", "기술사")


def _ym(m: int, fmt: int) -> str:
    y, mo = divmod(m, 12)
    mo += 1
    if fmt == 0:
        return f"{y}.{mo:02d}"
    if fmt == 1:
        return f"{y}-{mo:02d}"
    return f"{y}년 {mo}월"


def _months(n: int) -> str:
    y, m = divmod(n, 12)
    if y and m:
        return f"{y}년 {m}개월"
    return f"{y}년" if y else f"{m}개월"


def _dept(major: str) -> str:
    if not major:
        return ""
    if major.endswith("과"):
        return major
    return major + ("과" if major.endswith("학") else "학과")


def _education_rows(d: UniformStream, s: SeekerFacts, fmt: int) -> tuple[list[str], int]:
    """Education lines (chronological) and the month index when schooling ended."""
    by = s.birth_date.year
    hs_end = (by + 19) * 12 + 1  # February of the year they turn 19
    rows: list[str] = []
    # the record's level is "중졸이하" (app.reference.codes.SEEKER_EDUCATION): without the spaces
    # removed it fell through to a 고등학교 졸업 line, contradicting the record the model reads
    edu = s.education.replace(" ", "")
    if edu in ("중졸", "중졸이하", "초졸"):
        end = (by + 16) * 12 + 1
        rows.append(f"{_ym(end - 35, fmt)} ~ {_ym(end, fmt)}  {d.pick(_SCHOOL_STEMS)}중학교 졸업")
        return rows, end
    rows.append(f"{_ym(hs_end - 35, fmt)} ~ {_ym(hs_end, fmt)}  {d.pick(_SCHOOL_STEMS)}고등학교 졸업")
    end = hs_end
    military = 24 if (s.sex == "M" and d.u() < 0.7) else 0
    dept = _dept(_s(s.major))
    if edu in ("전문대졸", "대졸", "석사", "박사"):
        start = hs_end + 1 + (12 if d.u() < 0.15 else 0)
        years = (2 + (d.u() < 0.3)) if edu == "전문대졸" else 4
        end = start + years * 12 + military - 1
        school = d.pick(_SCHOOL_STEMS) + (d.pick(_COLLEGE_KIND) if edu == "전문대졸" else "대학교")
        # "(2년제)"/"(4년제)" as real résumés write it: a 전문대학 may be called 대학교, and a reader
        # (or a parser checking the record) must still tell 전문대졸 from 대졸
        rows.append(f"{_ym(start, fmt)} ~ {_ym(end, fmt)}  {school} {dept} 졸업 ({years}년제)".replace("  졸업", " 졸업"))
        if edu in ("석사", "박사"):
            g_start = end + 1
            end = g_start + 23
            rows.append(f"{_ym(g_start, fmt)} ~ {_ym(end, fmt)}  {d.pick(_SCHOOL_STEMS)}대학교 대학원 {dept} 석사"
                        .replace("  석사", " 석사"))
            if edu == "박사":
                p_start = end + 1
                end = p_start + 47
                rows.append(f"{_ym(p_start, fmt)} ~ {_ym(end, fmt)}  같은 대학원 박사 졸업")
    elif edu not in ("고졸", ""):
        rows.append(f"최종 학력: {edu}")
    return rows, end


def _career_rows(
    d: UniformStream, s: SeekerFacts, edu_end: int, now: int, fmt: int
) -> list[str]:
    total = int(round(s.career_years * 12))
    if total <= 0:
        return []
    k = 1 if total < 24 else 1 + min(3, int(d.u() * (1 + total / 36)))
    k = max(1, min(k, total // 3))
    weights = [0.5 + d.u() for _ in range(k)]
    wsum = sum(weights)
    durs = [max(3, int(total * w / wsum)) for w in weights]
    gaps = [d.between(0, 6) for _ in range(k - 1)]
    # Seekers mostly left their last job recently; anchor the end there and fit backwards.
    last_end = now - d.between(1, 18)
    span = sum(durs) + sum(gaps)
    if last_end - span < edu_end:
        gaps = [0] * (k - 1)
        span = sum(durs)
        last_end = max(last_end, min(now - 1, edu_end + span))
    start = max(edu_end + 1, last_end - span + 1)
    occ_last = s.last_occupation or s.desired_occupation
    rows_chrono: list[tuple[int, int, str, OccupationText]] = []
    m = start
    cum_years = 0.0
    for i in range(k):
        occ = occ_last if (i == k - 1 or d.u() < 0.6) else s.desired_occupation
        end = min(m + durs[i] - 1, now - 1)
        company = make_company_name(d, d.weighted(_CAREER_INDUSTRIES, _CAREER_IND_CUM))
        cum_years += (end - m + 1) / 12
        rank = _RANKS[sum(cum_years >= y for y in _RANK_YEARS)]
        position = occ.name if d.u() < 0.4 else rank
        rows_chrono.append((m, end, f"{company}  {position}", occ))
        m = end + 1 + (gaps[i] if i < len(gaps) else 0)
        if m >= now:
            break
    lines: list[str] = []
    show_len = d.u() < 0.6
    duty_label = d.pick(("담당 업무: ", "주요 업무: ", ""))
    for a, b, head, occ in reversed(rows_chrono):
        span_txt = f" ({_months(b - a + 1)})" if show_len else ""
        lines.append(f"{_ym(a, fmt)} ~ {_ym(b, fmt)}  {head}{span_txt}")
        duties = occ.duty_phrases or (f"{occ.name} 업무",)
        picked = d.sample(duties, 1 + int(d.u() * min(3, len(duties))))
        if duty_label:
            lines.append(f"   {duty_label}{', '.join(picked)}")
        else:
            lines.extend(f"   - {p}" for p in picked)
    return lines


def _cert_rows(d: UniformStream, s: SeekerFacts, edu_end: int, now: int, fmt: int) -> list[str]:
    rows = []
    lo = edu_end - 18
    for cert in s.certificates:
        when = lo + d.idx(max(1, now - lo))
        issuer = " (한국산업인력공단)" if cert.endswith(_NAT_TECH) and d.u() < 0.5 else ""
        rows.append((when, f"{_ym(when, fmt)}  {cert}{issuer}"))
    rows.sort()
    return [r for _, r in rows]


def _header(style: int, i: int, name: str) -> str:
    if style == 0:
        return f"[{name}]"
    if style == 1:
        return f"■ {name}"
    if style == 2:
        return f"{i}. {name}"
    return f"< {name} >"


def compose_resume(
    rng: RandomSource,
    s: SeekerFacts,
    *,
    include_rrn: bool | None = None,
    as_of: dt.date = _DEFAULT_AS_OF,
) -> str:
    """Write a Korean 이력서 that contains the seeker's PII where real ones do.

    Sections: 인적 사항 (성명, 생년월일, 주민등록번호 in ~60 % of résumés, 휴대전화, 이메일, 주소),
    학력, 경력 (companies, periods and duties from the occupation), 자격증, 보유 기술, 희망 근무 조건.

    Args:
        rng: Source of randomness.
        s: The seeker.
        include_rrn: Force the 주민등록번호 line on/off; ``None`` draws it with p = 0.6.
        as_of: Date the résumé is written (careers end before it): the registration date in a
            generated world.

    Returns:
        The résumé text. ``s.phone``, ``s.email`` and ``s.address`` always occur verbatim;
        ``s.rrn`` occurs verbatim exactly when the RRN line was included.
    """
    d = as_stream(rng, 192)
    if include_rrn is None:
        include_rrn = d.u() < 0.6
    fmt = d.idx(3)
    hstyle = d.idx(4)
    sep = d.pick((": ", " : ", " | "))
    now = as_of.year * 12 + as_of.month - 1
    out: list[str] = [d.pick(("이 력 서", "이력서", "[이력서]", "입사지원서 (이력서)"))]
    out.append("")

    bd = s.birth_date
    bfmt = d.idx(3)
    birth = (f"{bd.year}년 {bd.month}월 {bd.day}일" if bfmt == 0
             else f"{bd.year}.{bd.month:02d}.{bd.day:02d}" if bfmt == 1 else bd.isoformat())
    if d.u() < 0.4:
        age = s.age if s.age is not None else as_of.year - bd.year - ((as_of.month, as_of.day) < (bd.month, bd.day))
        birth += f" (만 {age}세)"
    person = [
        (d.pick(("성명", "성 명", "이름")), s.name),
        ("생년월일", birth),
    ]
    if d.u() < 0.3:
        person.append(("성별", "남" if s.sex == "M" else "여"))
    if include_rrn:
        person.append((d.pick(("주민등록번호", "주민번호")), s.rrn))
    person.append((d.pick(("휴대전화", "휴대폰", "연락처", "H.P")), s.phone))
    person.append((d.pick(("이메일", "E-mail", "전자우편")), s.email))
    person.append((d.pick(("주소", "현주소", "거주지 주소")), s.address))
    out.append(_header(hstyle, 1, d.pick(("인적 사항", "인적사항", "기본 정보"))))
    out.extend(f"{k}{sep}{v}" for k, v in person)

    edu_rows, edu_end = _education_rows(d, s, fmt)
    if d.u() < 0.5:
        edu_rows.reverse()
    out += ["", _header(hstyle, 2, d.pick(("학력 사항", "학력사항", "학력"))), *edu_rows]

    career = _career_rows(d, s, edu_end, now, fmt)
    out += ["", _header(hstyle, 3, d.pick(("경력 사항", "경력사항", "경력")))]
    out += career or [d.pick(("없음 (신입)", "해당 없음", "경력 없음"))]

    n = 4
    if s.certificates:
        out += ["", _header(hstyle, n, d.pick(("자격증", "자격 사항", "자격·면허"))),
                *_cert_rows(d, s, edu_end, now, fmt)]
        n += 1
    if s.skills:
        out += ["", _header(hstyle, n, d.pick(("보유 기술", "활용 가능 기술", "보유 역량")))]
        out.append(", ".join(s.skills) if d.u() < 0.6 else "\n".join(f"- {x}" for x in s.skills))
        n += 1

    w = _round_manwon(s.desired_wage_monthly)
    r = d.u()
    if r < 0.6:
        wage = format_wage("monthly", w, style="exact") + d.pick(("", " 이상", " (협의 가능)"))
    elif r < 0.85:
        wage = format_wage("annual", w * 12, style="exact") + d.pick(("", " 이상", " (협의 가능)"))
    else:
        wage = f"{format_wage('monthly', w, style='exact')} 수준 (회사 내규에 따름)"
    wish = [
        ("희망 직종", s.desired_occupation.name),
        ("희망 급여", wage),
        ("희망 근무지", _s(s.desired_region_name) or _s(s.region_name) or "협의 가능"),
    ]
    if d.u() < 0.4:
        wish.append(("입사 가능일", d.pick(("즉시 가능", "협의 후 결정", "2주 이내"))))
    out += ["", _header(hstyle, n, d.pick(("희망 근무 조건", "희망 조건", "희망 사항")))]
    out.extend(f"{k}{sep}{v}" for k, v in wish)

    if d.u() < 0.5:
        out += ["", "위 기재 사항은 사실과 다름이 없습니다.",
                f"{as_of.year}년 {as_of.month}월 {as_of.day}일", f"작성자 {s.name} (인)"]
    return "\n".join(out)
