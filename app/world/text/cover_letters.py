"""자기소개서 (cover letters): 성장 과정, 지원 동기, 직무 역량, 입사 후 포부."""

from __future__ import annotations

from typing import Final

from app.world.identity import RandomSource, UniformStream, as_stream
from app.world.text.facts import SeekerFacts, _s
from app.world.text.particles import _jo, _ro

__all__ = ["compose_cover_letter"]


_TRAITS: Final = ("꼼꼼한", "밝고 긍정적인", "차분한", "호기심이 많은", "책임감이 강한", "배려심 있는")
_ACTIVITIES: Final = ("봉사", "학생회", "동아리", "아르바이트", "체육대회 준비", "멘토링")
_ACHIEVE: Final = (
    "업무 처리 시간을 줄였습니다", "고객 불만을 크게 줄였습니다", "팀의 목표 달성에 기여했습니다",
    "실수 없이 업무를 마무리해 신뢰를 얻었습니다", "새 직원 교육을 맡기도 했습니다",
)
_CL_HEADERS: Final = ("성장 과정", "지원 동기", "직무 역량", "입사 후 포부")


def _cl_growth(d: UniformStream, s: SeekerFacts) -> str:
    opts = [
        f"저는 {s.region_name}에서 나고 자랐습니다." if _s(s.region_name) else "저는 평범한 가정에서 자랐습니다.",
        f"어려서부터 {d.pick(_TRAITS)} 성격이라는 말을 자주 들었습니다.",
        f"학창 시절 {d.pick(_ACTIVITIES)} 활동을 하며 책임감과 협동심을 배웠습니다.",
        "작은 일도 끝까지 해내는 것을 중요하게 생각하며 자랐습니다.",
        "여러 사람과 함께 일하며 서로 돕는 즐거움을 일찍 알게 되었습니다.",
        "부모님께서는 늘 성실함의 가치를 강조하셨습니다.",
    ]
    if _s(s.major):
        opts.append(f"{_jo(s.major, '을', '를')} 전공하며 관련 분야에 대한 관심을 키웠습니다.")
    return " ".join(d.sample(opts, 2 + (d.u() < 0.4)))


def _cl_motive(d: UniformStream, s: SeekerFacts) -> str:
    desired = s.desired_occupation.name
    opts = [
        f"{_ro(desired)}서 전문성을 키우고 싶어 지원하게 되었습니다.",
        f"귀사의 {desired} 채용 공고를 보고, 그동안 쌓아 온 경험을 살릴 수 있다고 생각해 지원했습니다.",
        "안정적으로 오래 일할 수 있는 직장에서 제 역량을 발휘하고 싶습니다.",
    ]
    work_region = _s(s.desired_region_name) or _s(s.region_name)
    if work_region:
        opts.append(f"{work_region} 지역에서 오래 일하며 지역 사회에 보탬이 되고 싶습니다.")
    if s.last_occupation is not None and s.career_years >= 1:
        opts.append(f"{s.last_occupation.name} 분야에서 {int(s.career_years)}년 넘게 일하며 얻은 경험을 "
                    "바탕으로 새로운 도전을 하고자 합니다.")
    return " ".join(d.sample(opts, 2))


def _cl_skill(d: UniformStream, s: SeekerFacts) -> str:
    opts = ["꼼꼼함과 성실함을 가장 큰 강점으로 생각합니다."]
    if s.skills:
        sk = d.sample(s.skills, 2)
        opts.append(f"{', '.join(sk)}에 자신이 있습니다.")
    if s.certificates:
        opts.append(f"{d.pick(s.certificates)} 자격을 취득하며 관련 지식을 체계적으로 익혔습니다.")
    occ = s.last_occupation
    if occ is not None and occ.duty_phrases and s.career_years > 0:
        opts.append(f"이전 직장에서 {d.pick(occ.duty_phrases)} 업무를 맡아 {d.pick(_ACHIEVE)}.")
    elif s.skills:
        opts.append(f"경력은 없지만 {_jo(d.pick(s.skills), '을', '를')} 꾸준히 공부하며 준비해 왔습니다.")
    return " ".join(d.sample(opts, 2))


def _cl_plan(d: UniformStream, s: SeekerFacts, contact: bool) -> str:
    desired = s.desired_occupation
    opts = [
        f"입사 후에는 {desired.name} 업무를 빠르게 익혀 팀에 보탬이 되겠습니다.",
        "항상 배우는 자세로 동료들과 협력하겠습니다.",
        "회사와 함께 성장하는 직원이 되겠습니다.",
    ]
    if desired.certificates:
        opts.append(f"3년 안에 {desired.certificates[-1]} 자격을 갖추어 전문성을 높이겠습니다.")
    parts = d.sample(opts, 2)
    if contact:
        if d.u() < 0.6:
            parts.append(f"연락처 {_ro(s.phone)} 연락 주시면 면접에 성실히 임하겠습니다.")
        else:
            parts.append(f"궁금하신 점은 {_ro(s.email)} 문의해 주시기 바랍니다.")
    return " ".join(parts)


def compose_cover_letter(
    rng: RandomSource, s: SeekerFacts, *, include_contact: bool | None = None
) -> str:
    """Write a 자기소개서 of four short paragraphs: 성장 과정, 지원 동기, 직무 역량, 입사 후 포부.

    Args:
        rng: Source of randomness.
        s: The seeker.
        include_contact: Force the inline phone/e-mail sentence on/off; ``None`` draws it with
            p = 0.25.

    Returns:
        The letter; headers vary ("[성장 과정]", "1. 성장 과정", none …).
    """
    d = as_stream(rng, 96)
    if include_contact is None:
        include_contact = d.u() < 0.25
    paras = (_cl_growth(d, s), _cl_motive(d, s), _cl_skill(d, s), _cl_plan(d, s, include_contact))
    style = d.idx(5)
    out = []
    for i, (h, p) in enumerate(zip(_CL_HEADERS, paras, strict=True), 1):
        if style == 0:
            out.append(f"[{h}]\n{p}")
        elif style == 1:
            out.append(f"{i}. {h}\n{p}")
        elif style == 2:
            out.append(f"■ {h.replace(' ', '')}\n{p}")
        elif style == 3:
            out.append(f"<{h}>\n{p}")
        else:
            out.append(p)
    return "\n\n".join(out)
