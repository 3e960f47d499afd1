"""인재 검색 문장 → 구조화된 조건 (the talent search's sentence parser).

An employer types one sentence ("지게차 경력 3년 이상, 평택 근무 가능한 분") and gets a
:class:`TalentQuery`: KECO occupations, 시도 and 시군구, career months, certificates, minimum
education, a monthly wage range, employment types, work patterns and the words that were not
understood (``free_text``). :func:`describe_chips` turns it into Korean chips the page shows and lets
the user remove (:func:`with_chip_removed`) or change (``dataclasses.replace`` then
:func:`validate_query`).

How a sentence is read — rules and dictionaries, no model, in this order, each step taking the
characters it understood so that later steps cannot read them again:

0. the words that make a condition preferred (우대) rather than required: after it 우대, 선호, 우선,
   가산점, "…이면 좋고", "있으면 좋음", "가능하면 (좋음)"; before it 가급적, 되도록, 이왕이면, "가능하면" opening
   a clause; and a "우대사항:" list (every condition up to the end of the sentence or to 필수/자격요건).
   A cue is about the condition just before (or after) it, with only joining words between
   ("평택 거주자 우대", "대졸이면 좋음"), and about a list of conditions of the same kind joined by
   commas or 및/이나 ("컴활, 워드 자격증 우대"); a condition followed by 필수 is required and ends such
   a list ("용접기능사 필수, 특수용접기능사 우대");
1. wages (a wage word such as 월급/연봉/시급 before an amount, or an amount ending in 원);
2. career (periods in 년/개월 with a career cue — 경력, 경험, 근무 — a bound such as 이상/이하 or 차;
   신입, 경력자, 경력 무관);
3. education, employment types and work patterns (fixed phrase lists);
4. certificates: names of ``certificates.csv`` (spaces ignored) and what employers write for them
   (:data:`_CERTIFICATE_ALIASES`: 컴활, 정처기, 한식조리, 지게차 자격증 …). A grade typed after a name
   must be the table's ("컴활 1급" is not 컴퓨터활용능력 2급; it stays in the free text). A licence
   named like a job (간호사, 요양보호사, 간호조무사 — names of both a certificate and an occupation) is:

   * the **certificate only**, when a certificate word or 필수 follows it (자격/자격증/면허/소지/보유/
     취득/필수: "간호사 면허 소지자", "간호사 필수"): the search asks for holders, and the occupation is
     whatever else the sentence names ("요양원 간호조무사, 간호사 면허 우대" is a 간호조무사 search that
     prefers nurses' licences);
   * a **preferred certificate**, when a preference cue follows it and the sentence names another
     occupation ("간호조무사 모집, 간호사 우대");
   * otherwise the **occupation** ("간호사 우대" alone, "서울 간호사").

   A job word that names a certificate only with a certificate word (지게차 자격증 → 지게차운전기능사,
   굴착기 면허) gives the certificate and — when the sentence names no occupation of its own — the
   job's occupation ("지게차 자격증 있는 분": forklift drivers holding it);
5. occupations: KECO 소분류 and 세분류 names of ``keco_tree.csv``, the items listed in a name's
   parentheses ("…(크레인·호이스트·지게차)") and :data:`OCCUPATION_ALIASES` (everyday words);
   "요양원" is a workplace (free text), not the care job 요양;
6. places: 시도 (full and short names, old names such as 경기도/강원도, 수도권) and 시군구 of
   ``districts.csv`` (평택, 수원시, 강남구), well-known parts of a 시 (분당 → 성남시, 일산 → 고양시:
   :data:`_LOCAL_AREAS`) and landmarks that lie in one 시군구 (평택항 → 평택시, 인천공항 → 인천 중구,
   반월공단 → 안산시, 천안아산역 → 아산시: :data:`_LANDMARKS`; one on a border such as 강남역 stays free
   text); "경기 평택" is one district, not a 시도 and a district. A name must end where the word does
   ("인천공항공사" is a company, "중구청" an office). Short 시군구 names that are also common words
   (음성, 예산, 상주 …) count only with a 시도 before them or a place word after them (지역, 근처, 거주 …).

What is left goes through the shared Kiwi analyser (:func:`app.verify.kiwi.kiwi_analyser`): words
made only of particles, endings, numbers, symbols or search filler (분, 가능, 근무, 찾다 …) are
dropped, the rest is ``free_text``. A sentence from which nothing is understood and no real word is
left ("ㅁㄴㅇㄹ", "asdf qwer", "!!!!", "1234") is refused with :class:`UnreadableQuery`.

Readings worth knowing:

* occupations are KECO 2025 **소분류** codes (3 digits), the level postings and seekers carry;
* wages are monthly KRW: 연봉 ÷ 12; 시급 and 일급 by :func:`app.labour.monthly_equivalent` at 40 hours
  a week (시급 × 209 hours, the full-time month with paid weekly rest). A bare amount ("연봉
  3천만원", "월 250 정도") is what the employer offers, so it caps the seeker's desired wage
  (``wage_max``); "이상"/"부터" set ``wage_min``. An amount without a wage word is read by its size
  (under 5만원 hourly, under 50만원 daily, from 1,000만원 annual, else monthly);
* "N년차" is someone in their N-th year, i.e. at least N − 1 years; "N년 미만" is at most 12N − 1
  months; "넘게"/"초과" are read as "이상" (whole years are what people mean);
* 신입 (and 무경력, 경력 없는) means no experience (``max_career_months=0``); 경력자 means some
  (``min_career_months=1``); 경력 무관, 신입·경력, 신입 가능 (newcomers welcome, others too),
  학력 무관 and 전국 are understood and set nothing;
* 박사 is read as 석사 (the highest level postings use);
* "주 5일" is not a period of experience: it stays in ``free_text``;
* a preferred condition is marked in ``TalentQuery.preferred`` and its chip ends in "(우대)": the
  search never leaves anyone out for it (:func:`app.services.talent.matching.filters_from_query`).
  Occupations, wages and free text are never preferred (an occupation is what the search is for). A
  career, education or place asked for both ways keeps the requirement: "경력 2년 이상, 5년 이상이면
  우대" is "2년 이상" required (one career chip each; the preference of 5 years is dropped).

Speed: the dictionaries are built once per :class:`~app.reference.tables.Reference` (a cache keyed
by the object); a sentence then takes about a millisecond plus Kiwi's analysis of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final, NamedTuple

from app import bounds, labour
from app.errors import InvalidInput
from app.reference.codes import EDUCATION_LEVELS, EMPLOYMENT_TYPES, WORK_PATTERNS
from app.reference.tables import Reference, load_reference
from app.text.korean import format_wage
from app.verify.kiwi import kiwi_analyser

__all__ = [
    "CHIP_KEYS", "OCCUPATION_ALIASES", "PREFERABLE_KEYS", "PREFERRED_MARK", "District", "QueryChip", "TalentQuery",
    "UnreadableQuery", "describe_chips", "parse_talent_query", "validate_query", "with_chip_removed",
]

CHIP_KEYS: Final[tuple[str, ...]] = (
    "occupation", "district", "region", "career", "certificate", "education", "wage",
    "employment_type", "work_pattern", "free_text", "excluded",
)
"""Keys of :class:`QueryChip`, in the order :func:`describe_chips` lists them."""

PREFERABLE_KEYS: Final[tuple[str, ...]] = (
    "district", "region", "career", "certificate", "education", "employment_type", "work_pattern",
)
"""Chip keys whose condition may be preferred (우대) instead of required."""
PREFERRED_MARK: Final = " (우대)"
"""Ends the label of a preferred condition's chip ("자격증: 간호사 (우대)")."""

UNREADABLE_MESSAGE: Final = (
    "찾는 인재를 이해하지 못했습니다. 직종, 지역, 경력처럼 찾는 인재를 적어 주세요 "
    "(예: 지게차 경력 3년 이상, 평택 근무 가능한 분)."
)


class UnreadableQuery(InvalidInput):
    """A search sentence that is empty, too long, or holds nothing a search can use."""


class District(NamedTuple):
    """A 시군구 with the 시도 it belongs to (names repeat across 시도: 중구, 고성군)."""

    region_code: str
    name: str


@dataclass(frozen=True)
class TalentQuery:
    """Structured conditions of a talent search (every field optional; tuples keep typed order).

    Attributes:
        occupations: KECO 2025 소분류 codes (3 digits, e.g. ``"623"`` for forklift drivers).
        regions: 시도 codes of ``regions.csv`` asked for as a whole.
        districts: 시군구 asked for (their 시도 is in each :class:`District`).
        min_career_months: Least experience, in months (``None``: no lower bound).
        max_career_months: Most experience, in months (``0``: 신입 only).
        certificates: Certificate ids of ``certificates.csv``.
        education: Least education, one of :data:`app.reference.codes.EDUCATION_LEVELS` except
            ``"무관"`` (``None``: any).
        wage_min: Lowest desired monthly wage in KRW the search takes.
        wage_max: Highest desired monthly wage in KRW (what the employer can pay).
        employment_types: Of :data:`app.reference.codes.EMPLOYMENT_TYPES`.
        work_patterns: Of :data:`app.reference.codes.WORK_PATTERNS` (주간, 야간, 교대, 주말, 재택).
        free_text: The words that were not understood, cleaned of filler ("성실하고 꼼꼼한").
        excluded_terms: Words that ask for a sex, age, marital status or appearance ("남자",
            "20대"): recruitment may not select by them (남녀고용평등법 제7조, 고령자고용법 제4조의4),
            so they are neither conditions nor free text; the page says so with a chip.
        preferred: The conditions above that are preferred (우대), not required, as the
            ``(key, value)`` of their :class:`QueryChip` — e.g. ``("certificate", "C0034")``,
            ``("career", "")``, ``("district", "41:평택시")``. The search orders and explains by them
            but never leaves anyone out for them. Occupations, wages, free text and excluded terms
            are never preferred (:data:`PREFERABLE_KEYS`).
    """

    occupations: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    districts: tuple[District, ...] = ()
    min_career_months: int | None = None
    max_career_months: int | None = None
    certificates: tuple[str, ...] = ()
    education: str | None = None
    wage_min: int | None = None
    wage_max: int | None = None
    employment_types: tuple[str, ...] = ()
    work_patterns: tuple[str, ...] = ()
    free_text: str = ""
    excluded_terms: tuple[str, ...] = ()
    preferred: tuple[tuple[str, str], ...] = ()

    def is_empty(self) -> bool:
        """Whether the query sets no condition to search by (``excluded_terms`` are not conditions)."""
        return replace(self, excluded_terms=(), preferred=()) == TalentQuery()

    def is_preferred(self, key: str, value: str | District = "") -> bool:
        """Whether the condition of chip ``key`` and ``value`` (a :class:`District` for a district) is
        preferred rather than required."""
        return (key, _chip_value(value)) in self.preferred


@dataclass(frozen=True)
class QueryChip:
    """One understood condition as the page shows it.

    Attributes:
        key: One of :data:`CHIP_KEYS`.
        value: What :func:`with_chip_removed` needs to remove it: a code, ``"41:평택시"`` for a
            district, ``""`` for career, wage, education and free text (one chip each).
        label: Korean text, e.g. ``"직종: 용접원 및 용접기 조작원"``, ``"지역: 경기 평택시"``,
            ``"경력: 3년 이상"``, ``"희망임금: 월 250만원 이하"``; a preferred condition's ends in
            :data:`PREFERRED_MARK` (``"자격증: 간호사 (우대)"``).
    """

    key: str
    value: str
    label: str


# --------------------------------------------------------------------------- vocabularies

OCCUPATION_ALIASES: Final[dict[str, str]] = {
    # everyday words for a KECO 소분류 (keys without spaces; the KECO names themselves are added)
    "지게차": "623", "지게차운전": "623", "지게차기사": "623", "크레인": "623", "지게차운전원": "623",
    "용접": "824", "용접공": "824", "용접사": "824", "용접기사": "824",
    "간호사": "304", "간호조무사": "307", "요양보호사": "550", "간병": "550", "간병인": "550",
    "요양": "550", "돌봄": "550", "바리스타": "531", "요리사": "531", "조리사": "531", "주방장": "531",
    "주방보조": "532", "주방": "532", "홀서빙": "532", "서빙": "532",
    "웹개발": "133", "웹개발자": "133", "개발자": "133", "프로그래머": "133", "백엔드": "133",
    "프론트엔드": "133", "앱개발자": "133", "소프트웨어개발": "133",
    "회계": "027", "경리": "027", "회계사무": "027", "회계사무원": "027", "경리사무원": "027",
    "물류": "624", "물류센터": "624", "상하차": "624", "하역": "624", "택배": "624", "배달": "624",
    "배송기사": "624", "택배기사": "624", "배달기사": "624", "화물기사": "622", "화물차기사": "622", "화물차": "622", "화물운전": "622", "운전기사": "622", "버스기사": "622",
    "택시기사": "622", "트럭": "622", "트럭운전": "622", "택시": "622", "물류관리": "028",
    "건축설계": "140", "청소": "561", "미화원": "561", "환경미화": "561", "경비": "542",
    "보안요원": "541", "경호": "541", "미용사": "511", "헤어디자이너": "511", "네일": "511",
    "보육교사": "232", "어린이집교사": "232", "사회복지사": "231", "고객상담": "029", "콜센터": "029",
    "상담원": "029", "텔레마케터": "614", "판매원": "615", "매장판매": "615", "캐셔": "616",
    "계산원": "616", "생산직": "890", "포장": "890", "제조단순": "890", "전기공": "831",
    "배관공": "703", "목수": "701", "도배": "702", "자동차정비": "812", "정비사": "812",
    "데이터분석": "135", "데이터분석가": "135", "디자이너": "415", "웹디자이너": "415",
}
"""Everyday occupation words → KECO 2025 소분류 (spaces removed). Checked against the reference when
the vocabulary is built: an alias to a code the reference does not hold is dropped."""

_CERTIFICATE_ALIASES: Final[dict[str, str]] = {
    # What employers write (no spaces) -> the certificate's name in certificates.csv. That table is
    # derived from the 직업사전 by app.reference.build (a rebuild must give the same bytes), so the
    # everyday names live here, beside the parser that reads them.
    "정처기": "정보처리기사", "정처산기": "정보처리산업기사", "전기산기": "전기산업기사", "산안기": "산업안전기사",
    # the table names only 2급 (the 직업사전 lists no job asking for 1급): "컴활 1급" is not it and
    # stays in the free text (the grade check of _read_certificates)
    "컴활": "컴퓨터활용능력 2급", "컴퓨터활용능력": "컴퓨터활용능력 2급",
    "한식조리": "한식조리기능사", "한식조리사": "한식조리기능사", "양식조리": "양식조리기능사",
    "양식조리사": "양식조리기능사", "중식조리": "중식조리기능사", "중식조리사": "중식조리기능사",
    "일식조리": "일식조리기능사", "일식조리사": "일식조리기능사",
    "요양보호사자격": "요양보호사", "간호사면허": "간호사",
    "운전면허증": "운전면허", "1종대형": "자동차운전면허(1종 대형)", "1종보통": "자동차운전면허(1종)",
    # everyday words that name a certificate only before 자격증/면허/소지 … (_CUE_ONLY_ALIASES)
    "워드": "워드프로세서", "한식": "한식조리기능사", "양식": "양식조리기능사", "중식": "중식조리기능사",
    "일식": "일식조리기능사", "지게차": "지게차운전기능사", "지게차운전": "지게차운전기능사",
    "굴착기": "굴착기운전기능사", "굴삭기": "굴착기운전기능사", "포크레인": "굴착기운전기능사",
    "포클레인": "굴착기운전기능사", "타워크레인": "타워크레인운전기능사",
}
"""Everyday names of certificates → their name in ``certificates.csv``; an alias whose name the table
does not hold is dropped when the vocabulary is built (a test checks that none is)."""
_CUE_ONLY_ALIASES: Final = frozenset(
    "워드 한식 양식 중식 일식 지게차 지게차운전 굴착기 굴삭기 포크레인 포클레인 타워크레인".split()
)
"""Aliases that are ordinary words or job words ("워드 가능" is the word processor, "지게차 경력" the
job): a certificate only with a certificate word after them ("워드 자격증", "지게차 면허")."""
_CERTIFICATE_CUE = r"(?:자격증|자격|면허증|면허|소지|보유|취득)"
_MIN_CERTIFICATE_CHARS = 3
"""Shorter certificate names of the table (none are real) would match inside ordinary words; the
two-letter aliases above (컴활, 워드) are chosen by hand."""

_REGION_EXTRA_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "11": ("서울시",), "26": ("부산시",), "27": ("대구시",), "28": ("인천시",), "29": ("광주시",),
    "30": ("대전시",), "31": ("울산시",), "36": ("세종시",), "43": ("충청북도",), "44": ("충청남도",),
    "45": ("전라북도",), "46": ("전라남도",), "47": ("경상북도",), "48": ("경상남도",),
    "50": ("제주도",), "51": ("강원도",),
}
"""Names people still use besides ``regions.csv``'s (old names of 전북, 강원, 제주; "서울시")."""
_REGION_GROUPS: Final[dict[str, tuple[str, ...]]] = {"수도권": ("11", "28", "41")}
_NO_PLACE_WORDS: Final = ("전국", "지역무관", "지역 무관", "지역 상관없", "어디든")

_LOCAL_AREAS: Final[dict[str, tuple[str, str]]] = {
    # 일반구 and former cities people name instead of their 시 (not in districts.csv, which lists
    # 기초자치단체 only): area -> (시도 code, 시)
    "분당": ("41", "성남시"), "분당구": ("41", "성남시"), "수정구": ("41", "성남시"), "중원구": ("41", "성남시"),
    "일산": ("41", "고양시"), "일산동구": ("41", "고양시"), "일산서구": ("41", "고양시"), "덕양구": ("41", "고양시"),
    "수지": ("41", "용인시"), "수지구": ("41", "용인시"), "기흥": ("41", "용인시"), "기흥구": ("41", "용인시"),
    "처인구": ("41", "용인시"), "영통": ("41", "수원시"), "영통구": ("41", "수원시"), "팔달구": ("41", "수원시"),
    "권선구": ("41", "수원시"), "장안구": ("41", "수원시"), "만안구": ("41", "안양시"), "동안구": ("41", "안양시"),
    "단원구": ("41", "안산시"), "상록구": ("41", "안산시"), "동탄": ("41", "화성시"), "판교": ("41", "성남시"),
    "마산": ("48", "창원시"), "진해": ("48", "창원시"), "의창구": ("48", "창원시"), "성산구": ("48", "창원시"),
    "흥덕구": ("43", "청주시"), "상당구": ("43", "청주시"), "서원구": ("43", "청주시"), "청원구": ("43", "청주시"),
    "완산구": ("45", "전주시"), "덕진구": ("45", "전주시"), "동남구": ("44", "천안시"), "서북구": ("44", "천안시"),
}
"""Well-known parts of a 시 typed instead of it: "분당 거주" is 경기 성남시."""

_LANDMARKS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    # Ports, airports, industrial complexes and stations named instead of the 시군구 they sit in:
    # landmark -> its (시도 code, 시군구). Only places that lie in one 시군구 — or in two, which then
    # both become chips, as an unqualified 중구 does. A place on a border is left out and stays free
    # text: 강남역 (강남구 and 서초구), 서울역 (용산구 and 중구), 김포공항 (서울 강서구, 부천, 김포).
    "평택항": (("41", "평택시"),),  # the 경기 side of 평택·당진항 (the 충남 side is called 당진항)
    "인천공항": (("28", "중구"),), "인천국제공항": (("28", "중구"),),  # 영종도, 인천 중구
    "김해공항": (("26", "강서구"),), "김해국제공항": (("26", "강서구"),),  # in 부산 강서구, not 김해시
    "제주공항": (("50", "제주시"),), "제주국제공항": (("50", "제주시"),),
    "반월공단": (("41", "안산시"),), "반월산단": (("41", "안산시"),), "반월국가산단": (("41", "안산시"),),
    # 시화국가산업단지: 시흥시 정왕동 and a part of 안산시 단원구
    "시화공단": (("41", "시흥시"), ("41", "안산시")), "시화산단": (("41", "시흥시"), ("41", "안산시")),
    "시화국가산단": (("41", "시흥시"), ("41", "안산시")),
    "반월시화공단": (("41", "안산시"), ("41", "시흥시")), "시화반월공단": (("41", "시흥시"), ("41", "안산시")),
    "남동공단": (("28", "남동구"),), "남동산단": (("28", "남동구"),), "남동국가산단": (("28", "남동구"),),
    "구미공단": (("47", "구미시"),), "구미산단": (("47", "구미시"),), "구미국가산단": (("47", "구미시"),),
    "여수산단": (("46", "여수시"),), "여수국가산단": (("46", "여수시"),), "여천공단": (("46", "여수시"),),
    "온산공단": (("31", "울주군"),), "온산산단": (("31", "울주군"),), "온산국가산단": (("31", "울주군"),),
    "창원공단": (("48", "창원시"),), "창원산단": (("48", "창원시"),), "창원국가산단": (("48", "창원시"),),
    "대산공단": (("44", "서산시"),), "대산산단": (("44", "서산시"),), "대산석유화학단지": (("44", "서산시"),),
    "오창산단": (("43", "청주시"),), "오창과학산단": (("43", "청주시"),),
    "가산디지털단지": (("11", "금천구"),), "구로디지털단지": (("11", "구로구"),), "마곡지구": (("11", "강서구"),),
    # stations whose 시군구 is not the one their name says, or says only in part
    "천안아산역": (("44", "아산시"),),  # KTX, 아산시 배방읍
    "광명역": (("41", "광명시"),), "오송역": (("43", "청주시"),),  # KTX, 청주시 흥덕구 오송읍
}
"""Landmarks typed instead of a 시군구: "평택항 물류" is 경기 평택시, "인천공항 보안" 인천 중구."""

_COMMON_WORD_PLACES: Final[frozenset[str]] = frozenset(
    "수지 진해 음성 예산 장수 상주 영양 고령 동작 수영 사상 기장 달성 연수 광산 구리 영광 진도 부여 양산 경주 "
    "보은 공주 거창 남해 동해 진주 구미 정선 청도 성주 고성 강진 보성 의성 화순 태안 영주".split()
)
"""Short 시군구 names that are also everyday words (음성 상담, 예산 관리, 상주 근무, 수영 강사): read
as places only after a 시도 or before a place word."""
_PLACE_WORD_AFTER = r"(?=\s*(?:지역|근처|인근|쪽|소재|주변|일대|부근|거주|시내|에서|에 사는|에 거주))"
_PLACE_TAIL = (r"(?=$|[^가-힣]|에서|에|이나|나|와|과|랑|이랑|및|또는|쪽|지역|권|근처|인근|내|소재|주변|"
               r"일대|부근|으로|로|의|만|까지|거주|근무|출퇴근|통근|사는|살)")
_WORD_START = r"(?<![가-힣A-Za-z0-9])"


@dataclass(frozen=True)
class _Vocabulary:
    occupations: dict[str, str]  # compact name -> 소분류
    occupation_names: dict[str, str]  # 소분류 -> name
    certificates: dict[str, str]  # compact name -> certificate id
    certificate_names: dict[str, str]  # id -> name
    region_names: dict[str, str]  # variant -> 시도 code
    region_short: dict[str, str]  # code -> short name
    region_pattern: re.Pattern[str]
    districts_by_name: dict[str, tuple[District, ...]]  # full or short name -> districts
    district_pattern: re.Pattern[str]
    known_districts: frozenset[District]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


_GENERIC_TITLES: Final = frozenset(
    "연구원 시험원 사무원 종사원 종사자 기술자 전문가 관리자 조작원 조립원 기능원 요원 임원 관련종사원 관련종사자".split()
)


def _is_job_title(part: str) -> bool:
    # one side of "A 및 B" is a name of its own when it names a job (택배원 of "택배원 및 기타 운송 종사자"),
    # not when it is a field ("건설" of "건설 및 광업 관련 관리자") or a generic title ("연구원")
    return len(part) >= 3 and part[-1] in "원사자공가관인장" and part not in _GENERIC_TITLES


def _occupation_vocabulary(reference: Reference) -> dict[str, str]:
    known = set(reference.occupations["keco_code"])
    words: dict[str, str] = {}
    tree = reference.keco_tree
    for code, name, level, parent in zip(tree["code"], tree["name"], tree["level"], tree["parent"], strict=True):
        occupation = code if level == 3 else parent if level == 4 else None
        if occupation not in known:
            continue
        inside = re.findall(r"\(([^)]*)\)", name)
        bare = re.sub(r"\([^)]*\)", "", name).strip()
        parts = [_compact(p) for p in bare.split(" 및 ")] if " 및 " in bare else []
        forms = [_compact(bare)] + [p for p in parts if _is_job_title(p)]
        forms += [_compact(item) for group in inside for item in re.split(r"[·,]", group)]
        for key in forms:
            # a 세분류 name keeps the first 소분류 it was seen under; 기타 … names are not words people type
            if len(key) >= 2 and not key.startswith("기타"):
                words.setdefault(key, occupation)
    for alias, code in OCCUPATION_ALIASES.items():
        if code in known:
            words[alias] = code
    return words


def _certificate_vocabulary(reference: Reference) -> tuple[dict[str, str], dict[str, str]]:
    certs = reference.certificates.sort_values(["n_occupations", "certificate_id"], ascending=[False, True])
    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    for cert_id, name in zip(certs["certificate_id"], certs["name"], strict=True):
        names[cert_id] = name
        if "삭제" in name or name.endswith(" 등") or "." in name:
            continue  # withdrawn titles and the dictionary's lists of several certificates
        key = _compact(name)
        if len(key) >= _MIN_CERTIFICATE_CHARS:
            by_name.setdefault(key, cert_id)
        bare = _compact(re.sub(r"\([^)]*\)", "", name))
        if len(bare) >= _MIN_CERTIFICATE_CHARS:
            by_name.setdefault(bare, cert_id)  # 미용사(일반) → 미용사: the most widely held variant
        unbracketed = _compact(re.sub(r"[()]", "", name))
        if len(unbracketed) >= _MIN_CERTIFICATE_CHARS:
            by_name.setdefault(unbracketed, cert_id)  # 자동차운전면허1종대형, as ads write it
    for alias, name in _CERTIFICATE_ALIASES.items():
        if _compact(name) in by_name:
            by_name[alias] = by_name[_compact(name)]
    return by_name, names


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=4)
def _vocabulary(reference: Reference) -> _Vocabulary:
    # keyed by the Reference object itself (eq=False: its identity), so a test's own reference
    # gets its own dictionaries and the app's cached one is built once per process
    occupations = _occupation_vocabulary(reference)
    certificates, certificate_names = _certificate_vocabulary(reference)
    regions = reference.regions
    region_names: dict[str, str] = {}
    for code, name, short in zip(regions["code"], regions["name"], regions["short"], strict=True):
        for variant in (name, short, *_REGION_EXTRA_NAMES.get(code, ())):
            region_names[variant] = code
    districts: dict[str, list[District]] = {}
    d = reference.districts
    for code, name, short in zip(d["region_code"], d["name"], d["short"], strict=True):
        district = District(code, name)
        districts.setdefault(name, []).append(district)
        if short and short not in region_names:  # 광주 is the 광역시; 경기 광주시 needs its 시
            districts.setdefault(short, []).append(district)
    for area, (code, city) in _LOCAL_AREAS.items():
        if city in districts:
            districts.setdefault(area, [District(code, city)])
    for landmark, places in _LANDMARKS.items():
        known = [District(code, name) for code, name in places if District(code, name) in districts.get(name, ())]
        if known:
            districts.setdefault(landmark, known)
    return _Vocabulary(
        occupations=occupations,
        occupation_names=dict(zip(reference.occupations["keco_code"], reference.occupations["name"], strict=True)),
        certificates=certificates,
        certificate_names=certificate_names,
        region_names=region_names,
        region_short=dict(zip(regions["code"], regions["short"], strict=True)),
        region_pattern=re.compile(_WORD_START + "(" + _alternation([*region_names, *_REGION_GROUPS]) + ")"
                                  + _PLACE_TAIL),
        districts_by_name={k: tuple(v) for k, v in districts.items()},
        district_pattern=re.compile(_WORD_START + "(" + _alternation(districts) + ")" + _PLACE_TAIL),
        known_districts=frozenset(District(c, n) for c, n in zip(d["region_code"], d["name"], strict=True)),
    )


# --------------------------------------------------------------------------- the sentence

class _Found(NamedTuple):
    """One condition read: where it was typed (``start:end``, its cue words included) and its value."""

    start: int
    end: int
    value: object


_TAKEN: Final = "\x00"
"""Stands for an understood character in the masked text: no pattern matches it or across it."""


class _Sentence:
    """The normalised sentence, which characters are understood, what goes to free text, and where
    the words that make a condition preferred stand (:func:`_read_soft_cues`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = [False] * len(text)
        self.kept: list[tuple[int, str]] = []  # (position, phrase) that go to free text verbatim
        self.cues_after: list[int] = []  # where a cue about the condition before it starts (우대, 이면 좋고)
        self.cues_before: list[int] = []  # where a cue about the condition after it ends (가급적)
        self.sections: list[tuple[int, int]] = []  # a "우대사항:" list: every condition in it

    def cue_follows(self, end: int) -> bool:
        """Whether a cue after the condition ending at ``end`` is about it (only joining words between)."""
        return any(_SOFT_GAP.fullmatch(self.text, end, cue) for cue in self.cues_after if cue >= end)

    def cue_precedes(self, start: int) -> bool:
        """Whether a cue before the condition starting at ``start`` is about it."""
        return any(re.fullmatch(r"[\s,:]*", self.text[cue:start]) for cue in self.cues_before if cue <= start)

    def in_section(self, start: int) -> bool:
        """Whether the condition starting at ``start`` is in a "우대사항:" list."""
        return any(first <= start < last for first, last in self.sections)

    def is_soft(self, start: int, end: int) -> bool:
        """Whether the condition typed at ``start:end`` is preferred rather than required."""
        return self.cue_follows(end) or self.cue_precedes(start) or self.in_section(start)

    def masked(self) -> str:
        return "".join(_TAKEN if t else c for c, t in zip(self.text, self.taken, strict=True))

    def take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.taken[i] = True

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches on the untaken text, skipping any whose characters an earlier match took meanwhile."""
        for m in list(pattern.finditer(self.masked())):
            if not any(self.taken[m.start():m.end()]):
                yield m


def _normalise(sentence: str) -> str:
    text = unicodedata.normalize("NFKC", sentence)
    text = re.sub(r"[～〜∼‐–—]", "~", text)
    text = re.sub(r"반\s*년", "6개월", text)  # 반년 is six months: one spelling for the career patterns
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- preferred (soft) conditions

_SOFT_SECTION = re.compile(r"우대\s*(?:사항|조건|요건)\s*[:：\-]?|우대\s*[:：]")
_SECTION_END = re.compile(r"[.;\n]|필수\s*(?:사항|조건|요건)?\s*[:：]|자격\s*요건|지원\s*자격")
_SOFT_AFTER = re.compile(
    r"(?:가능하면|있으면|되면|이면|하면|라면|면)\s*(?:더\s*)?좋\w*|가능하면|우대\w*|선호\w*|"
    r"우선(?:\s*(?:채용|고려|선발))?|가산점|가점"
)
_SOFT_BEFORE = re.compile(r"가급적|되도록(?:이면)?|이왕이면|될\s*수\s*있으면")
_SOFT_GAP = re.compile(
    r"(?:\s+|[)\]]|이상|정도|이면|으면|있으면|라면|면|시|이|가|은|는|도|만|을|를|자|분|인|이신|한|하신|있는|있으신|"
    r"소지|보유|취득|경험|거주|출신|가능|가능한|가능자|근무|출퇴근|통근|인근|근처|지역|쪽|자격증|자격|면허증|면허|증)*"
)
"""What may stand between a condition and the cue after it: "평택 [거주자] 우대", "대졸[이면] 좋음"."""
_REQUIRED = re.compile(r"필수")
_REQUIRED_AFTER = re.compile(r"\s*(?:은|는|이|가)?\s*(?:꼭\s*)?(?:필수|필요|있어야)")
_SOFT_LIST = re.compile(r"\s*(?:,|·|/|및|또는|혹은|이나|나|와|과|랑|이랑|그리고)?\s*")
"""What joins conditions of one kind that share a cue: "컴활, 워드 우대", "가급적 서울이나 경기"."""


def _read_soft_cues(s: _Sentence) -> None:
    """Find (and take) the words that make a condition preferred; the readers ask :meth:`_Sentence.is_soft`.

    After the condition: 우대, 선호, 우선, 가산점, "…이면 좋고", "있으면 좋음", "가능하면". Before it:
    가급적, 되도록, 이왕이면, "가능하면" at the start of a clause. A "우대사항:" list makes every
    condition up to the end of the sentence (or to 필수/자격요건) preferred.
    """
    for m in s.finditer(_SOFT_SECTION):
        end = _SECTION_END.search(s.text, m.end())
        s.sections.append((m.end(), end.start() if end else len(s.text)))
        s.take(m.start(), m.end())
    for m in s.finditer(_SOFT_AFTER):
        before = s.text[: m.start()].rstrip()
        if m.group() == "가능하면" and (not before or before[-1] in ",.;:(/"):
            s.cues_before.append(m.end())  # "가능하면 대졸": about what follows
        else:
            s.cues_after.append(m.start())
        s.take(m.start(), m.end())
    for m in s.finditer(_SOFT_BEFORE):
        s.cues_before.append(m.end())
        s.take(m.start(), m.end())


def _soft_flags(s: _Sentence, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """Which of one reader's conditions (``(start, end)`` as typed) are preferred: each by its own cue,
    and a list of them joined by commas or 및/이나 by the cue after its last one or before its first
    ("컴활, 워드 우대"; "가급적 서울이나 경기")."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    pairs = list(zip(order, order[1:], strict=False))

    def joined(left: int, right: int) -> bool:
        (_, end), (start, _) = spans[left], spans[right]
        # one word may give several conditions (중구: one per 시도), which share its cue
        return spans[left] == spans[right] or (end <= start and _SOFT_LIST.fullmatch(s.text, end, start) is not None)

    # "용접기능사 필수, 특수용접기능사 우대": a condition marked 필수 is required, and a list stops at it
    required = [_REQUIRED.search(s.text, start, end) is not None or _REQUIRED_AFTER.match(s.text, end) is not None
                for start, end in spans]
    after = [s.cue_follows(end) for _, end in spans]
    for left, right in reversed(pairs):
        after[left] = after[left] or (after[right] and not required[right] and joined(left, right))
    before = [s.cue_precedes(start) for start, _ in spans]
    for left, right in pairs:
        before[right] = before[right] or (before[left] and not required[left] and joined(left, right))
    return [(a or b or s.in_section(start)) and not must
            for a, b, must, (start, _) in zip(after, before, required, spans, strict=True)]


# --------------------------------------------------------------------------- numbers

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_UNIT_VALUES: Final[dict[str, float]] = {
    "억": 1e8, "천만": 1e7, "백만": 1e6, "십만": 1e5, "만": 1e4, "천": 1e3, "백": 1e2, "": 1.0,
}
_AMOUNT = rf"(?:(?:{_NUM}\s*(?:천만|백만|십만|억|만|천|백)\s*)+(?:{_NUM}(?![\d.,]))?|{_NUM})"
_AMOUNT_PART = re.compile(rf"({_NUM})\s*(천만|백만|십만|억|만|천|백)?")


def _amount(text: str) -> tuple[float, float]:
    """KRW of an amount written with 억/만/천 ("1만2천" → 12,000) and the smallest unit used (1 if none)."""
    total, smallest = 0.0, 0.0
    text = "1" + text if text[:1] in "억천백만" else text  # "만원" is 1만원
    for number, unit in _AMOUNT_PART.findall(text):
        value = _UNIT_VALUES[unit]
        total += float(number.replace(",", "")) * value
        smallest = value if not smallest else min(smallest, value)
    return total, smallest or 1.0


_NATIVE_NUMBERS: Final[dict[str, int]] = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "십": 10,
}


def _count(text: str) -> float:
    return float(_NATIVE_NUMBERS.get(text, 0) or text)


# --------------------------------------------------------------------------- wages

_WAGE_WORDS: Final[dict[str, str]] = {
    "월급": "monthly", "월": "monthly", "월급여": "monthly", "급여": "monthly", "임금": "monthly",
    "보수": "monthly", "페이": "monthly", "희망임금": "monthly", "희망급여": "monthly", "희망월급": "monthly",
    "연봉": "annual", "연": "annual", "희망연봉": "annual", "시급": "hourly", "시간당": "hourly",
    "일급": "daily", "일당": "daily",
}
_GUESSED_TYPE_WORDS: Final = frozenset({"급여", "임금", "보수", "페이", "희망임금", "희망급여"})
"""Wage words that do not say the period: the amount's size decides, as without a wage word."""
_WAGE_WORD = r"(?:희망\s*(?:임금|급여|연봉|월급)|월\s*급여|월급|연봉|시급|시간당|일급|일당|급여|임금|보수|페이|(?<![가-힣])월(?=\s*\d)|(?<![가-힣])연(?=\s*\d))"
_MIN_WORDS = r"이상|넘게|넘는|초과|부터|이상으로"
_MAX_WORDS = r"이하|이내|미만|까지|안쪽|정도|선|내외|가량|수준"
_WAGE_TAIL = rf"(?:\s*(?P<bound>{_MIN_WORDS}|{_MAX_WORDS}))?"
_RANGE = rf"(?:\s*(?:~|-|에서|부터)\s*(?P<b>{_AMOUNT})\s*(?P<won2>원)?)?"
_TYPED_WAGE = re.compile(
    rf"(?P<word>{_WAGE_WORD})\s*(?:은|는|:)?\s*(?P<a>{_AMOUNT}|(?:천만|백만|만)(?=\s*원))\s*(?P<won>원)?{_RANGE}{_WAGE_TAIL}"
)
_UNTYPED_WAGE = re.compile(
    rf"(?<![\d.,])(?P<a>{_AMOUNT})\s*(?:원\s*)?(?:~|-|에서)\s*(?P<b>{_AMOUNT})\s*원{_WAGE_TAIL}"
    rf"|(?<![\d.,])(?P<one>{_AMOUNT})\s*원{_WAGE_TAIL.replace('bound', 'bound1')}"
)


def _wage_type_by_size(krw: float) -> str:
    if krw < 50_000:
        return "hourly"
    if krw < 500_000:
        return "daily"
    return "annual" if krw >= 10_000_000 else "monthly"


def _monthly(wage_type: str, krw: float) -> int:
    # the app's one wage arithmetic: 시급 × 209 h, 일급 × 26.1 paid days at 40 h a week, 연봉 ÷ 12
    return round(float(labour.monthly_equivalent(wage_type, krw, labour.FULL_TIME_HOURS)))


def _read_wages(s: _Sentence) -> tuple[int | None, int | None]:
    low: int | None = None
    high: int | None = None
    for pattern in (_TYPED_WAGE, _UNTYPED_WAGE):
        for m in s.finditer(pattern):
            groups = m.groupdict()
            first = groups.get("a") or groups["one"]
            a, a_unit = _amount(first)
            b, b_unit = _amount(groups["b"]) if groups.get("b") else (None, 1.0)
            if b is not None and a_unit == 1.0 and b_unit > 1.0:
                a *= b_unit  # "250~300만원": the unit written once applies to both
            word = _compact(groups.get("word") or "")
            wage_type = _WAGE_WORDS.get(word)
            if wage_type in ("monthly", "annual") and max(a, b or 0) < 10_000:
                a, b = a * 10_000, (b * 10_000 if b is not None else None)  # "월급 300" is 300만원
            if wage_type is None or word in _GUESSED_TYPE_WORDS:
                wage_type = _wage_type_by_size(max(a, b or 0))
            bound = groups.get("bound") or groups.get("bound1") or ""
            s.take(m.start(), m.end())
            if b is not None:
                low, high = _monthly(wage_type, a), _monthly(wage_type, b)
            elif re.fullmatch(_MIN_WORDS, bound):
                low = _monthly(wage_type, a)
            else:
                high = _monthly(wage_type, a)  # what the employer offers caps the desired wage
    return low, high


# --------------------------------------------------------------------------- career

_NUMK = r"(?:\d+(?:\.\d+)?|다섯|여섯|일곱|여덟|아홉|한|두|세|네|열|십)"
_CAREER_CUE = r"(?:경력|경험|실무|근무|종사|일한|일하신|근속)"
_PERIOD_UNIT = r"(?:년|개월|달)"
_CAREER_RANGE = re.compile(
    rf"(?P<cue1>{_CAREER_CUE}\s*(?:이|은|는|:)?\s*)?(?P<n1>{_NUMK})\s*(?P<u1>{_PERIOD_UNIT})?\s*(?:~|-|에서)\s*"
    rf"(?P<n2>{_NUMK})\s*(?P<u2>{_PERIOD_UNIT})\s*(?P<cha>차)?\s*(?:사이|정도)?(?P<cue2>\s*(?:의\s*)?{_CAREER_CUE})?"
)
_CAREER_ONE = re.compile(
    rf"(?P<cue1>{_CAREER_CUE}\s*(?:이|은|는|:)?\s*(?:만\s*)?)?(?P<n>{_NUMK})\s*(?P<u>{_PERIOD_UNIT})(?P<half>\s*반)?"
    rf"(?:\s*(?P<extra>\d{{1,2}})\s*개월)?"
    rf"\s*(?P<cha>차)?(?:\s*(?P<bound>{_MIN_WORDS}|넘은|넘으신|이하|이내|미만|까지|안 된|안된|정도|가량))?"
    rf"(?:\s*(?:이신|인|의|된|되신)?\s*(?P<cue2>{_CAREER_CUE}))?"
)
_NOT_CAREER_BEFORE = re.compile(r"(?:계약|기간|나이|연령|설립|업력|회사|사업|운영)\s*(?:기간)?\s*(?:은|는|이|:)?\s*$")
_ANY_CAREER = re.compile(
    r"경력\s*무관|경력무관|경력\s*상관\s*없\w*|신입\s*(?:및|·|/|,|또는|이나|과|와|도)\s*경력(?:직|자)?|"
    r"경력\s*(?:·|/|및)\s*신입|신입\s*(?:도\s*)?(?:가능|환영|괜찮\w*)|(?:경력|경험)\s*없어도\s*(?:됨|돼요|괜찮\w*|가능)?|초보\s*(?:가능|환영|도\s*가능)"
)
_NEWCOMER = re.compile(r"신입(?:\s*(?:사원|직원))?|무경력|무경험|경력\s*없는|경험\s*없는")
_EXPERIENCED = re.compile(r"(?:경력|경험)\s*(?:자|직|있는|있으신|보유)|유경험자|"
                          r"(?<![가-힣])경력(?:\s*\(\s*연수\s*무관\s*\))?(?![가-힣])")
"""Some experience, no length: 경력자, 경력직, and a bare 경력 or 워크넷's "경력 (연수무관)" once every
longer career phrase has been read."""


def _months(number: str, unit: str | None, half: bool = False) -> int:
    value = _count(number)
    months = value * 12 if unit in (None, "년") else value
    return round(months + (6 if half else 0))


class _Career:
    """Least and most months of experience read so far (``None``: no bound)."""

    def __init__(self) -> None:
        self.low: int | None = None
        self.high: int | None = None

    def raise_low(self, value: int) -> None:
        self.low = value if self.low is None else max(self.low, value)

    def lower_high(self, value: int) -> None:
        self.high = value if self.high is None else min(self.high, value)


def _read_career(s: _Sentence) -> tuple[_Career, _Career]:
    """Required and preferred experience ("경력 3년 이상이면 좋고", "신입 우대")."""
    required, preferred = _Career(), _Career()

    def bounds_of(m: re.Match[str]) -> _Career:
        return preferred if s.is_soft(m.start(), m.end()) else required

    for m in s.finditer(_ANY_CAREER):
        s.take(m.start(), m.end())
    for m in s.finditer(_CAREER_RANGE):
        if not (m["cue1"] or m["cue2"] or m["cha"]) or _count(m["n2"]) >= 100:
            continue
        unit1 = m["u1"] or m["u2"]
        career = bounds_of(m)
        career.raise_low(_months(m["n1"], unit1))
        career.lower_high(_months(m["n2"], m["u2"]))
        s.take(m.start(), m.end())
    masked = s.masked()
    for m in s.finditer(_CAREER_ONE):
        bound = m["bound"] or ""
        if _count(m["n"]) >= 100 or _NOT_CAREER_BEFORE.search(masked[: m.start()]):
            continue  # 2020년; 계약 기간 2년, 만 3년
        if not (m["cue1"] or m["cue2"] or m["cha"] or bound and bound not in ("정도", "가량")):
            continue
        career = bounds_of(m)
        if career is preferred:
            # "경력 (최소 3년 이상) 우대": the 경력 before the parenthesis is this preference's, not a
            # separate "experience required"
            lead = re.search(r"(?:경력|경험)\s*\(?\s*(?:최소\s*)?$", masked[: m.start()])
            s.take(lead.start() if lead else m.start(), m.start())
        months = _months(m["n"], m["u"], bool(m["half"]))
        if m["extra"] and m["u"] == "년":
            months += int(m["extra"])  # 2년 6개월
        if m["cha"]:
            career.raise_low(max(months - 12, 0))  # 3년차: in the third year, two full years behind
        elif bound in ("이하", "이내", "까지", "안 된", "안된"):
            career.lower_high(months)
        elif bound == "미만":
            career.lower_high(max(months - 1, 0))
        else:
            career.raise_low(months)
        s.take(m.start(), m.end())
    for m in s.finditer(_NEWCOMER):
        bounds_of(m).lower_high(0)
        s.take(m.start(), m.end())
    for m in s.finditer(_EXPERIENCED):
        career = bounds_of(m)
        if career.low is None:
            career.raise_low(1)
        s.take(m.start(), m.end())
    return required, preferred


# --------------------------------------------------------------------------- fixed phrase lists

_EDUCATION_PATTERNS: Final[tuple[tuple[str | None, re.Pattern[str]], ...]] = tuple(
    # 자 only right after the level (대졸자): "박사 자동차…" is a doctorate and a car
    (level, re.compile(rf"(?:학력\s*(?::|은|는)?\s*)?(?:{words})(?:\s*(?:이상의|이상|학력|출신|학위|졸업자?)|자)*"))
    for level, words in (
        (None, r"학력\s*(?:무관|상관\s*없\w*|제한\s*없\w*)|학력무관"),
        ("석사", r"석사|박사|대학원\s*졸업?|대학원"),
        ("전문대졸", r"대졸\s*\(\s*2\s*~\s*3\s*년\s*\)|전문대졸|전문대학?\s*졸업?|전문대학?|초대졸|전문학사|"
                     r"[23]년제(?:\s*대학?)?(?:\s*졸업?)?"),
        ("대졸", r"대졸(?:\s*\(\s*4\s*년\s*\))?|대학교?\s*졸업?|4년제(?:\s*대학?)?(?:\s*졸업?)?|학사"),
        ("고졸", r"고졸|고등학교\s*졸업?|고교\s*졸업?"),
    )
)
_EMPLOYMENT_PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (kind, re.compile(words)) for kind, words in (
        ("정규직", r"정규직|정직원"),
        ("계약직", r"계약직|기간제"),
        ("시간제", r"시간제|파트\s*타임|파트타이머|아르바이트|알바|단시간"),
        ("일용직", r"일용직|일용|일당직"),
    )
)
_NEGATED_AFTER = re.compile(r"\s*(?:근무\s*)?(?:불가|제외|휴무|쉬는|쉼|없는|없이|안\s*함|x|X)")
_PATTERN_PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (pattern, re.compile(words + r"(?:\s*(?:근무|출근|조|타임|근로))?")) for pattern, words in (
        ("교대", r"주\s*야\s*간?\s*(?:[234]\s*)?(?:맞)?교대|(?:[234]\s*조\s*)?[234]\s*교대(?:제)?|맞교대|교대제|교대"),
        ("야간", r"야간|심야|밤\s*(?:근무|시간)|나이트"),
        ("주말", r"주말|토\s*[·,/]?\s*일요일|토요일|일요일|토일"),
        ("재택", r"재택|원격\s*근무|리모트"),
        ("주간", r"주간(?=\s*(?:근무|만|조|타임|가능|출근|$|[,.]))|낮\s*(?:근무|시간)"),
    )
)
_EXCLUDED = re.compile(
    r"(?<![가-힣])(?:남자|여자|남성|여성|남직원|여직원|아줌마|아주머니|아가씨|총각|이모님|"
    r"\d{2}\s*(?:세|살)(?:\s*(?:이하|이상|미만|까지|부터|정도))?|[1-9]0\s*대(?:\s*(?:초반|중반|후반))?|"
    r"\d{2}\s*년생(?:\s*(?:이후|이전|까지|부터))?|젊은|나이\s*(?:어린|적은|제한)|미혼|기혼|임신|용모\s*단정|외모|"
    r"키\s*\d{3}\s*(?:cm|센티)?(?:\s*이상)?|몸무게)"
    r"(?:\s*(?:만|분|위주|우대|한정))?"
)
"""Sex, age, marital status and appearance: unlawful selection criteria in recruitment (domain facts
§1.6), so never a search condition."""
_FREE_PHRASES = re.compile(
    r"주\s*[1-7]\s*일(?:\s*근무|제)?|(?:주|하루|일)\s*\d{1,2}\s*시간(?:\s*근무)?|(?<![가-힣])요양원"
)
"""Conditions the query has no field for but that must not be misread (주 5일 is not 5 days of career;
요양원, a workplace, is not the care job 요양 + 원)."""
_FILLER = re.compile(r"(?<![가-힣])(?:무관|관계\s*없음|상관\s*없음|연수\s*무관|최소|필수|우대)(?![가-힣])")
"""Form words of posting conditions (워크넷's "경력 (최소 3년 이상)", "무관", "필수"): dropped from the free
text once the conditions around them have been read — they say nothing about the person."""


def _read_levels(s: _Sentence) -> tuple[str | None, str | None]:
    """The least education required, and the least preferred ("대졸 우대")."""
    found: list[_Found] = []
    for level, pattern in _EDUCATION_PATTERNS:
        for m in s.finditer(pattern):
            s.take(m.start(), m.end())
            if level is not None:
                found.append(_Found(m.start(), m.end(), level))
    soft = _soft_flags(s, [(f.start, f.end) for f in found])
    # several levels ("고졸 또는 대졸"): the lowest is the minimum that admits them all
    required = [f.value for f, is_soft in zip(found, soft, strict=True) if not is_soft]
    preferred = [f.value for f, is_soft in zip(found, soft, strict=True) if is_soft]
    return (min(required, key=EDUCATION_LEVELS.index) if required else None,
            min(preferred, key=EDUCATION_LEVELS.index) if preferred else None)


def _read_kinds(s: _Sentence, patterns: Sequence[tuple[str, re.Pattern[str]]]) -> list[_Found]:
    found: list[_Found] = []
    for kind, pattern in patterns:
        for m in s.finditer(pattern):
            if _NEGATED_AFTER.match(s.text, m.end()):
                continue  # "주말 근무 불가": stays in the free text, it is not a wish for weekends
            s.take(m.start(), m.end())
            found.append(_Found(m.start(), m.end(), kind))
    return found


# --------------------------------------------------------------------------- dictionary scans

def _compact_view(masked: str) -> tuple[str, list[int], list[bool]]:
    """The masked text without spaces, each character's index in it, and whether a word starts there."""
    chars: list[str] = []
    index: list[int] = []
    starts: list[bool] = []
    previous = " "
    for i, c in enumerate(masked):
        if c.isspace():
            previous = " "
            continue
        chars.append(c)
        index.append(i)
        starts.append(not (previous.isalnum() and previous != _TAKEN))
        previous = c
    return "".join(chars), index, starts


def _scan(
    s: _Sentence, words: dict[str, str], min_chars: int, accept: Callable[[str, int], bool]
) -> list[tuple[int, int, str, str]]:
    """Longest dictionary words at word starts of the untaken text: (start, end, word, value)."""
    compact, index, starts = _compact_view(s.masked())
    longest = max((len(w) for w in words), default=0)
    found = []
    i = 0
    while i < len(compact):
        hit = None
        if starts[i] and compact[i] != _TAKEN:
            for length in range(min(longest, len(compact) - i), min_chars - 1, -1):
                word = compact[i:i + length]
                if word in words and accept(word, index[i + length - 1] + 1):
                    hit = (index[i], index[i + length - 1] + 1, word, words[word])
                    break
        if hit:
            found.append(hit)
            i += len(hit[2])
        else:
            i += 1
    return found


_GRADE = r"(?:\s*[1-3]\s*급)?"
_CERT_CUE_AFTER = re.compile(
    rf"{_GRADE}\s*(?:{_CERTIFICATE_CUE}(?:\s*{_CERTIFICATE_CUE})*(?:자|증)?(?:\s*필수)?|필수(?![가-힣]))"
)
_UNKNOWN_CERT = re.compile(
    rf"(?P<what>[가-힣A-Za-z]{{2,}}[가-힣A-Za-z0-9]*)(?:{_GRADE}\s*(?:자격증|자격|면허증|면허)|\s*[1-3]\s*급(?![가-힣]))"
)
"""A certificate phrase the table does not hold: "지게차 면허" once 지게차운전기능사 is read, "컴활 1급"."""
_TYPED_GRADE = re.compile(r"\s*([1-3])\s*급")


def _read_certificates(s: _Sentence, vocab: _Vocabulary) -> tuple[list[_Found], list[tuple[int, str]]]:
    """Certificates found (their cue words within), and occupations named by the job word of a
    certificate ("지게차 자격증": 623) for a sentence that names no occupation of its own."""
    jobs = _scan(s, vocab.occupations, 2, lambda word, end: _whole_word(s, word, end))

    def is_certificate(word: str, end: int) -> bool:
        grade = _TYPED_GRADE.match(s.text, end)
        named = re.search(r"([1-3])급", vocab.certificate_names[vocab.certificates[word]])
        if grade and named and grade.group(1) != named.group(1):
            return False  # "컴활 1급" is not 컴퓨터활용능력 2급
        if word not in vocab.occupations and word not in _CUE_ONLY_ALIASES:
            return True
        if _CERT_CUE_AFTER.match(s.text, end):
            return True  # 간호사 면허, 요양보호사 자격증, 간호사 필수, 지게차 자격증
        # "간호조무사 모집, 간호사 우대": a licence named like a job, preferred in a search for another job
        other_job = any(code != vocab.occupations.get(word) for _, _, _, code in jobs)
        return word in vocab.occupations and other_job and s.cue_follows(end)

    found = []
    occupations = []
    for start, end, word, cert_id in _scan(s, vocab.certificates, 2, is_certificate):
        cue = _CERT_CUE_AFTER.match(s.text, end)
        grade = _TYPED_GRADE.match(s.text, end)
        graded = grade is not None and f"{grade.group(1)}급" in vocab.certificate_names[cert_id]
        taken = cue.end() if cue else grade.end() if graded else end  # type: ignore[union-attr]
        s.take(start, taken)
        found.append(_Found(start, taken, cert_id))
        if word in _CUE_ONLY_ALIASES and word in vocab.occupations:
            occupations.append((start, vocab.occupations[word]))
    for m in s.finditer(_UNKNOWN_CERT):
        # a certificate the table does not know ("용접 자격증", "컴활 1급"): the phrase is kept for
        # the text search, and a job word before it may still name the occupation
        s.kept.append((m.start(), re.sub(r"\s+", " ", m.group())))
        s.take(m.start(), m.end())
        code = vocab.occupations.get(_compact(m["what"]))
        if code is not None:
            occupations.append((m.start(), code))
    return found, occupations


_WORD_FOLLOWERS = re.compile(
    r"\s|$|[^가-힣]|(?:은|는|이|가|을|를|의|에|와|과|도|만|로|으로|쪽|직|원|공|사|일|업무|분야|기사|경력|경험|관련|"
    r"보조|직원|알바|아르바이트|근무|파트|팀|담당|센터|업|기능|기술|자격|면허|가능|님|들|분|선생|출신|나|및|랑|모집|구인)"
)


def _whole_word(s: _Sentence, word: str, end: int) -> bool:
    # a word must end where the typed word ends or before a particle or a job word: 청소 in 청소년,
    # 행정사 in 행정사무원 are not occupations, 용접 in 용접을 / 용접 경력 / 용접공 is
    return _WORD_FOLLOWERS.match(s.text, end) is not None


def _read_occupations(s: _Sentence, vocab: _Vocabulary) -> list[tuple[int, str]]:
    found = []
    for start, end, _, code in _scan(s, vocab.occupations, 2, lambda word, end: _whole_word(s, word, end)):
        s.take(start, end)
        found.append((start, code))
    return found


def _read_places(s: _Sentence, vocab: _Vocabulary) -> tuple[list[_Found], list[_Found]]:
    """시도 (value: code) and 시군구 (value: :class:`District`) named, each with where it was typed."""
    regions: list[_Found] = []
    districts: list[_Found] = []
    for word in _NO_PLACE_WORDS:
        for m in re.finditer(re.escape(word) + r"\w*", s.masked()):
            s.take(m.start(), m.end())
    for m in s.finditer(vocab.region_pattern):
        word = m.group(1)
        codes = _REGION_GROUPS.get(word) or (vocab.region_names[word],)
        after = re.match(r"\s*", s.text[m.end():]).end() + m.end()  # type: ignore[union-attr]
        d = vocab.district_pattern.match(s.masked(), after)
        inside = [x for x in vocab.districts_by_name.get(d.group(1), ()) if x.region_code in codes] if d else []
        if d and inside:
            s.take(m.start(), d.end())
            districts.extend(_Found(m.start(), d.end(), x) for x in inside)
        else:
            s.take(m.start(), m.end())
            regions.extend(_Found(m.start(), m.end(), code) for code in codes)
    masked = s.masked()
    for m in s.finditer(vocab.district_pattern):
        word = m.group(1)
        if word in _COMMON_WORD_PLACES and not re.match(_PLACE_WORD_AFTER, masked[m.end():]):
            continue
        s.take(m.start(), m.end())
        # an unqualified 중구 or 고성 is every one of them: the chips show each and the user removes
        districts.extend(_Found(m.start(), m.end(), x) for x in vocab.districts_by_name[word])
    return regions, districts


# --------------------------------------------------------------------------- free text

_FILLER_WORDS: Final = frozenset(
    "분 분들 사람 인재 인원 인력 직원 지원자 구직자 후보 후보자 가능 가능자 근무 희망 우대 모집 채용 구인 구직 "
    "찾 구하 원하 있 없 하 되 계시 이상 이하 미만 정도 쯤 추천 주 보 필요 명 님 씨 곳 조건 경우 및 또는 "
    "지역 근처 인근 쪽 거주 출퇴근 통근 싶 관련 경력 경험 자격 자격증 면허 소지 보유 해주 좋 바라 살 "
    "급구 나오 선생 요 것 수 등 혹은 이나 좀 모두 다 전부 사이 기사 일 직 분야 쪽 위주 바람 대상 "
    "거주자 소지자 보유자 취득자".split()
)
"""Morphemes that only frame a search ("… 가능한 분을 찾습니다") and say nothing about the person."""
_CONTENT_TAGS: Final = frozenset({"NNG", "NNP", "VV", "VA", "XR", "MAG", "SH", "NR"})
_KNOWN_LATIN: Final = frozenset(
    "python java javascript typescript js sql c c++ c# go kotlin swift php ruby react vue spring django node "
    "aws linux excel word ppt powerpoint office cad autocad solidworks photoshop illustrator figma sap erp "
    "it hr qa cs mes plc cnc haccp toeic opic english".split()
)
"""Latin words that are real skills: other Latin letters ("asdf qwer") are not a search."""


def _is_word(form: str, tag: str) -> bool:
    if tag == "SL":
        return form.lower() in _KNOWN_LATIN
    if tag not in _CONTENT_TAGS or form in _FILLER_WORDS:
        return False
    return re.search(r"[가-힣]", form) is not None or tag == "SH"


def _free_text(s: _Sentence) -> str:
    pieces: list[tuple[int, str]] = list(s.kept)
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\s\x00]+", s.masked())]
    if spans:
        tokens = kiwi_analyser().tokenize(s.text)
        for start, end in spans:
            inside = [t for t in tokens if start <= t.start and t.start + t.len <= end]
            if not any(_is_word(t.form, t.tag) for t in inside):
                continue
            # a trailing particle or punctuation is the sentence's glue, not part of the condition
            while inside and (inside[-1].tag.startswith("J") or inside[-1].tag in ("SF", "SP", "SS", "SE", "SO", "SW")):
                end = inside.pop().start
            pieces.append((start, s.text[start:end].strip(" ,.·/()[]")))
    return " ".join(p for _, p in sorted(pieces) if p)


# --------------------------------------------------------------------------- parse

def _unique(found: Iterable[tuple[int, object]]) -> tuple:
    return tuple(dict.fromkeys(value for _, value in sorted(found, key=lambda pair: pair[0])))


def _split_soft(s: _Sentence, found: Sequence[_Found]) -> list[tuple[int, object, bool]]:
    """``(position, value, preferred)`` of one reader's conditions."""
    flags = _soft_flags(s, [(f.start, f.end) for f in found])
    return [(f.start, f.value, soft) for f, soft in zip(found, flags, strict=True)]


def _chip_value(value: object) -> str:
    """The chip ``value`` of one condition (:class:`QueryChip`): ``"41:평택시"`` for a district."""
    return f"{value.region_code}:{value.name}" if isinstance(value, District) else str(value)


def _preferred_refs(query: TalentQuery, soft: Mapping[str, list[str]],
                    hard: Mapping[str, list[str]]) -> tuple[tuple[str, str], ...]:
    """The chips of ``query`` that are preferred, in chip order: asked for softly (``soft``: chip values
    by key) and not also required (``hard``): "평택 근무, 평택 거주 우대" keeps 평택 required."""
    refs = []
    for key, value in _condition_refs(query):
        if value in soft.get(key, ()) and value not in hard.get(key, ()):
            refs.append((key, value))
    return tuple(dict.fromkeys(refs))


def parse_talent_query(sentence: str, reference: Reference | None = None) -> TalentQuery:
    """Read a Korean search sentence into structured conditions (see the module docstring).

    Args:
        sentence: What the employer typed, e.g. ``"지게차 경력 3년 이상, 평택 근무 가능한 분"``.
        reference: Reference tables (default: :func:`app.reference.tables.load_reference`).

    Returns:
        The :class:`TalentQuery`, already checked by :func:`validate_query`.

    Raises:
        UnreadableQuery: The sentence is empty, longer than
            :data:`app.bounds.MAX_SEARCH_SENTENCE_CHARS`, holds control characters, or nothing in
            it is a condition or a real word (Korean message saying what to type).
        InvalidInput: The conditions contradict each other or are implausible (e.g. 경력 5~2년).
    """
    reference = reference if reference is not None else load_reference()
    text = _normalise(sentence or "")
    if not text:
        raise UnreadableQuery("검색할 문장을 입력해 주세요. 예: 지게차 경력 3년 이상, 평택 근무 가능한 분")
    if len(text) > bounds.MAX_SEARCH_SENTENCE_CHARS:
        raise UnreadableQuery(
            f"검색 문장은 {bounds.MAX_SEARCH_SENTENCE_CHARS}자 이내로 적어 주세요 (지금 {len(text):,}자). "
            "직종, 지역, 경력처럼 찾는 조건만 짧게 적으면 됩니다."
        )
    if bounds.has_control_characters(text):
        raise UnreadableQuery("검색 문장에 쓸 수 없는 제어 문자가 있습니다. 문장을 다시 입력해 주세요.")
    vocab = _vocabulary(reference)
    s = _Sentence(text)
    for m in s.finditer(_FREE_PHRASES):
        s.kept.append((m.start(), re.sub(r"\s+", " ", m.group())))
        s.take(m.start(), m.end())
    excluded = []
    for m in s.finditer(_EXCLUDED):
        excluded.append((m.start(), re.sub(r"\s*(?:만|분|위주|우대|한정)$", "", m.group())))
        s.take(m.start(), m.end())
    _read_soft_cues(s)
    wage_min, wage_max = _read_wages(s)
    career, preferred_career = _read_career(s)
    education, preferred_education = _read_levels(s)
    for m in s.finditer(_FILLER):
        s.take(m.start(), m.end())
    employment = _split_soft(s, _read_kinds(s, _EMPLOYMENT_PATTERNS))
    patterns = _split_soft(s, _read_kinds(s, _PATTERN_PATTERNS))
    found_certificates, certificate_occupations = _read_certificates(s, vocab)
    certificates = _split_soft(s, found_certificates)
    # an occupation the sentence names leads; a certificate's job word ("지게차 자격증") only stands in
    occupations = _read_occupations(s, vocab) or certificate_occupations
    found_regions, found_districts = _read_places(s, vocab)
    places = _split_soft(s, [*found_regions, *found_districts])
    regions = [f for f in places if not isinstance(f[1], District)]
    districts = [f for f in places if isinstance(f[1], District)]
    if career.low is None and career.high is None and (preferred_career.low, preferred_career.high) != (None, None):
        career, soft_career = preferred_career, True
    else:
        soft_career = False  # a preference beside a requirement of experience ("2년 이상, 5년 우대") is dropped
    soft_education = education is None and preferred_education is not None
    query = TalentQuery(
        occupations=_unique(occupations),
        regions=_unique((p, v) for p, v, _ in regions),
        districts=_unique((p, v) for p, v, _ in districts),
        min_career_months=career.low,
        max_career_months=career.high,
        certificates=_unique((p, v) for p, v, _ in certificates),
        education=education or preferred_education,
        wage_min=wage_min,
        wage_max=wage_max,
        employment_types=_unique((p, v) for p, v, _ in employment),
        work_patterns=_unique((p, v) for p, v, _ in patterns),
        free_text=_free_text(s),
        excluded_terms=_unique(excluded),
    )
    listed = {"district": districts, "region": regions, "certificate": certificates, "employment_type": employment,
              "work_pattern": patterns}
    soft = {key: [_chip_value(v) for _, v, is_soft in found if is_soft] for key, found in listed.items()}
    soft |= {"career": [""] if soft_career else [], "education": [""] if soft_education else []}
    hard = {key: [_chip_value(v) for _, v, is_soft in found if not is_soft] for key, found in listed.items()}
    query = replace(query, preferred=_preferred_refs(query, soft, hard))
    if query.is_empty() and not any(s.taken):
        raise UnreadableQuery(UNREADABLE_MESSAGE)
    validate_query(query, reference)
    return query


# --------------------------------------------------------------------------- chips

def _period(months: int) -> str:
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}년 {rest}개월"
    return f"{years}년" if years else f"{rest}개월"


def _career_label(low: int | None, high: int | None) -> str:
    if high == 0:
        return "신입"
    if high is not None and (high + 1) % 12 == 0 and high >= 11:
        upper = f"{_period(high + 1)} 미만"
    else:
        upper = f"{_period(high)} 이하" if high is not None else ""
    if low is None or low == 0:
        return upper or "무관"
    lower = "경력 있음" if low == 1 and high is None else f"{_period(low)} 이상"
    return f"{lower} {upper}".strip()


def _wage_label(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{format_wage('monthly', low)}~{format_wage('monthly', high).removeprefix('월 ')}"
    if low is not None:
        return f"{format_wage('monthly', low)} 이상"
    return f"{format_wage('monthly', high)} 이하"


def describe_chips(query: TalentQuery, reference: Reference | None = None) -> list[QueryChip]:
    """The understood conditions as Korean chips, in :data:`CHIP_KEYS` order.

    Args:
        query: A parsed or edited query.
        reference: Reference tables for the names of codes (default: the app's).

    Returns:
        One chip per occupation, district, 시도, certificate, employment type and work pattern, and
        one each for career, education, wage and the free text when set; no codes or English.
    """
    reference = reference if reference is not None else load_reference()
    vocab = _vocabulary(reference)
    chips = [QueryChip("occupation", c, f"직종: {vocab.occupation_names.get(c, c)}") for c in query.occupations]
    chips += [QueryChip("district", _chip_value(d),
                        f"지역: {vocab.region_short.get(d.region_code, '')} {d.name}".replace(":  ", ": "))
              for d in query.districts]
    chips += [QueryChip("region", c, f"지역: {vocab.region_short.get(c, c)}") for c in query.regions]
    if query.min_career_months is not None or query.max_career_months is not None:
        chips.append(QueryChip("career", "", f"경력: {_career_label(query.min_career_months, query.max_career_months)}"))
    chips += [QueryChip("certificate", c, f"자격증: {vocab.certificate_names.get(c, c)}") for c in query.certificates]
    if query.education is not None:
        chips.append(QueryChip("education", "", f"학력: {query.education} 이상"))
    if query.wage_min is not None or query.wage_max is not None:
        chips.append(QueryChip("wage", "", f"희망임금: {_wage_label(query.wage_min, query.wage_max)}"))
    chips += [QueryChip("employment_type", k, f"고용형태: {k}") for k in query.employment_types]
    chips += [QueryChip("work_pattern", p, f"근무형태: {p}") for p in query.work_patterns]
    if query.free_text:
        chips.append(QueryChip("free_text", "", f"그 밖의 조건: {query.free_text}"))
    if query.excluded_terms:
        chips.append(QueryChip(
            "excluded", "", f"검색에서 뺀 말: {', '.join(query.excluded_terms)} (성별·나이·혼인·외모는 채용 조건으로 쓸 수 없습니다)"
        ))
    return [replace(c, label=c.label + PREFERRED_MARK) if query.is_preferred(c.key, c.value) else c for c in chips]


def _condition_refs(query: TalentQuery) -> list[tuple[str, str]]:
    """``(key, value)`` of every condition of ``query`` that may be preferred, in chip order."""
    refs = [("district", _chip_value(d)) for d in query.districts]
    refs += [("region", c) for c in query.regions]
    if query.min_career_months is not None or query.max_career_months is not None:
        refs.append(("career", ""))
    refs += [("certificate", c) for c in query.certificates]
    if query.education is not None:
        refs.append(("education", ""))
    refs += [("employment_type", k) for k in query.employment_types]
    refs += [("work_pattern", p) for p in query.work_patterns]
    return refs


def with_chip_removed(query: TalentQuery, key: str, value: str = "") -> TalentQuery:
    """The query without one chip's condition (the chip's ``key`` and ``value``).

    Raises:
        InvalidInput: For a key that is not in :data:`CHIP_KEYS`.
    """
    if key not in CHIP_KEYS:
        raise InvalidInput(f"알 수 없는 검색 조건입니다: {key}")
    query = replace(query, preferred=tuple(ref for ref in query.preferred if ref != (key, value)))
    if key == "district":
        return replace(query, districts=tuple(d for d in query.districts if _chip_value(d) != value))
    multi = {"occupation": "occupations", "region": "regions", "certificate": "certificates",
             "employment_type": "employment_types", "work_pattern": "work_patterns"}
    if key in multi:
        name = multi[key]
        return replace(query, **{name: tuple(v for v in getattr(query, name) if v != value)})
    single = {"career": {"min_career_months": None, "max_career_months": None},
              "wage": {"wage_min": None, "wage_max": None},
              "education": {"education": None}, "free_text": {"free_text": ""}, "excluded": {"excluded_terms": ()}}
    return replace(query, **single[key])


# --------------------------------------------------------------------------- validation

def validate_query(query: TalentQuery, reference: Reference | None = None) -> None:
    """Check that a (parsed or edited) query is coherent and plausible.

    Raises:
        InvalidInput: Naming every problem in Korean: career or wage bounds reversed, values out of
            :mod:`app.bounds`, codes the reference does not hold, free text too long.
    """
    reference = reference if reference is not None else load_reference()
    vocab = _vocabulary(reference)
    problems: list[str] = []
    most_months = int(bounds.MAX_CAREER_YEARS * 12)
    for months in (query.min_career_months, query.max_career_months):
        if months is not None and not 0 <= months <= most_months:
            problems.append(f"경력은 0년에서 {int(bounds.MAX_CAREER_YEARS)}년 사이로 적어 주세요")
            break
    low, high = query.min_career_months, query.max_career_months
    if low is not None and high is not None and low > high:
        problems.append(f"경력의 최소({_period(low)})가 최대({_period(high)})보다 깁니다. 경력 범위를 고쳐 주세요")
    for wage in (query.wage_min, query.wage_max):
        problem = bounds.monthly_wage_problem(wage) if wage is not None else None
        if problem:
            problems.append(f"희망임금 {format_wage('monthly', wage)}: {problem}")
    if query.wage_min is not None and query.wage_max is not None and query.wage_min > query.wage_max:
        problems.append(
            f"희망임금의 하한({format_wage('monthly', query.wage_min)})이 상한"
            f"({format_wage('monthly', query.wage_max)})보다 높습니다. 금액 범위를 고쳐 주세요"
        )
    checks = (
        ("직종", query.occupations, set(vocab.occupation_names)),
        ("지역", query.regions, set(vocab.region_short)),
        ("시군구", query.districts, vocab.known_districts),
        ("자격증", query.certificates, set(vocab.certificate_names)),
        ("고용형태", query.employment_types, set(EMPLOYMENT_TYPES)),
        ("근무형태", query.work_patterns, set(WORK_PATTERNS)),
        ("학력", (query.education,) if query.education is not None else (), set(EDUCATION_LEVELS) - {"무관"}),
    )
    for label, values, known in checks:
        if any(v not in known for v in values):
            problems.append(f"알 수 없는 {label} 조건이 있습니다. 목록에서 다시 골라 주세요")
    if len(query.free_text) > bounds.MAX_SEARCH_SENTENCE_CHARS:
        problems.append(f"그 밖의 조건은 {bounds.MAX_SEARCH_SENTENCE_CHARS}자 이내로 적어 주세요")
    if any(key not in PREFERABLE_KEYS for key, _ in query.preferred) or not set(query.preferred) <= set(
            _condition_refs(query)):
        problems.append("우대 조건이 검색 조건에 없습니다. 조건을 목록에서 다시 골라 주세요")
    if problems:
        raise InvalidInput(". ".join(problems) + ".")
