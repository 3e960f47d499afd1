"""Synthetic Korean identities: names, RRNs, business numbers, phones, e-mails, addresses, companies.

Every function draws its randomness from a caller-supplied ``numpy.random.Generator`` so that a
seeded world is reproducible: the same generator state always yields the same strings. Nothing here
touches the global ``random`` module or an unseeded Faker.

Speed matters: the large world makes about a million seekers, so the vocabularies are tuples built
once at import, and each call pulls one small block of uniforms from the generator
(:class:`UniformStream`) instead of paying numpy's per-call overhead for every choice.

All people, numbers and companies are fictitious. RRN check digits follow the pre-October-2020
rule and business numbers the National Tax Service rule (domain-facts §6) so that detectors and
validators can be tested against well-formed values.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from itertools import accumulate
from typing import Final, Sequence, TypeVar

import numpy as np

__all__ = [
    "AREA_CODES",
    "Identity",
    "KSIC_SECTIONS",
    "REGION_FULL_NAMES",
    "REGION_NAMES",
    "RandomSource",
    "UniformStream",
    "as_stream",
    "business_no_is_valid",
    "make_address",
    "make_business_no",
    "make_company_name",
    "make_email",
    "make_identity",
    "make_landline",
    "make_mobile",
    "make_person_name",
    "make_rrn",
    "normalise_region_code",
    "romanise_name",
    "rrn_check_digit_ok",
]

T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# Fast random stream
# --------------------------------------------------------------------------------------------
class UniformStream:
    """Buffered uniforms in [0, 1) drawn from a numpy ``Generator``.

    A scalar ``rng.integers`` costs about 1 µs on the project machine while ``rng.random(n)``
    costs about 1 µs for a whole block, so composing a document from ~100 choices through a block
    is several times faster. The stream is deterministic: it consumes the generator in fixed-size
    blocks, so the same generator state gives the same sequence of choices.

    Args:
        rng: The generator to draw from (advanced by this stream).
        block: Number of uniforms fetched per refill.
    """

    __slots__ = ("_rng", "_buf", "_i", "_block")

    def __init__(self, rng: np.random.Generator, block: int = 32) -> None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng은 numpy.random.Generator여야 합니다 (입력: {type(rng).__name__})")
        self._rng = rng
        self._block = block
        self._buf: list[float] = rng.random(block).tolist()
        self._i = 0

    def u(self) -> float:
        """Return the next uniform in [0, 1)."""
        i = self._i
        if i >= self._block:
            # Double the block each refill: long documents need few refills.
            self._block *= 2
            self._buf = self._rng.random(self._block).tolist()
            i = 0
        self._i = i + 1
        return self._buf[i]

    def idx(self, n: int) -> int:
        """Return a uniform integer in ``[0, n)``."""
        return int(self.u() * n)

    def between(self, lo: int, hi: int) -> int:
        """Return a uniform integer in ``[lo, hi]`` (both inclusive)."""
        return lo + int(self.u() * (hi - lo + 1))

    def pick(self, seq: Sequence[T]) -> T:
        """Return one element of a non-empty sequence, uniformly."""
        return seq[int(self.u() * len(seq))]

    def chance(self, p: float) -> bool:
        """Return True with probability ``p``."""
        return self.u() < p

    def weighted(self, items: Sequence[T], cum: Sequence[float]) -> T:
        """Pick from ``items`` using precomputed cumulative weights ``cum`` (last = total)."""
        return items[bisect.bisect_right(cum, self.u() * cum[-1])]

    def shuffled(self, seq: Sequence[T]) -> list[T]:
        """Return a shuffled copy (Fisher-Yates on the stream)."""
        out = list(seq)
        for i in range(len(out) - 1, 0, -1):
            j = int(self.u() * (i + 1))
            out[i], out[j] = out[j], out[i]
        return out

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        """Return ``k`` distinct elements in random order (``k`` is clipped to ``len(seq)``)."""
        out = list(seq)
        n = len(out)
        k = min(k, n)
        for i in range(k):
            j = i + int(self.u() * (n - i))
            out[i], out[j] = out[j], out[i]
        return out[:k]


RandomSource = np.random.Generator | UniformStream
"""Either a numpy Generator or a stream already drawing from one (lets callers share a stream)."""


def as_stream(rng: RandomSource, block: int = 32) -> UniformStream:
    """Return ``rng`` itself if it is a :class:`UniformStream`, else a new stream over it."""
    return rng if isinstance(rng, UniformStream) else UniformStream(rng, block)


def _cum(weights: Sequence[float]) -> tuple[float, ...]:
    return tuple(accumulate(weights))


# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------
REGION_NAMES: Final[dict[str, str]] = {
    "11": "서울", "26": "부산", "27": "대구", "28": "인천", "29": "광주", "30": "대전",
    "31": "울산", "36": "세종", "41": "경기", "43": "충북", "44": "충남", "45": "전북",
    "46": "전남", "47": "경북", "48": "경남", "50": "제주", "51": "강원",
}
"""HRD-Net 2-digit 시도 code -> short name."""

REGION_FULL_NAMES: Final[dict[str, str]] = {
    "11": "서울특별시", "26": "부산광역시", "27": "대구광역시", "28": "인천광역시",
    "29": "광주광역시", "30": "대전광역시", "31": "울산광역시", "36": "세종특별자치시",
    "41": "경기도", "43": "충청북도", "44": "충청남도", "45": "전북특별자치도", "46": "전라남도",
    "47": "경상북도", "48": "경상남도", "50": "제주특별자치도", "51": "강원특별자치도",
}
"""HRD-Net 시도 code -> official name used in road-name addresses (강원 2023-, 전북 2024-)."""

AREA_CODES: Final[dict[str, str]] = {
    "11": "02", "26": "051", "27": "053", "28": "032", "29": "062", "30": "042", "31": "052",
    "36": "044", "41": "031", "43": "043", "44": "041", "45": "063", "46": "061", "47": "054",
    "48": "055", "50": "064", "51": "033",
}
"""HRD-Net 시도 code -> telephone area code."""

# The administrative standard codes moved when 강원 (42 -> 51) and 전북 (45 -> 52) became
# special self-governing provinces; accept both so callers holding either table work.
_REGION_ALIASES: Final[dict[str, str]] = {"42": "51", "52": "45"}
_SHORT_TO_CODE: Final[dict[str, str]] = {v: k for k, v in REGION_NAMES.items()}
_FULL_TO_CODE: Final[dict[str, str]] = {v: k for k, v in REGION_FULL_NAMES.items()}


def normalise_region_code(region: str) -> str:
    """Return the HRD-Net 2-digit code for a code, alias, short or full 시도 name.

    Args:
        region: ``"41"``, ``"경기"``, ``"경기도"``; old codes ``"42"`` (강원) and ``"52"``
            (전북 administrative code) are accepted too.

    Returns:
        The 2-digit HRD-Net code.

    Raises:
        ValueError: If the region is unknown.
    """
    code = _REGION_ALIASES.get(region, region)
    if code in REGION_NAMES:
        return code
    code = _SHORT_TO_CODE.get(region) or _FULL_TO_CODE.get(region)
    if code is None:
        raise ValueError(
            f"알 수 없는 시도 코드입니다: {region!r} (사용 가능: {', '.join(sorted(REGION_NAMES))})"
        )
    return code


# 시/군/구 (with a few real arterial roads each) per 시도. A handful per 시도 is enough for
# realistic-looking addresses; it is not a gazetteer. 세종 has no 구, hence the empty district.
_DISTRICTS: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "11": (
        ("강남구", ("테헤란로", "역삼로", "도산대로", "논현로", "선릉로", "봉은사로", "언주로")),
        ("서초구", ("서초대로", "반포대로", "강남대로", "방배로", "효령로")),
        ("송파구", ("올림픽로", "송파대로", "오금로", "백제고분로", "중대로")),
        ("마포구", ("월드컵로", "양화로", "마포대로", "독막로", "신촌로")),
        ("관악구", ("관악로", "남부순환로", "봉천로", "신림로")),
        ("노원구", ("동일로", "노원로", "상계로", "한글비석로")),
        ("영등포구", ("여의대로", "국제금융로", "영등포로", "당산로", "양평로")),
        ("강서구", ("공항대로", "화곡로", "강서로", "양천로")),
        ("종로구", ("종로", "율곡로", "대학로", "창경궁로")),
        ("은평구", ("통일로", "연서로", "은평로", "진흥로")),
        ("구로구", ("디지털로", "구로중앙로", "경인로", "개봉로")),
        ("성북구", ("보문로", "동소문로", "정릉로", "화랑로")),
    ),
    "26": (
        ("해운대구", ("해운대로", "센텀중앙로", "좌동순환로", "달맞이길")),
        ("부산진구", ("중앙대로", "가야대로", "서면로", "전포대로")),
        ("동래구", ("충렬대로", "명륜로", "온천장로")),
        ("남구", ("수영로", "용소로", "못골로")),
        ("사하구", ("낙동대로", "다대로", "하신중앙로")),
        ("북구", ("금곡대로", "만덕대로", "화명대로")),
        ("연제구", ("월드컵대로", "과정로", "연수로")),
        ("기장군", ("기장대로", "차성로", "정관중앙로")),
    ),
    "27": (
        ("중구", ("국채보상로", "달구벌대로", "동덕로")),
        ("수성구", ("달구벌대로", "동대구로", "들안로", "범어로")),
        ("달서구", ("월배로", "상화로", "성서공단로", "달서대로")),
        ("북구", ("칠곡중앙대로", "침산로", "호국로")),
        ("동구", ("아양로", "화랑로", "동촌로")),
        ("달성군", ("비슬로", "현풍로", "테크노중앙대로")),
    ),
    "28": (
        ("남동구", ("인하로", "남동대로", "예술로", "구월로")),
        ("연수구", ("컨벤시아대로", "송도과학로", "청량로", "함박뫼로")),
        ("부평구", ("부평대로", "경인로", "주부토로", "굴포로")),
        ("서구", ("서곶로", "봉오대로", "청라커낼로", "완정로")),
        ("미추홀구", ("주안로", "석정로", "경원대로")),
        ("계양구", ("계양대로", "장제로", "아나지로")),
    ),
    "29": (
        ("북구", ("무등로", "서양로", "하서로", "설죽로")),
        ("서구", ("상무대로", "상무중앙로", "치평로", "무진대로")),
        ("광산구", ("첨단중앙로", "하남대로", "수완로", "임방울대로")),
        ("남구", ("봉선로", "대남대로", "서문대로")),
        ("동구", ("금남로", "필문대로", "제봉로")),
    ),
    "30": (
        ("서구", ("둔산로", "대덕대로", "계룡로", "한밭대로")),
        ("유성구", ("대학로", "유성대로", "엑스포로", "테크노중앙로")),
        ("중구", ("중앙로", "대종로", "계백로")),
        ("동구", ("대전로", "동서대로", "계족로")),
        ("대덕구", ("신탄진로", "대청로", "한밭대로")),
    ),
    "31": (
        ("남구", ("삼산로", "번영로", "문수로", "돋질로")),
        ("중구", ("종가로", "학성로", "태화로")),
        ("동구", ("방어진순환도로", "봉수로", "대학길")),
        ("북구", ("산업로", "진장유통로", "화봉로")),
        ("울주군", ("웅촌로", "언양로", "삼동로")),
    ),
    "36": (
        ("", ("한누리대로", "도움로", "다솜로", "갈매로", "절재로", "보듬로", "조치원로")),
    ),
    "41": (
        ("수원시 영통구", ("광교로", "영통로", "광교중앙로", "매영로")),
        ("수원시 팔달구", ("경수대로", "정조로", "효원로")),
        ("성남시 분당구", ("판교역로", "황새울로", "분당로", "정자일로", "성남대로")),
        ("고양시 일산동구", ("중앙로", "일산로", "정발산로")),
        ("용인시 수지구", ("수지로", "포은대로", "풍덕천로")),
        ("용인시 기흥구", ("중부대로", "기흥로", "구성로")),
        ("부천시", ("길주로", "부천로", "소사로", "경인로")),
        ("안산시 단원구", ("광덕대로", "중앙대로", "원포공원1로")),
        ("화성시", ("동탄대로", "향남로", "봉담로", "동탄순환대로")),
        ("남양주시", ("경춘로", "다산중앙로", "화도로")),
        ("평택시", ("평택로", "고덕중앙로", "경기대로")),
        ("의정부시", ("평화로", "시민로", "호국로")),
        ("김포시", ("김포한강로", "사우중로", "김포대로")),
        ("파주시", ("경의로", "문산로", "새꽃로")),
        ("시흥시", ("정왕대로", "시청로", "배곧로")),
        ("안양시 동안구", ("시민대로", "평촌대로", "관악대로")),
        ("이천시", ("중리천로", "경충대로", "이섭대천로")),
    ),
    "43": (
        ("청주시 흥덕구", ("가경로", "직지대로", "풍산로")),
        ("청주시 상당구", ("상당로", "단재로", "중고개로")),
        ("충주시", ("충원대로", "중앙로", "국원대로")),
        ("제천시", ("의림대로", "내토로", "청전대로")),
        ("음성군", ("음성로", "대소로", "금왕로")),
        ("진천군", ("문화로", "덕산로", "중앙로")),
    ),
    "44": (
        ("천안시 서북구", ("불당대로", "번영로", "쌍용대로")),
        ("천안시 동남구", ("충절로", "천안대로", "풍세로")),
        ("아산시", ("배방로", "온천대로", "번영로")),
        ("서산시", ("서령로", "호수공원로", "대산로")),
        ("당진시", ("당진중앙로", "북부로", "송악로")),
        ("공주시", ("웅진로", "백제문화로")),
        ("논산시", ("시민로", "계백로", "중앙로")),
        ("홍성군", ("충서로", "홍북로", "조양로")),
    ),
    "45": (
        ("전주시 완산구", ("팔달로", "효자로", "홍산로", "서원로")),
        ("전주시 덕진구", ("기린대로", "백제대로", "송천중앙로")),
        ("익산시", ("익산대로", "무왕로", "인북로")),
        ("군산시", ("조촌로", "수송로", "대학로", "새만금북로")),
        ("정읍시", ("중앙로", "충정로")),
        ("완주군", ("삼봉로", "완주산단로")),
    ),
    "46": (
        ("순천시", ("중앙로", "팔마로", "장명로")),
        ("여수시", ("좌수영로", "시청로", "여서로")),
        ("목포시", ("영산로", "삼학로", "백년대로")),
        ("광양시", ("중마로", "광양시청로", "매천로")),
        ("나주시", ("빛가람로", "나주로", "죽림길")),
        ("무안군", ("후광대로", "남악로")),
        ("해남군", ("해남로", "중앙1로")),
    ),
    "47": (
        ("포항시 남구", ("포스코대로", "희망대로", "상공로")),
        ("포항시 북구", ("새천년대로", "삼호로", "중앙상가길")),
        ("구미시", ("구미중앙로", "송정대로", "산호대로", "1공단로")),
        ("경산시", ("경안로", "대학로", "원효로")),
        ("경주시", ("태종로", "원화로", "알천북로")),
        ("안동시", ("경동로", "퇴계로", "서동문로")),
        ("김천시", ("김천로", "혁신8로")),
    ),
    "48": (
        ("창원시 성산구", ("중앙대로", "원이대로", "창원대로", "외동반림로")),
        ("창원시 마산회원구", ("3·15대로", "양덕로")),
        ("김해시", ("김해대로", "가야로", "분성로", "금관대로")),
        ("진주시", ("진주대로", "동진로", "남강로")),
        ("양산시", ("양산대로", "물금로", "중앙로")),
        ("거제시", ("거제중앙로", "옥포로", "고현로")),
        ("통영시", ("통영해안로", "광도로")),
    ),
    "50": (
        ("제주시", ("노형로", "중앙로", "연북로", "일주동로", "신대로")),
        ("서귀포시", ("중앙로", "일주서로", "중산간동로", "태평로")),
    ),
    "51": (
        ("춘천시", ("중앙로", "춘천로", "석사로", "퇴계로")),
        ("원주시", ("원일로", "북원로", "시청로", "치악로")),
        ("강릉시", ("경강로", "강릉대로", "하슬라로")),
        ("속초시", ("중앙로", "청초호반로")),
        ("동해시", ("동해대로", "천곡로")),
        ("홍천군", ("홍천로", "연봉로")),
    ),
}

# Precompute the "시도 시군구" prefix per district so make_address only concatenates.
_DISTRICT_PREFIX: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    code: tuple(
        ((f"{REGION_FULL_NAMES[code]} {d}" if d else REGION_FULL_NAMES[code]), roads)
        for d, roads in districts
    )
    for code, districts in _DISTRICTS.items()
}

# Building numbers: small numbers dominate real road addresses.
_BUILDING_NO_BANDS: Final = ((1, 60), (61, 200), (201, 500), (501, 1200))
_BUILDING_NO_CUM: Final = _cum((0.45, 0.35, 0.15, 0.05))
_APT_SUFFIX: Final = ("아파트", "타워", "빌", "하이츠", "맨션", "파크", "스퀘어", "빌딩")


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
# Approximate shares (%) from the 2015 population census; the tail is rounded up a little so
# rare two-syllable surnames occasionally appear.
_SURNAME_WEIGHTS: Final[tuple[tuple[str, float], ...]] = (
    ("김", 21.6), ("이", 14.8), ("박", 8.5), ("최", 4.7), ("정", 4.3), ("강", 2.3), ("조", 2.1),
    ("윤", 2.1), ("장", 2.0), ("임", 1.7), ("한", 1.5), ("오", 1.5), ("서", 1.5), ("신", 1.5),
    ("권", 1.4), ("황", 1.4), ("안", 1.4), ("송", 1.4), ("전", 1.3), ("홍", 1.1), ("유", 1.1),
    ("고", 0.9), ("문", 0.9), ("양", 0.9), ("손", 0.9), ("배", 0.8), ("백", 0.7), ("허", 0.6),
    ("남", 0.5), ("심", 0.5), ("노", 0.4), ("하", 0.4), ("곽", 0.4), ("성", 0.4), ("차", 0.4),
    ("주", 0.4), ("우", 0.4), ("구", 0.4), ("민", 0.3), ("류", 0.3), ("나", 0.3), ("진", 0.3),
    ("지", 0.3), ("엄", 0.3), ("채", 0.3), ("원", 0.3), ("천", 0.2), ("방", 0.2), ("공", 0.2),
    ("현", 0.2), ("함", 0.2), ("변", 0.2), ("염", 0.2), ("여", 0.2), ("추", 0.1), ("도", 0.1),
    ("소", 0.1), ("석", 0.1), ("선", 0.1), ("설", 0.1), ("마", 0.1), ("길", 0.1), ("연", 0.1),
    ("위", 0.1), ("표", 0.1), ("명", 0.1), ("기", 0.1), ("반", 0.1), ("왕", 0.1), ("금", 0.1),
    ("옥", 0.1), ("육", 0.1), ("인", 0.1), ("맹", 0.05), ("제", 0.05), ("모", 0.05),
    ("남궁", 0.04), ("황보", 0.02), ("제갈", 0.01), ("선우", 0.01), ("독고", 0.005),
)
_SURNAMES: Final = tuple(s for s, _ in _SURNAME_WEIGHTS)
_SURNAME_CUM: Final = _cum(w for _, w in _SURNAME_WEIGHTS)

# Frequent given names across birth cohorts (1950s-2000s), so older and younger seekers both look
# plausible without the caller passing a birth year.
_GIVEN_M: Final = (
    "민준", "서준", "도윤", "예준", "시우", "하준", "주원", "지호", "지후", "준우", "준서", "건우",
    "현우", "지훈", "우진", "선우", "연우", "유준", "정우", "승우", "승현", "시윤", "준혁", "은우",
    "지환", "승민", "유찬", "민성", "준영", "시후", "진우", "수호", "재윤", "동현", "태윤", "민재",
    "민혁", "성민", "성현", "성진", "성호", "성훈", "상훈", "상현", "상우", "상민", "상철", "영수",
    "영호", "영철", "영진", "영식", "정호", "정훈", "정민", "정수", "종현", "종수", "재현", "재훈",
    "재민", "재성", "준호", "준기", "현수", "현준", "동욱", "동훈", "민수", "민호", "광수", "광호",
    "병철", "병호", "철수", "철민", "용호", "용수", "진호", "진수", "태현", "태호", "경수", "경호",
    "기현", "대현", "대호", "승호", "희철", "형준", "석진", "우현", "창민", "인호", "덕수", "만수",
    "봉수", "명수", "남수", "영길", "종민", "한결",
)
_GIVEN_F: Final = (
    "서연", "서윤", "지우", "서현", "민서", "하은", "하윤", "윤서", "지유", "지민", "채원", "수아",
    "지아", "지윤", "은서", "다은", "예은", "수빈", "소율", "예린", "지원", "유진", "민지", "수진",
    "지현", "지은", "지영", "은지", "혜진", "현정", "미영", "미경", "미숙", "은영", "은주", "정희",
    "영희", "영숙", "영자", "순자", "정숙", "경희", "경숙", "명숙", "미정", "선영", "선희", "혜숙",
    "옥순", "순옥", "말순", "복순", "정미", "현주", "수정", "소영", "보람", "슬기", "아름", "나래",
    "다솜", "한별", "예지", "유리", "혜원", "수연", "은정", "은비", "가은", "나연", "다인", "소연",
    "세영", "하나", "민정", "지혜", "주희", "윤정", "은희", "연희", "미란", "정아", "희정", "혜경",
    "보영", "수민", "채은", "가영", "예원", "서영", "현지", "지수", "민경", "성희", "영미", "은숙",
)
# Syllables for composed names (about 30 %), which widen the name space for a million seekers.
_SYL_M1: Final = tuple("민서도예시하주지준건현우선연유정승은재동태성상영종진경기대형석창인병용광호한수윤")
_SYL_M2: Final = tuple("준우호민현훈수진혁성영원재윤석철식빈규환찬율후범욱")
_SYL_F1: Final = tuple("서지민하수예은채유다소혜미현선정경영희주나가연세보아윤")
_SYL_F2: Final = tuple("연윤현은아린원진영희정경숙미주빈서유지나란선혜율")


def _check_sex(sex: str) -> None:
    if sex not in ("M", "F"):
        raise ValueError(f"성별은 'M' 또는 'F'여야 합니다 (입력값: {sex!r})")


def _person_name(d: UniformStream, sex: str) -> str:
    surname = d.weighted(_SURNAMES, _SURNAME_CUM)
    if d.u() < 0.7:
        given = d.pick(_GIVEN_M if sex == "M" else _GIVEN_F)
    else:
        first, second = (_SYL_M1, _SYL_M2) if sex == "M" else (_SYL_F1, _SYL_F2)
        a = d.pick(first)
        b = d.pick(second)
        if a == b:  # "은은", "진진": redraw once, keep whatever comes
            b = d.pick(second)
        given = a + b
    return surname + given


def make_person_name(rng: RandomSource, sex: str) -> str:
    """Make a Korean full name (surname + given name).

    Surnames follow the census distribution (김 ≈ 22 %, 이 ≈ 15 %, 박 ≈ 9 % …, rare two-syllable
    ones such as 남궁); given names mix frequent real names across cohorts with composed ones.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        sex: ``"M"`` or ``"F"``.

    Returns:
        A name such as ``"김민준"``.

    Raises:
        ValueError: If ``sex`` is not ``"M"`` or ``"F"``.
    """
    _check_sex(sex)
    return _person_name(as_stream(rng, 8), sex)


# Revised Romanisation, syllable by syllable (no sound-change rules: e-mail handles rarely use them).
_RR_INITIAL: Final = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj",
                      "ch", "k", "t", "p", "h")
_RR_MEDIAL: Final = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
                     "u", "wo", "we", "wi", "yu", "eu", "ui", "i")
_RR_FINAL: Final = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
                    "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
# Surnames are written in customary spellings (Lee, Park, Choi …), not strict RR.
_SURNAME_ROMAN: Final[dict[str, str]] = {
    "김": "kim", "이": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang", "조": "cho",
    "윤": "yoon", "장": "jang", "임": "lim", "한": "han", "오": "oh", "서": "seo", "신": "shin",
    "권": "kwon", "황": "hwang", "안": "ahn", "송": "song", "전": "jeon", "홍": "hong", "유": "yoo",
    "고": "ko", "문": "moon", "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo",
    "남": "nam", "심": "shim", "노": "noh", "하": "ha", "곽": "kwak", "성": "sung", "차": "cha",
    "주": "joo", "우": "woo", "구": "koo", "민": "min", "류": "ryu", "나": "na", "진": "jin",
    "지": "ji", "엄": "eom", "채": "chae", "원": "won", "천": "cheon", "방": "bang", "공": "kong",
    "현": "hyun", "함": "ham", "변": "byun", "염": "yeom", "여": "yeo", "추": "choo", "도": "do",
    "소": "so", "석": "seok", "선": "sun", "설": "seol", "마": "ma", "길": "gil", "연": "yeon",
    "위": "wi", "표": "pyo", "명": "myung", "기": "ki", "반": "ban", "왕": "wang", "금": "keum",
    "옥": "ok", "육": "yook", "인": "in", "맹": "maeng", "제": "je", "모": "mo", "남궁": "namgung",
    "황보": "hwangbo", "제갈": "jegal", "선우": "sunwoo", "독고": "dokgo",
}
_TWO_SYLLABLE_SURNAMES: Final = frozenset(s for s in _SURNAME_ROMAN if len(s) == 2)


def _romanise_syllables(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_RR_INITIAL[code // 588] + _RR_MEDIAL[(code % 588) // 28] + _RR_FINAL[code % 28])
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


def romanise_name(name: str) -> str:
    """Romanise a Korean name into an e-mail hint ``"surname.given"``.

    Args:
        name: A Hangul name such as ``"김민준"`` or ``"남궁서연"``.

    Returns:
        For example ``"kim.minjun"`` or ``"namgung.seoyeon"``; a one-part name gives one part.
    """
    name = name.strip()
    if len(name) >= 3 and name[:2] in _TWO_SYLLABLE_SURNAMES:
        surname, given = name[:2], name[2:]
    elif len(name) >= 2:
        surname, given = name[:1], name[1:]
    else:
        return _romanise_syllables(name)
    family = _SURNAME_ROMAN.get(surname) or _romanise_syllables(surname)
    return f"{family}.{_romanise_syllables(given)}"


# --------------------------------------------------------------------------------------------
# Resident registration number (주민등록번호)
# --------------------------------------------------------------------------------------------
_RRN_WEIGHTS: Final = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_RRN_GENDER_DIGIT: Final[dict[tuple[int, str], int]] = {
    (18, "M"): 9, (18, "F"): 0, (19, "M"): 1, (19, "F"): 2, (20, "M"): 3, (20, "F"): 4,
}
_DIGITS: Final = frozenset("0123456789")


def _rrn_check(digits12: str) -> int:
    total = 0
    for ch, w in zip(digits12, _RRN_WEIGHTS):
        total += (ord(ch) - 48) * w
    return (11 - total % 11) % 10


def _rrn(d: UniformStream, birth_date: dt.date, sex: str) -> str:
    g = _RRN_GENDER_DIGIT.get((birth_date.year // 100, sex))
    if g is None:
        raise ValueError(f"주민등록번호는 1800~2099년생만 만들 수 있습니다 (입력: {birth_date.isoformat()})")
    # Digits 2-5: registration-office region code (first two 00-95 before 2020), 6: daily serial.
    tail = f"{d.idx(96):02d}{d.idx(100):02d}{d.between(1, 9)}"
    front = f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}"
    body = f"{front}{g}{tail}"
    return f"{front}-{g}{tail}{_rrn_check(body)}"


def make_rrn(rng: RandomSource, birth_date: dt.date, sex: str) -> str:
    """Make a fictitious 주민등록번호 ``"YYMMDD-GNNNNNC"`` with a valid pre-2020 check digit.

    G encodes century and sex (1/2 for 1900s M/F, 3/4 for 2000s, 9/0 for 1800s); digits 2-5 are
    a random region code, digit 6 a serial and C the check digit with weights
    2,3,4,5,6,7,8,9,2,3,4,5 and ``C = (11 - Σ mod 11) mod 10``. Numbers issued from Oct 2020 have
    a random tail, but seekers in our world were born long before, so every number carries C.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        birth_date: Date of birth (encoded in the first six digits).
        sex: ``"M"`` or ``"F"``.

    Returns:
        The number with a hyphen after the sixth digit.

    Raises:
        ValueError: On a bad ``sex`` or a birth year outside 1800-2099.
    """
    _check_sex(sex)
    return _rrn(as_stream(rng, 8), birth_date, sex)


def rrn_check_digit_ok(rrn: str) -> bool:
    """Check the structure and the pre-Oct-2020 check digit of a 주민등록번호.

    Args:
        rrn: ``"YYMMDD-GNNNNNC"`` or the 13 digits without the hyphen.

    Returns:
        True when the string has 13 digits (one optional hyphen after the sixth) and the last
        digit matches the weighted checksum. Post-2020 numbers with a random tail will usually
        fail; validate those by structure only.
    """
    if len(rrn) == 14:
        if rrn[6] != "-":
            return False
        rrn = rrn[:6] + rrn[7:]
    if len(rrn) != 13 or not _DIGITS.issuperset(rrn):
        return False
    return _rrn_check(rrn[:12]) == ord(rrn[12]) - 48


# --------------------------------------------------------------------------------------------
# Business registration number (사업자등록번호)
# --------------------------------------------------------------------------------------------
_BIZ_WEIGHTS: Final = (1, 3, 7, 1, 3, 7, 1, 3, 5)
# Real tax-office prefixes (서울 1xx, 경기·인천·강원 1xx-2xx, 충청 3xx, 호남 4xx, 영남 5xx-6xx …).
_TAX_OFFICES: Final = (
    101, 104, 105, 106, 107, 108, 109, 110, 113, 114, 116, 117, 119, 120, 121, 123, 124, 125, 126,
    128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 140, 141, 142, 143, 144, 145, 201, 202,
    203, 204, 206, 207, 208, 209, 210, 211, 212, 214, 215, 217, 220, 221, 229, 301, 302, 303, 304,
    305, 306, 307, 308, 310, 312, 314, 316, 317, 318, 401, 402, 403, 404, 405, 406, 407, 408, 409,
    410, 411, 412, 415, 416, 417, 418, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 513,
    514, 515, 516, 601, 602, 603, 605, 606, 607, 608, 609, 610, 611, 612, 613, 614, 615, 616, 617,
    620, 621,
)
# Middle two digits: 81/86/87/88 corporate head office, 85 branch, 01-79 individual taxable,
# 90-99 individual tax-exempt, 82 non-profit corporation.
_BIZ_KIND: Final = ("81", "86", "87", "88", "85", "82")
_BIZ_KIND_CUM: Final = _cum((0.45, 0.25, 0.12, 0.1, 0.06, 0.02))


def _biz_check(d9: str) -> int:
    total = 0
    for ch, w in zip(d9, _BIZ_WEIGHTS):
        total += (ord(ch) - 48) * w
    total += ((ord(d9[8]) - 48) * 5) // 10
    return (10 - total % 10) % 10


def _business_no(d: UniformStream) -> str:
    office = d.pick(_TAX_OFFICES)
    r = d.u()
    if r < 0.55:
        kind = d.weighted(_BIZ_KIND, _BIZ_KIND_CUM)
    elif r < 0.93:
        kind = f"{d.between(1, 79):02d}"
    else:
        kind = f"{d.between(90, 99):02d}"
    serial = f"{d.between(1, 9999):04d}"
    d9 = f"{office}{kind}{serial}"
    return f"{office}-{kind}-{serial}{_biz_check(d9)}"


def make_business_no(rng: RandomSource) -> str:
    """Make a fictitious 사업자등록번호 ``"XXX-XX-XXXXX"`` with a valid check digit.

    Check digit: weights 1,3,7,1,3,7,1,3,5 on the first nine digits, plus ⌊d9 × 5 / 10⌋, then
    ``(10 - Σ mod 10) mod 10``. The prefix is a real tax-office code and the middle pair follows
    the corporate/individual convention, so the numbers look right, but they are random.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).

    Returns:
        For example ``"124-81-00998"``-shaped strings.
    """
    return _business_no(as_stream(rng, 8))


def business_no_is_valid(s: str) -> bool:
    """Validate a 사업자등록번호 with or without hyphens.

    Args:
        s: ``"XXX-XX-XXXXX"`` or ten digits.

    Returns:
        True if it has exactly ten digits (hyphens only at the standard positions) and the check
        digit matches; False for wrong length, stray characters or a wrong check digit.
    """
    if len(s) == 12:
        if s[3] != "-" or s[6] != "-":
            return False
        s = s[:3] + s[4:6] + s[7:]
    if len(s) != 10 or not _DIGITS.issuperset(s):
        return False
    return _biz_check(s[:9]) == ord(s[9]) - 48


# --------------------------------------------------------------------------------------------
# Phones and e-mail
# --------------------------------------------------------------------------------------------
def _mobile(d: UniformStream) -> str:
    # Middle blocks of 010 numbers start with 2-9.
    return f"010-{d.between(2000, 9999)}-{d.idx(10000):04d}"


def make_mobile(rng: RandomSource) -> str:
    """Make a mobile number ``"010-XXXX-XXXX"``.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).

    Returns:
        The number with hyphens; the middle block is 2000-9999 as in real allocations.
    """
    return _mobile(as_stream(rng, 4))


def _landline(d: UniformStream, code: str) -> str:
    area = AREA_CODES[code]
    middle = f"{d.between(2000, 9999)}" if d.u() < 0.7 else f"{d.between(200, 999)}"
    return f"{area}-{middle}-{d.idx(10000):04d}"


def make_landline(rng: RandomSource, region_code: str) -> str:
    """Make a landline number with the area code of a 시도.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        region_code: HRD-Net 시도 code (``"11"`` 서울 → 02, ``"41"`` 경기 → 031 …); short or
            full names are accepted too.

    Returns:
        ``"02-XXXX-XXXX"`` / ``"0XX-XXX(X)-XXXX"``.

    Raises:
        ValueError: If the region is unknown.
    """
    return _landline(as_stream(rng, 4), normalise_region_code(region_code))


_EMAIL_DOMAINS: Final = ("naver.com", "gmail.com", "daum.net", "hanmail.net", "kakao.com",
                         "nate.com", "hotmail.com", "outlook.com")
_EMAIL_DOMAIN_CUM: Final = _cum((0.42, 0.27, 0.09, 0.08, 0.05, 0.05, 0.02, 0.02))
_EMAIL_WORDS: Final = (
    "sky", "happy", "sunny", "blue", "star", "dream", "mint", "lucky", "hope", "green", "moon",
    "ocean", "cool", "smile", "angel", "tiger", "bear", "rabbit", "cherry", "coffee", "music",
    "dandy", "jjang", "haru", "bom", "byeol", "nabi", "sarang", "hana", "duri", "saebyeok",
)
_EMAIL_ALLOWED: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._")


def _clean_local(hint: str) -> str:
    s = "".join(ch for ch in hint.lower().replace(" ", ".").replace("-", "_") if ch in _EMAIL_ALLOWED)
    s = s.strip("._")
    while ".." in s:
        s = s.replace("..", ".")
    return s


def _email(d: UniformStream, hint: str | None) -> str:
    domain = d.weighted(_EMAIL_DOMAINS, _EMAIL_DOMAIN_CUM)
    base = _clean_local(hint) if hint else ""
    if base:
        parts = base.split(".")
        if len(parts) == 2 and parts[0] and parts[1]:
            family, given = parts
            r = d.idx(6)
            if r == 0:
                base = f"{family}.{given}"
            elif r == 1:
                base = f"{given}.{family}"
            elif r == 2:
                base = f"{family}{given}"
            elif r == 3:
                base = f"{given}_{family}"
            elif r == 4:
                base = f"{given[:1]}{given[-1:]}.{family}" if len(given) > 1 else f"{given}{family}"
            else:
                base = f"{given}{family[:1]}"
    else:
        first = d.pick(_EMAIL_WORDS)
        second = d.pick(_EMAIL_WORDS)
        base = first + second if (first != second and d.u() < 0.5) else first
    suffix_kind = d.u()
    sep = "_" if d.u() < 0.15 else ""
    if suffix_kind < 0.35:
        base += f"{sep}{d.between(70, 105) % 100:02d}"  # birth year, e.g. 88, 01
    elif suffix_kind < 0.6:
        base += f"{sep}{d.between(1, 9999)}"
    elif len(base) < 5:
        base += str(d.between(10, 999))
    return f"{base}@{domain}"


def make_email(rng: RandomSource, romanised_hint: str | None = None) -> str:
    """Make a plausible personal e-mail address.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        romanised_hint: Optional romanised name such as ``"kim.minjun"`` (see
            :func:`romanise_name`); it is reordered/abbreviated the way people do
            (``minjun.kim``, ``kimminjun88``, ``mn.kim``). Characters outside ``[a-z0-9._]``
            are dropped.

    Returns:
        An address at a common Korean or global provider (naver.com, gmail.com, daum.net …).
    """
    return _email(as_stream(rng, 8), romanised_hint)


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------
def _address(d: UniformStream, code: str) -> str:
    prefix, roads = d.pick(_DISTRICT_PREFIX[code])
    road = d.pick(roads)
    lo, hi = _BUILDING_NO_BANDS[bisect.bisect_right(_BUILDING_NO_CUM, d.u() * _BUILDING_NO_CUM[-1])]
    number = d.between(lo, hi)
    r = d.u()
    if r < 0.25 and (road.endswith("로") and not road.endswith("도로")):
        # Side street off an arterial road: "논현로28길 12".
        street = f"{road}{d.between(1, 120)}길 {d.between(1, 60)}"
    else:
        street = f"{road} {number}"
        if r > 0.9:
            street += f"-{d.between(1, 30)}"
    kind = d.u()
    if kind < 0.5:
        detail = f", {d.between(101, 125)}동 {d.between(1, 25)}{d.between(1, 8):02d}호"
    elif kind < 0.6:
        detail = f", {d.between(1, 25)}{d.between(1, 8):02d}호 ({d.pick(_STEMS)}{d.pick(_APT_SUFFIX)})"
    elif kind < 0.85:
        detail = f", {d.between(1, 5)}0{d.between(1, 6)}호"
    else:
        detail = ""
    return f"{prefix} {street}{detail}"


def make_address(rng: RandomSource, region_code: str) -> str:
    """Make a road-name (도로명) address inside a 시도.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        region_code: HRD-Net 시도 code (``"41"`` → 경기도 …); names and old codes accepted.

    Returns:
        For example ``"경기도 수원시 영통구 광교로 145, 302동 1101호"`` or
        ``"서울특별시 강남구 논현로28길 12, 301호"``.

    Raises:
        ValueError: If the region is unknown.
    """
    return _address(as_stream(rng, 16), normalise_region_code(region_code))


# --------------------------------------------------------------------------------------------
# Company names
# --------------------------------------------------------------------------------------------
KSIC_SECTIONS: Final[dict[str, str]] = {
    "A": "농업, 임업 및 어업", "B": "광업", "C": "제조업",
    "D": "전기, 가스, 증기 및 공기조절 공급업", "E": "수도, 하수 및 폐기물 처리, 원료 재생업",
    "F": "건설업", "G": "도매 및 소매업", "H": "운수 및 창고업", "I": "숙박 및 음식점업",
    "J": "정보통신업", "K": "금융 및 보험업", "L": "부동산업",
    "M": "전문, 과학 및 기술 서비스업", "N": "사업시설 관리, 사업 지원 및 임대 서비스업",
    "O": "공공 행정, 국방 및 사회보장 행정", "P": "교육 서비스업", "Q": "보건업 및 사회복지 서비스업",
    "R": "예술, 스포츠 및 여가관련 서비스업", "S": "협회 및 단체, 수리 및 기타 개인 서비스업",
    "T": "가구 내 고용활동 및 달리 분류되지 않은 자가 소비 생산활동",
    "U": "국제 및 외국기관",
}
"""KSIC 10th revision sections (대분류) A-U."""

_STEMS: Final = (
    "한빛", "다온", "푸른", "새한", "대성", "세진", "동양", "삼우", "우리", "미래", "신성", "태광",
    "대한", "한결", "늘푸른", "해솔", "하나", "정우", "성원", "제일", "동일", "에이스", "그린",
    "유니", "다인", "가온", "누리", "한울", "바른", "온누리", "새봄", "해오름", "한마음", "청솔",
    "소망", "든든", "명성", "진성", "금강", "백두", "한라", "태백", "동방", "서광", "영진", "대림",
    "신우", "경동", "삼진", "세영", "보광", "일신", "화신", "청아", "초록", "아름", "빛나래",
    "라온", "도담", "미소", "참좋은", "다솜", "하늘", "별빛", "상록", "봄날", "우성", "현대",
    "동서", "남해", "한국", "케이", "제이", "에스", "티에스", "디와이", "에이치",
)
_PLACES: Final = ("수원", "안산", "부천", "청주", "천안", "전주", "창원", "김해", "포항", "구미",
                  "광명", "성남", "춘천", "원주", "제주", "목포", "여수", "진주", "대전", "울산")

# Per KSIC section: business-type suffixes and the legal forms usually seen with them.
# Forms: "corp_pre" "(주)X", "corp_word" "주식회사 X", "corp_post" "X(주)", "plain" "X",
# "ltd" "유한회사 X", plus section-specific forms below.
_INDUSTRY_SUFFIX: Final[dict[str, tuple[str, ...]]] = {
    "A": ("농장", "농원", "팜", "축산", "수산", "영농조합법인", "버섯농장", "양돈"),
    "B": ("광업", "석재", "자원개발", "골재"),
    "C": ("정밀", "산업", "기계", "전자", "테크", "금속", "화학", "식품", "플라스틱", "섬유", "산전",
          "하이텍", "오토텍", "케미칼", "푸드", "제약", "이노텍"),
    "D": ("에너지", "전력", "가스", "태양광", "그린에너지"),
    "E": ("환경", "자원", "리사이클링", "환경산업", "클린"),
    "F": ("건설", "종합건설", "토건", "건업", "이앤씨", "개발", "인테리어", "설비"),
    "G": ("상사", "유통", "마트", "물산", "트레이딩", "상회", "종합상사", "약품", "코스메틱"),
    "H": ("물류", "운수", "로지스", "익스프레스", "고속", "택배", "해운", "통운"),
    "I": ("식당", "푸드", "호텔", "반점", "가든", "분식", "카페", "레스토랑", "한식뷔페", "베이커리"),
    "J": ("소프트", "시스템", "정보통신", "테크놀로지", "네트웍스", "랩스", "데이터", "미디어", "아이티"),
    "K": ("캐피탈", "자산운용", "금융서비스", "보험대리점", "파이낸셜", "저축은행"),
    "L": ("부동산", "공인중개사사무소", "자산관리", "부동산개발", "하우징"),
    "M": ("엔지니어링", "컨설팅", "연구소", "디자인", "세무회계", "건축사사무소", "측량", "특허사무소"),
    "N": ("시설관리", "인력개발", "경비", "클린", "서비스", "렌탈", "아웃소싱", "비즈니스"),
    "O": ("시설관리공단", "도시공사", "행정복지센터"),
    "P": ("학원", "어학원", "교육", "아카데미", "어린이집", "유치원", "공부방", "직업전문학교"),
    "Q": ("요양원", "요양센터", "의원", "병원", "재가복지센터", "치과의원", "한의원", "약국",
          "노인복지관", "지역아동센터", "주간보호센터", "요양병원"),
    "R": ("스포츠센터", "피트니스", "골프클럽", "엔터테인먼트", "문화센터", "수영장", "볼링장"),
    "S": ("자동차정비", "세탁", "헤어", "카센터", "수선", "협동조합", "장례식장", "사진관"),
    "T": ("가정",),
    "U": ("대표부", "대사관"),
}
# Sections where the stem usually stands alone before the suffix ("푸른요양센터") vs. with a
# legal form ("(주)한빛정밀"); probabilities of a corporate form.
_CORP_SHARE: Final[dict[str, float]] = {
    "A": 0.25, "B": 0.7, "C": 0.8, "D": 0.85, "E": 0.7, "F": 0.8, "G": 0.55, "H": 0.7, "I": 0.2,
    "J": 0.9, "K": 0.9, "L": 0.3, "M": 0.6, "N": 0.75, "O": 0.0, "P": 0.1, "Q": 0.05, "R": 0.4,
    "S": 0.15, "T": 0.0, "U": 0.0,
}
_SPACE_BEFORE_SUFFIX: Final = frozenset(
    ("공인중개사사무소", "영농조합법인", "행정복지센터", "건축사사무소", "특허사무소", "직업전문학교")
)
# Workplaces that are run by individuals or non-profit bodies, never as a 주식회사.
_NO_CORP: Final = frozenset(
    ("의원", "치과의원", "한의원", "약국", "어린이집", "유치원", "공부방", "공인중개사사무소",
     "식당", "분식", "반점", "가든", "수선", "세탁", "헤어", "카센터", "협동조합", "농장", "농원",
     "노인복지관", "지역아동센터", "요양원")
)
_COOP_OK: Final = frozenset(("재가복지센터", "지역아동센터", "주간보호센터", "세탁", "수선"))
_COUNTRIES: Final = ("캐나다", "호주", "뉴질랜드", "독일", "프랑스", "스웨덴", "베트남", "태국", "필리핀")
_DONG: Final = ("역삼", "상계", "구월", "둔산", "연동", "화정", "중앙", "신월", "매탄", "봉명", "수완")


def _company_name(d: UniformStream, industry_code: str) -> str:
    suffixes = _INDUSTRY_SUFFIX.get(industry_code)
    if suffixes is None:
        raise ValueError(
            f"알 수 없는 산업 대분류 코드입니다: {industry_code!r} (KSIC A~U 중 하나여야 합니다)"
        )
    suffix = d.pick(suffixes)
    if industry_code == "O":
        place = d.pick(_PLACES)
        return f"{d.pick(_DONG)}동 {suffix}" if suffix == "행정복지센터" else f"{place}{suffix}"
    if industry_code == "T":
        return f"개인 가정({d.pick(_DONG)}동)"
    if industry_code == "U":
        return f"주한 {d.pick(_COUNTRIES)}{suffix}"
    stem = d.pick(_STEMS)
    if suffix == "세무회계":
        # Tax offices are named after the owner or a short word, rarely after a long stem.
        owner = d.pick(("정", "한", "바른", "우리", "신", "하나", "미래", "다온", "세움"))
        return f"{owner}세무회계" + (" 사무소" if d.u() < 0.4 else "")
    core = f"{stem} {suffix}" if suffix in _SPACE_BEFORE_SUFFIX else f"{stem}{suffix}"
    if suffix == "영농조합법인":
        return f"{stem}{d.pick(('농산', '영농', '유기농'))} 영농조합법인"
    if suffix not in _NO_CORP and d.u() < _CORP_SHARE[industry_code]:
        r = d.u()
        if r < 0.45:
            return f"(주){core}"
        if r < 0.7:
            return f"주식회사 {core}"
        if r < 0.9:
            return f"{core}(주)"
        return f"유한회사 {core}" if d.u() < 0.5 else f"{core}(유)"
    if industry_code == "Q" and suffix in ("요양병원", "병원") and d.u() < 0.5:
        return f"의료법인 {d.pick(_STEMS)}의료재단 {core}"
    if industry_code == "A" and d.u() < 0.3:
        return f"농업회사법인 {core}"
    if suffix in _COOP_OK and d.u() < 0.1:
        return f"사회적협동조합 {core}"
    return core


def make_company_name(rng: RandomSource, industry_code: str) -> str:
    """Make a company or workplace name typical of a KSIC section.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        industry_code: KSIC section letter A-U.

    Returns:
        For example ``"(주)한빛정밀"`` (C), ``"푸른요양센터"`` (Q), ``"주식회사 다온소프트"`` (J),
        ``"수원시설관리공단"`` (O), ``"개인 가정(역삼동)"`` (T).

    Raises:
        ValueError: If the section letter is unknown.
    """
    return _company_name(as_stream(rng, 8), industry_code)


# --------------------------------------------------------------------------------------------
# Bundle
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    """The PII block of one synthetic person.

    Attributes:
        name: Full name in Hangul.
        sex: ``"M"`` or ``"F"``.
        birth_date: Date of birth.
        rrn: 주민등록번호 with a valid check digit.
        mobile: ``"010-XXXX-XXXX"``.
        email: Personal e-mail derived from the romanised name.
        address: Road-name address in the given 시도.
    """

    name: str
    sex: str
    birth_date: dt.date
    rrn: str
    mobile: str
    email: str
    address: str


def make_identity(
    rng: RandomSource, sex: str, birth_date: dt.date, region_code: str
) -> Identity:
    """Make a consistent identity (name, RRN, phone, e-mail from the name, address) in one draw.

    Cheaper than calling the single-field makers one by one because it fetches one block of
    uniforms for all fields.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        sex: ``"M"`` or ``"F"``.
        birth_date: Date of birth.
        region_code: HRD-Net 시도 code of the home address.

    Returns:
        The identity.

    Raises:
        ValueError: On a bad sex, birth year or region.
    """
    _check_sex(sex)
    code = normalise_region_code(region_code)
    d = as_stream(rng, 48)
    name = _person_name(d, sex)
    hint = romanise_name(name) if d.u() < 0.75 else None
    return Identity(
        name=name,
        sex=sex,
        birth_date=birth_date,
        rrn=_rrn(d, birth_date, sex),
        mobile=_mobile(d),
        email=_email(d, hint),
        address=_address(d, code),
    )
