"""Lawful, natural Korean job postings composed section by section from :class:`PostingFacts`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.reference.codes import wage_type_code
from app.text.korean import format_wage
from app.world.identity import RandomSource, UniformStream, as_stream
from app.world.text.bullets import _BULLETS, _PLAIN_BULLETS, _render
from app.world.text.facts import PostingFacts, PostingText
from app.world.text.particles import _jo
from app.world.text.posting_vocab import (
    _APPLY_HOW,
    _CAREER_ANY,
    _CAREER_NEW,
    _CONTACT_LABELS,
    _DAY_START,
    _DAY_TEXT,
    _DOC_NOTES,
    _DUTY_INTRO,
    _DUTY_TAIL,
    _EDU_REQ,
    _INTRO_CLOSE,
    _INTRO_MIDDLE,
    _PART_START,
    _PERSON_ENDINGS,
    _PREF_GENERIC,
    _PROCESS_NOTES,
    _PROCESS_SEP,
    _PROCESS_STEPS,
    _SKILL_REQ,
    _SOFT_REQ,
    _TITLE_VERB,
)

__all__ = ["compose_posting"]


def _num(x: float) -> str:
    """40.0 -> "40", 37.5 -> "37.5"."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _schedule(d: UniformStream, weekly: float, employment_type: str) -> tuple[str, str, str]:
    """Return (hours line value, days text, break text) for the weekly hours."""
    if weekly <= 12:
        days = 2 if weekly <= 6 else 3
    elif weekly <= 45:
        days = 5
    elif weekly <= 60:
        days = 6
    else:
        days = 7
    daily = weekly / days
    # Statutory breaks (근로기준법 54조): 30 min from 4 h, 60 min from 8 h.
    brk = 60 if daily >= 8 else 30 if daily >= 4 else 0
    start = d.pick(_DAY_START if daily >= 7 and employment_type != "시간제" else _PART_START)
    end = start + int(round(daily * 60 / 10.0)) * 10 + brk
    start_s = f"{(start // 60) % 24:02d}:{start % 60:02d}"
    end_s = f"{(end // 60) % 24:02d}:{end % 60:02d}"
    hours = f"주 {_num(weekly)}시간"
    brk_s = f"휴게 {brk // 60}시간" if brk == 60 else (f"휴게 {brk}분" if brk else "")
    r = d.idx(4)
    if r == 0:
        value = f"{hours}, {start_s}~{end_s}"
    elif r == 1:
        value = f"{start_s}~{end_s} ({_DAY_TEXT[days][:4]}, {hours})"
    elif r == 2:
        value = f"{hours} / {start_s}~{end_s}" + (f" ({brk_s} 포함)" if brk_s else "")
    else:
        value = f"{hours}, {start_s}~{end_s}" + (f" ({brk_s})" if brk_s else "")
    if employment_type == "일용직":
        value = f"1일 {_num(round(daily, 1))}시간, {start_s}~{end_s} ({hours} 기준)"
    return value, _DAY_TEXT[days], brk_s


def _wage_extra(d: UniformStream, wt: str) -> str:
    r = d.u()
    if wt == "hourly":
        return d.pick(("", " (주휴수당 별도 지급)", " (주휴수당 별도)", "")) if r < 0.8 else ""
    if wt == "monthly":
        return d.pick(("", " (세전)", " (경력에 따라 협의)", " + 성과급 별도", " (면접 후 협의 가능)")) if r < 0.7 else ""
    if wt == "annual":
        return d.pick(("", " (세전, 퇴직금 별도)", " (퇴직금 별도)", " 이상(협의 가능)")) if r < 0.7 else ""
    return d.pick(("", " (월 단위 정산)", " (주 단위 정산)")) if r < 0.6 else ""


def _career_tag(career: str) -> str:
    return "신입" if career == "신입" else "경력" if career == "경력" else "신입·경력"


def _title(d: UniformStream, f: PostingFacts, wage: str) -> str:
    """Core template + verb + optional tag/suffix: hundreds of shapes for one occupation."""
    company = f.company_name
    occ = f.occupation.name
    if not occ.endswith(_PERSON_ENDINGS) and d.u() < 0.4:
        occ += " 직원"
    region = f.region_name
    emp = f.employment_type
    verb = d.pick(_TITLE_VERB)
    r = d.idx(10)
    if not region and r in (1, 3, 8):
        r = (0, 2, 4)[r % 3]  # templates that need a region fall back to company ones
    if r == 0:
        t = f"[{company}] {occ} {verb}"
    elif r == 1:
        t = f"{region} {occ} {emp} {verb}"
    elif r == 2:
        t = f"{company} {occ} {_career_tag(f.career)} {verb}"
    elif r == 3:
        t = f"({region}) {occ} {verb}"
    elif r == 4:
        t = f"{occ} {verb} - {company}"
    elif r == 5:
        t = f"{company}에서 {_jo(occ, '을', '를')} {d.pick(('모집합니다', '채용합니다', '찾습니다', '모십니다'))}"
    elif r == 6:
        t = f"{occ} {verb} ({wage})"
    elif r == 7:
        t = f"함께 일할 {occ} 찾습니다 | {company}"
    elif r == 8:
        t = f"{region} {company} {occ} {d.pick(('채용 공고', '모집 공고', '채용', '구인'))}"
    else:
        t = f"{_jo(company, '이', '가')} {_jo(occ, '을', '를')} 찾습니다"
    tag = d.u()
    if tag < 0.08:
        t = d.pick(("[급구] ", "(급구) ", "[상시채용] ")) + t
    elif tag < 0.2:
        t = f"[{d.pick((emp, _career_tag(f.career), f.welfare[0] if f.welfare else emp))}] {t}"
    elif tag < 0.3 and region and region not in t:
        t = f"[{region}] {t}"
    elif tag < 0.38 and wage not in t:
        t = f"{t} ({wage})"
    return t


def _company_intro(d: UniformStream, f: PostingFacts) -> str:
    company = f.company_name
    industry = f.industry_name or f"{f.occupation.name} 관련"
    r = d.idx(5)
    if not f.region_name and r in (0, 2, 4):
        r = 1 if r < 4 else 3
    if r == 0:
        first = f"{_jo(company, '은', '는')} {f.region_name}에 위치한 {industry} 전문 기업입니다."
    elif r == 1:
        first = (f"{_jo(company, '은', '는')} {d.between(1988, 2021)}년 설립 이후 {industry} 분야에서 "
                 "꾸준히 성장해 온 회사입니다.")
    elif r == 2:
        first = f"저희 {_jo(company, '은', '는')} {f.region_name} 지역을 기반으로 {industry} 사업을 하고 있습니다."
    elif r == 3:
        first = f"{industry} 분야에서 {d.pick((5, 10, 15, 20, 30))}년 넘게 고객의 신뢰를 쌓아 온 {company}입니다."
    else:
        first = (f"{f.region_name}에 자리한 {_jo(company, '은', '는')} {industry} 업체로, "
                 f"직원 {d.between(5, 300)}명이 함께 일하고 있습니다.")
    parts = [first]
    c = f.completeness
    for s in d.sample(_INTRO_MIDDLE, 1 + (d.u() < c)):
        parts.append(s)
    if d.u() < 0.6:
        parts.append(d.pick(_INTRO_CLOSE))
    sep = " " if d.u() < 0.7 else "\n"
    return sep.join(parts)


def _duty_line(p: str, style: int) -> str:
    has_work = p.endswith("업무")
    if style == 0:
        return p
    if style == 1:
        return p if has_work else f"{p} 업무"
    if style == 2:
        return f"{p} 담당"
    if style == 3:
        return f"{p}{'를' if has_work else ' 업무를'} 담당합니다"
    if style == 4:
        return f"{p}{'' if has_work else ' 업무'} 수행"
    return p


def _duties(d: UniformStream, f: PostingFacts, bullet: str) -> str:
    occ = f.occupation
    phrases = occ.duty_phrases or (f"{occ.name} 관련 업무 전반", f"{occ.name} 업무 보조")
    c = f.completeness
    n = len(phrases)
    k = max(1, min(n, round(n * (0.45 + 0.55 * c)) + d.between(-1, 1)))
    chosen = list(phrases[:k]) if d.u() < 0.25 else d.sample(phrases, k)
    style = d.idx(6)
    lines = [_duty_line(p, style if d.u() < 0.85 else d.idx(5)) for p in chosen]
    if style == 5:
        lines[-1] += " 등"  # "…, 프로그램 진행 보조 등": only the last item trails off
    if d.u() < 0.2 + 0.3 * c:
        lines.append(d.pick(_DUTY_TAIL).format(occ.name))
    body = _render(bullet, lines)
    if d.u() < 0.25:
        return d.pick(_DUTY_INTRO) + "\n" + body
    return body


def _requirements(
    d: UniformStream, f: PostingFacts, bullet: str, required_cert: str | None
) -> str:
    c = f.completeness
    edu = d.pick(_EDU_REQ.get(f.education, (f"학력: {f.education}",)))
    if f.career == "신입":
        career = d.pick(_CAREER_NEW)
    elif f.career == "경력":
        yrs = max(1, int(f.min_career_years))
        career = d.pick((f"경력 {yrs}년 이상", f"관련 경력 {yrs}년 이상",
                         f"{f.occupation.name} 경력 {yrs}년 이상인 분", f"해당 직무 {yrs}년 이상 경력자"))
    else:
        career = d.pick(_CAREER_ANY)
    lines = [edu, career] if d.u() < 0.6 else [career, edu]
    if required_cert:
        lines.append(d.pick((f"{required_cert} 소지자", f"{required_cert} 자격증 필수",
                             f"{required_cert} 취득자", f"{required_cert} 보유 필수")))
    skills = f.occupation.skills
    if skills:
        for s in d.sample(skills, int(d.u() * (1 + 2 * c)) + (d.u() < 0.5)):
            lines.append(d.pick(_SKILL_REQ).format(s))
    for s in d.sample(_SOFT_REQ, int(d.u() * (1 + 2.2 * c))):
        lines.append(s)
    if d.u() < 0.25:
        lines = d.shuffled(lines)
    if d.u() < 0.15 and len(lines) >= 2:
        # Terse employers write everything on one line.
        return " / ".join(lines)
    return _render(bullet, lines)


def _preferred(d: UniformStream, f: PostingFacts, bullet: str, certs: Sequence[str]) -> str:
    c = f.completeness
    lines: list[str] = []
    for cert in certs:
        lines.append(d.pick((f"{cert} 소지자", f"{cert} 보유자", f"{cert} 자격 소지자")))
    extra = d.sample(_PREF_GENERIC, 1 + int(d.u() * (1 + 2 * c)))
    lines.extend(extra)
    if f.occupation.skills and d.u() < 0.4:
        lines.append(f"{d.pick(f.occupation.skills)} 실무 경험자")
    lines = d.sample(lines, max(1, round(len(lines) * (0.5 + 0.5 * c))))
    if d.u() < 0.35:
        lines = [ln + " 우대" for ln in lines]
    return _render(bullet, lines)


def _conditions(d: UniformStream, f: PostingFacts, bullet: str, wage: str) -> str:
    sep = d.pick((": ", " : ", ": ", " | "))
    emp = f.employment_type
    if emp == "정규직" and d.u() < 0.35:
        emp += d.pick((" (수습 3개월, 급여 100% 지급)", " (수습 3개월)", " (수습 기간 없음)"))
    elif emp == "계약직" and d.u() < 0.5:
        emp += d.pick((" (계약 기간 1년, 연장 가능)", " (6개월 계약 후 정규직 전환 검토)", " (1년 계약)"))
    hours, days, _ = _schedule(d, float(f.weekly_hours), f.employment_type)
    wage_line = wage + _wage_extra(d, wage_type_code(f.wage_type))
    label_wage = d.pick(("급여", "임금", "급여 조건", "보수"))
    label_hours = d.pick(("근무시간", "근무 시간", "근로시간"))
    items = [
        (d.pick(("고용형태", "고용 형태", "근무 형태")), emp),
        (label_wage, wage_line),
        (label_hours, hours),
        (d.pick(("근무요일", "근무 요일", "근무일")), days),
        (d.pick(("근무지", "근무 지역", "근무 장소")), f.region_name or "면접 시 안내"),
        (d.pick(("모집 인원", "채용 인원", "모집인원")), f"{int(f.headcount)}명"),
    ]
    if d.u() < 0.35 and days[:4] not in hours:
        # The schedule sometimes shares one line with the hours.
        items[2] = (label_hours, f"{days}, {hours}")
        del items[3]
    if d.u() < 0.3:
        head, rest = items[:1], items[1:]
        items = head + d.shuffled(rest)
    if f.completeness < 0.35 and d.u() < 0.5:
        # Sloppy employers give one summary line.
        return " / ".join(x for x in (f.employment_type, wage_line, hours, f.region_name) if x)
    return _render(bullet, [f"{k}{sep}{v}" for k, v in items])


def _benefits(d: UniformStream, f: PostingFacts, bullet: str) -> str:
    items = list(f.welfare)
    if not items:
        return ""
    k = max(1, round(len(items) * (0.5 + 0.5 * f.completeness)) + d.between(-1, 0))
    items = items[:k] if d.u() < 0.5 else d.sample(items, k)
    r = d.idx(4)
    if r == 0:
        return _render(bullet, items)
    if r == 1:
        return ", ".join(items)
    if r == 2:
        return " / ".join(items)
    return " · ".join(items)


def _process(d: UniformStream, f: PostingFacts, bullet: str) -> str:
    steps = d.pick(_PROCESS_STEPS)
    lines = [d.pick(_PROCESS_SEP).join(steps)]
    for note in d.sample(_PROCESS_NOTES, int(d.u() * (1 + 2 * f.completeness))):
        lines.append(note)
    if len(lines) == 1:
        return lines[0]
    # Notes under the step line read as a plain list; numbering them would look like more steps.
    note_bullet = bullet if bullet in _PLAIN_BULLETS else "- "
    return lines[0] + "\n" + _render(note_bullet, lines[1:])


def _documents(
    d: UniformStream, f: PostingFacts, bullet: str, has_certs: bool
) -> str:
    c = f.completeness
    docs = ["이력서"]
    if d.u() < 0.3 + 0.5 * c:
        docs.append("자기소개서")
    if f.career == "경력" and d.u() < 0.75:
        docs.append("경력증명서")
    elif f.career == "경력무관" and d.u() < 0.3:
        docs.append("경력증명서(경력자에 한함)")
    if has_certs and d.u() < 0.7:
        docs.append("자격증 사본")
    if f.education not in ("무관", "") and d.u() < 0.2:
        docs.append("최종학력 졸업증명서")
    r = d.idx(4)
    if r == 0:
        head = ", ".join(f"{x} 1부" if "(" not in x else x for x in docs)
    elif r == 1:
        head = _render(bullet, docs)
    elif r == 2:
        head = " 및 ".join(docs) + (" (자유 양식)" if d.u() < 0.5 else "")
    else:
        head = ", ".join(docs)
    lines = [head]
    sep = d.pick((": ", " : "))
    if d.u() < 0.3 + 0.5 * c:
        lines.append(f"{d.pick(('접수 방법', '지원 방법'))}{sep}{d.pick(_APPLY_HOW)}")
    lines.append(f"{d.pick(_CONTACT_LABELS)}{sep}{f.contact_phone}" + d.pick(("", "", " (평일 09:00~18:00)")))
    if d.u() < 0.25 * c:
        lines.append(d.pick(_DOC_NOTES))
    return "\n".join(lines)


def compose_posting(rng: RandomSource, facts: PostingFacts) -> PostingText:
    """Write a lawful, natural Korean job posting from structured facts.

    Args:
        rng: Source of randomness (a numpy Generator or a shared stream).
        facts: What the employer offers; ``completeness`` controls how much they write.

    Returns:
        The posting, with the wage shown Korean-style exactly as :func:`app.text.korean.format_wage` (``style="exact"``) prints
        it (``"월 250만원"``) and the hours as ``"주 40시간, 09:00~18:00"``. Documents asked
        for are only lawful ones (이력서, 자기소개서, 경력증명서, 자격증 사본, 졸업증명서).

    Raises:
        ValueError: On an unknown wage type or non-positive weekly hours.
    """
    if not facts.weekly_hours or facts.weekly_hours <= 0:
        raise ValueError(f"주당 근로시간은 0보다 커야 합니다 (입력값: {facts.weekly_hours})")
    d = as_stream(rng, 160)
    c = min(1.0, max(0.0, float(facts.completeness)))
    if c != facts.completeness:
        facts = replace(facts, completeness=c)
    wage = format_wage(facts.wage_type, facts.wage_amount, style="exact")
    main_bullet = d.pick(_BULLETS)

    def bullet() -> str:
        # Most employers keep one bullet style; some mix styles between sections.
        return main_bullet if d.u() < 0.8 else d.pick(_BULLETS)

    # Optional sections appear with a probability that rises with completeness.
    p_opt = 0.1 + 0.85 * c
    certs = list(facts.occupation.certificates)
    required_cert = certs.pop(0) if certs and d.u() < 0.35 else None
    title = _title(d, facts, wage)
    intro = _company_intro(d, facts) if d.u() < p_opt else ""
    duties = _duties(d, facts, bullet())
    requirements = _requirements(d, facts, bullet(), required_cert)
    preferred = _preferred(d, facts, bullet(), certs) if d.u() < p_opt else ""
    conditions = _conditions(d, facts, bullet(), wage)
    benefits = _benefits(d, facts, bullet())
    process = _process(d, facts, bullet()) if d.u() < p_opt else ""
    documents = _documents(d, facts, bullet(), bool(facts.occupation.certificates))
    return PostingText(
        title=title,
        company_intro=intro,
        duties=duties,
        requirements=requirements,
        preferred=preferred,
        conditions=conditions,
        benefits=benefits,
        process=process,
        documents=documents,
        company_name=facts.company_name,
    )
