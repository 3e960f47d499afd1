"""Name vocabulary: census-weighted surnames, given names, composing syllables, romanisation tables."""

from __future__ import annotations

from typing import Final

from app.world.identity.random_stream import cumulative_weights

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
_SURNAME_CUM: Final = cumulative_weights(w for _, w in _SURNAME_WEIGHTS)

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
