"""상담일지 (counsellor notes): short 개조식 entries per session and topic."""

from __future__ import annotations

from app.text.korean import format_wage
from app.world.identity import RandomSource, UniformStream, as_stream
from app.world.text.facts import SeekerFacts, _s
from app.world.text.money import _round_manwon
from app.world.text.particles import _ro

__all__ = ["compose_counsellor_note"]


def _topic_sentence(d: UniformStream, s: SeekerFacts, topic: str) -> str:
    desired = s.desired_occupation.name
    t = topic.replace(" ", "")
    if "진로" in t:
        opts = [f"희망 직종을 {_ro(desired)} 정하고 관련 구인 정보를 함께 검토함.",
                "직업선호도검사 결과를 바탕으로 진로 방향을 논의함."]
        if s.last_occupation is not None and s.last_occupation.name != desired:
            opts.append(f"{s.last_occupation.name}에서 {_ro(desired)}의 전직 가능성을 상담함.")
        return d.pick(opts)
    if "이력서" in t or "첨삭" in t:
        return d.pick(("이력서의 경력 사항을 직무 중심으로 정리하도록 첨삭함.",
                       "자기소개서의 지원 동기 부분을 구체적으로 보완하도록 권유함.",
                       "이력서에 주민등록번호 등 불필요한 개인정보는 적지 않도록 안내함."))
    if "훈련" in t or "내일배움" in t:
        opts = [f"국민내일배움카드 발급 절차와 {desired} 관련 훈련 과정을 안내함.",
                "고용24에서 훈련 과정을 검색하는 방법을 설명함."]
        if s.desired_occupation.certificates:
            opts.append(f"{s.desired_occupation.certificates[0]} 취득을 위한 훈련 과정 수강을 권유함.")
        return d.pick(opts)
    if "구직급여" in t or "실업" in t or "수급" in t:
        if s.benefit_status:
            return d.pick(("구직급여 수급 중으로 재취업 활동 인정 기준을 안내함.",
                           "구직급여 실업인정일 일정과 구직 활동 인정 방법을 다시 설명함."))
        return d.pick(("구직급여 수급 자격 요건(이직 사유, 피보험 단위기간)을 안내함.",
                       "구직급여 신청 절차와 필요 서류를 설명함."))
    if "심리" in t or "정서" in t:
        return d.pick(("장기 구직으로 인한 무기력감을 호소하여 심리 상담 프로그램을 연계함.",
                       "스트레스 관리 방법을 안내하고 다음 회기에 경과를 확인하기로 함.",
                       "구직 과정의 불안감에 대해 이야기를 나누고 지지함."))
    if "알선" in t or "구인" in t:
        return d.pick((f"{desired} 구인 공고 {d.between(2, 6)}건을 알선함.",
                       f"희망 임금 {format_wage('monthly', _round_manwon(s.desired_wage_monthly), style='exact')} 수준의 구인처를 함께 검토함."))
    if "면접" in t:
        return d.pick(("모의 면접을 진행하고 답변 구성에 대해 피드백함.",
                       "면접 예상 질문을 함께 정리하고 복장·태도를 점검함."))
    if "국민취업" in t:
        return d.pick(("국민취업지원제도 참여 신청 절차를 안내함.",
                       "취업활동계획 수립을 위한 면담을 진행함."))
    return f"{topic} 관련 상담을 진행함."


def compose_counsellor_note(
    rng: RandomSource,
    s: SeekerFacts,
    *,
    session_no: int,
    topics: tuple[str, ...],
    include_pii: bool | None = None,
) -> str:
    """Write a short 상담일지 entry (2-5 sentences, 개조식 "~함." style).

    Args:
        rng: Source of randomness.
        s: The seeker.
        session_no: Session number (1-based).
        topics: Topics such as ``("진로 상담", "이력서 첨삭")``; known ones (진로 상담, 이력서
            첨삭, 훈련 안내, 구직급여 수급 안내, 심리 지원, 취업 알선, 면접 준비, 국민취업지원제도)
            get specific sentences, others a generic one.
        include_pii: Force a sentence with the seeker's phone or address on/off; ``None`` draws
            it with p = 0.2.

    Returns:
        The note; when PII is included, ``s.phone`` or ``s.address`` occurs verbatim.
    """
    d = as_stream(rng, 48)
    if include_pii is None:
        include_pii = d.u() < 0.2
    topics = topics or ("진로 상담",)
    r = d.idx(4)
    prefix = (f"[{session_no}회차] ", f"{session_no}차 상담: ", f"{session_no}회기. ", "")[r]
    openings = ("전화로 상담을 진행함.", "대면 상담을 진행함.", "화상으로 상담을 진행함.", "내방하여 상담을 진행함.")
    if _s(s.name):
        openings += (f"{s.name} 님 내방하여 상담을 진행함.", f"{s.name} 구직자와 면담함.")
    opening = d.pick(openings)
    sentences: list[str] = []
    if d.u() < 0.6:
        sentences.append(opening)
    for topic in topics[:3]:
        sentences.append(_topic_sentence(d, s, topic))
    pii = ""
    if include_pii:
        if d.u() < 0.5:
            pii = d.pick((f"연락처 변경({s.phone}) 확인함.", f"추후 {_ro(s.phone)} 결과를 안내하기로 함."))
        else:
            pii = d.pick((f"거주지({s.address}) 인근 구인처 위주로 탐색하기로 함.",
                          f"주소지 {s.address} 기준으로 통근 가능 지역을 확인함."))
    closing = d.pick((
        "다음 상담은 2주 후로 예정함.", f"{session_no + 1}회차에 진행 상황을 확인할 예정임.",
        "추후 유선으로 진행 상황을 확인할 예정임.", "구직 의욕이 높아 보임.",
    ))
    # Keep 2-5 sentences: the PII sentence, if any, is never the one dropped.
    room = 5 - (1 if pii else 0)
    sentences = sentences[:room]
    if len(sentences) + (1 if pii else 0) < 2 or d.u() < 0.5:
        if len(sentences) < room:
            sentences.append(closing)
    if pii:
        sentences.insert(d.between(0, len(sentences)), pii)
    return prefix + " ".join(sentences)
