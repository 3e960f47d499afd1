"""Synthetic identities: check digits, formats, distributions and determinism."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import numpy as np
import pytest

from app.reference.identifiers import business_no_is_valid, rrn_check_digit_ok
from app.reference.names import AREA_CODES, REGION_FULL_NAMES, REGION_NAMES
from app.world import identity
from app.world.identity import (
    KSIC_SECTIONS,
    UniformStream,
    make_address,
    make_business_no,
    make_company_name,
    make_email,
    make_identity,
    make_landline,
    make_mobile,
    make_person_name,
    make_rrn,
    romanise_name,
)

# PII formats from domain-facts §6.
RRN_RE = re.compile(r"^\d{6}-[1-4]\d{6}$")
MOBILE_RE = re.compile(r"^010-[2-9]\d{3}-\d{4}$")
LANDLINE_RE = re.compile(r"^0(2|[3-6]\d)-\d{3,4}-\d{4}$")
BUSINESS_RE = re.compile(r"^\d{3}-\d{2}-\d{5}$")
EMAIL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._]*[a-z0-9])?@(naver\.com|gmail\.com|daum\.net|hanmail\.net|"
                      r"kakao\.com|nate\.com|hotmail\.com|outlook\.com)$")
HANGUL_RE = re.compile(r"^[가-힣]+$")


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _alter(s: str, pos: int, new_digit: str) -> str:
    return s[:pos] + new_digit + s[pos + 1:]


# --- 주민등록번호 ---------------------------------------------------------------------------------
def test_rrn_known_example() -> None:
    # 8·2+0·3+0·4+1·5+0·6+1·7+1·8+2·9+3·2+4·3+5·4+6·5 = 122; 122 mod 11 = 1; (11-1) mod 10 = 0
    assert rrn_check_digit_ok("800101-1234560")
    assert rrn_check_digit_ok("8001011234560")
    assert not rrn_check_digit_ok("800101-1234561")
    assert not rrn_check_digit_ok("800101-123456")  # too short
    assert not rrn_check_digit_ok("800101-12345600")  # too long
    assert not rrn_check_digit_ok("800101+1234560")  # wrong separator
    assert not rrn_check_digit_ok("80010a-1234560")


@pytest.mark.parametrize(
    ("year", "sex", "digit"), [(1985, "M", "1"), (1985, "F", "2"), (2003, "M", "3"), (2003, "F", "4"),
                               (1899, "M", "9"), (1899, "F", "0")]
)
def test_rrn_front_and_gender_digit(year: int, sex: str, digit: str) -> None:
    rng = _rng(1)
    birth = dt.date(year, 7, 9)
    for _ in range(50):
        rrn = make_rrn(rng, birth, sex)
        assert rrn.startswith(f"{year % 100:02d}0709-{digit}")
        assert len(rrn) == 14
        assert rrn_check_digit_ok(rrn)
        if year >= 1900:
            assert RRN_RE.match(rrn)


def test_generated_rrns_pass_and_altered_ones_fail() -> None:
    rng = _rng(2)
    failures = total = 0
    for i in range(400):
        birth = dt.date(1950 + i % 60, 1 + i % 12, 1 + i % 28)
        rrn = make_rrn(rng, birth, "MF"[i % 2])
        assert rrn_check_digit_ok(rrn)
        # Changing the check digit itself must always fail.
        c = rrn[-1]
        for nd in "0123456789":
            if nd != c:
                assert not rrn_check_digit_ok(_alter(rrn, 13, nd))
        # Changing a body digit fails unless the mod-11 residue moves between 0 and 10, which the
        # "mod 10" step maps to the same check digit: a known weakness, so assert a high rate.
        pos = [p for p in range(13) if p != 6][i % 12]
        nd = str((int(rrn[pos]) + 1 + i % 9) % 10)
        if nd != rrn[pos]:
            total += 1
            failures += not rrn_check_digit_ok(_alter(rrn, pos, nd))
    assert failures / total > 0.85


def test_rrn_rejects_bad_inputs() -> None:
    with pytest.raises(ValueError, match="성별"):
        make_rrn(_rng(), dt.date(1990, 1, 1), "X")
    with pytest.raises(ValueError, match="1800~2099"):
        make_rrn(_rng(), dt.date(2100, 1, 1), "M")


# --- 사업자등록번호 ----------------------------------------------------------------------------------
@pytest.mark.parametrize("number", ["220-81-62517", "124-81-00998", "120-81-47521", "2208162517"])
def test_business_no_known_valid(number: str) -> None:
    assert business_no_is_valid(number)


@pytest.mark.parametrize(
    "number",
    ["220-81-62518", "124-81-00990", "220816251", "22081625170", "220-81-6251a", "22O-81-62517", "220-816-2517",
     "220 81 62517", "", "----------"],
)
def test_business_no_known_invalid(number: str) -> None:
    assert not business_no_is_valid(number)


def test_generated_business_numbers_pass_and_any_single_digit_change_fails() -> None:
    rng = _rng(3)
    seen = set()
    for _ in range(300):
        number = make_business_no(rng)
        seen.add(number)
        assert BUSINESS_RE.match(number), number
        assert business_no_is_valid(number)
        assert business_no_is_valid(number.replace("-", ""))
        for pos in (0, 1, 2, 4, 5, 7, 8, 9, 10, 11):
            for nd in "0123456789":
                if nd != number[pos]:
                    # weights 1,3,7 and the d9 term are all injective mod 10
                    assert not business_no_is_valid(_alter(number, pos, nd)), (number, pos, nd)
    assert len(seen) > 290


# --- names ---------------------------------------------------------------------------------------
def test_person_names_follow_surname_distribution() -> None:
    rng = _rng(4)
    names = [make_person_name(rng, "MF"[i % 2]) for i in range(6000)]
    assert all(HANGUL_RE.match(n) and 2 <= len(n) <= 4 for n in names)
    two = {"남궁", "황보", "제갈", "선우", "독고"}
    surnames = Counter(n[:2] if n[:2] in two and len(n) >= 4 else n[0] for n in names)
    share = {k: v / len(names) for k, v in surnames.items()}
    assert [s for s, _ in surnames.most_common(3)] == ["김", "이", "박"]
    assert 0.17 < share["김"] < 0.27
    assert 0.11 < share["이"] < 0.19
    assert 0.06 < share["박"] < 0.11
    assert len(surnames) > 40
    assert len(set(names)) > 2500


def test_given_names_differ_by_sex() -> None:
    rng = _rng(5)
    male = {make_person_name(rng, "M")[1:] for _ in range(2000)}
    female = {make_person_name(rng, "F")[1:] for _ in range(2000)}
    assert "민준" in male and "서연" in female
    assert len(male & female) / len(male | female) < 0.2


def test_person_name_rejects_bad_sex() -> None:
    with pytest.raises(ValueError):
        make_person_name(_rng(), "남")


def test_romanise_name() -> None:
    assert romanise_name("김민준") == "kim.minjun"
    assert romanise_name("이서연") == "lee.seoyeon"
    assert romanise_name("남궁서연") == "namgung.seoyeon"
    assert romanise_name("최재훈") == "choi.jaehun"


# --- phones, e-mail ------------------------------------------------------------------------------
def test_mobile_format() -> None:
    rng = _rng(6)
    numbers = [make_mobile(rng) for _ in range(500)]
    assert all(MOBILE_RE.match(n) for n in numbers)
    assert len(set(numbers)) == 500


@pytest.mark.parametrize("code", sorted(AREA_CODES))
def test_landline_area_code(code: str) -> None:
    rng = _rng(7)
    for _ in range(30):
        n = make_landline(rng, code)
        assert LANDLINE_RE.match(n), n
        assert n.split("-")[0] == AREA_CODES[code]


def test_landline_specific_codes_and_aliases() -> None:
    rng = _rng(8)
    assert make_landline(rng, "11").startswith("02-")
    assert make_landline(rng, "41").startswith("031-")
    assert make_landline(rng, "50").startswith("064-")
    assert make_landline(rng, "경기").startswith("031-")
    assert make_landline(rng, "42").startswith("033-")  # old 강원 code
    with pytest.raises(ValueError, match="시도"):
        make_landline(rng, "99")


def test_email_formats_with_and_without_hint() -> None:
    rng = _rng(9)
    plain = [make_email(rng) for _ in range(300)]
    hinted = [make_email(rng, "kim.minjun") for _ in range(300)]
    for e in plain + hinted:
        assert EMAIL_RE.match(e), e
        assert ".." not in e
    assert sum("minjun" in e or "mn" in e for e in hinted) > 250
    domains = Counter(e.split("@")[1] for e in plain + hinted)
    assert domains.most_common(1)[0][0] == "naver.com"
    assert {"gmail.com", "daum.net"} <= set(domains)
    assert EMAIL_RE.match(make_email(rng, "Kim Min-Jun!!"))


# --- addresses and companies -----------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(REGION_NAMES))
def test_address_inside_region(code: str) -> None:
    rng = _rng(10)
    for _ in range(20):
        a = make_address(rng, code)
        assert a.startswith(REGION_FULL_NAMES[code] + " ")
        assert re.search(r"(로|길|대로)\d*길? \d+", a), a


def test_address_example_shape() -> None:
    rng = _rng(11)
    addresses = [make_address(rng, "41") for _ in range(300)]
    assert any(re.match(r"^경기도 \S+시 \S+구 \S+로 \d+, \d{3}동 \d{3,4}호$", a) for a in addresses)
    assert len(set(addresses)) > 280


@pytest.mark.parametrize("letter", sorted(KSIC_SECTIONS))
def test_company_names_per_industry(letter: str) -> None:
    rng = _rng(12)
    names = [make_company_name(rng, letter) for _ in range(40)]
    assert all(n and n == n.strip() for n in names)
    if letter not in ("T", "U", "O"):
        assert len(set(names)) > 20


def test_company_name_styles_and_unknown_section() -> None:
    rng = _rng(13)
    c_names = [make_company_name(rng, "C") for _ in range(300)]
    assert any(n.startswith("(주)") for n in c_names)
    assert any(n.startswith("주식회사 ") for n in c_names)
    q_names = [make_company_name(rng, "Q") for _ in range(300)]
    assert any(n.endswith(("요양센터", "요양원")) for n in q_names)
    with pytest.raises(ValueError, match="KSIC"):
        make_company_name(rng, "Z")


# --- bundle, determinism, streams ------------------------------------------------------------------
def test_make_identity_is_consistent() -> None:
    rng = _rng(14)
    birth = dt.date(1992, 11, 3)
    ident = make_identity(rng, "F", birth, "26")
    assert ident.rrn.startswith("921103-2") and rrn_check_digit_ok(ident.rrn)
    assert MOBILE_RE.match(ident.mobile)
    assert EMAIL_RE.match(ident.email)
    assert ident.address.startswith("부산광역시 ")
    assert HANGUL_RE.match(ident.name)


def _everything(seed: int) -> list[str]:
    rng = _rng(seed)
    out = [
        make_person_name(rng, "M"), make_person_name(rng, "F"), make_rrn(rng, dt.date(1990, 1, 2), "M"),
        make_business_no(rng), make_mobile(rng), make_landline(rng, "11"), make_email(rng),
        make_email(rng, "lee.seoyeon"), make_address(rng, "41"), make_company_name(rng, "J"),
    ]
    out.append(str(make_identity(rng, "M", dt.date(1980, 5, 5), "11")))
    return out


def test_same_seed_same_output_different_seed_different() -> None:
    assert _everything(42) == _everything(42)
    a, b = _everything(42), _everything(43)
    assert a != b
    assert sum(x != y for x, y in zip(a, b, strict=True)) >= len(a) - 2


def test_functions_accept_a_shared_stream() -> None:
    s1 = UniformStream(_rng(15))
    s2 = UniformStream(_rng(15))
    assert [make_person_name(s1, "M") for _ in range(50)] == [make_person_name(s2, "M") for _ in range(50)]
    with pytest.raises(TypeError):
        UniformStream(42)  # type: ignore[arg-type]


def test_uniform_stream_helpers() -> None:
    s = UniformStream(_rng(16), block=4)
    draws = [s.idx(10) for _ in range(2000)]  # forces several refills
    assert set(draws) == set(range(10))
    assert sorted(s.shuffled(range(20))) == list(range(20))
    sample = s.sample("abcdef", 3)
    assert len(set(sample)) == 3
    assert sorted(s.sample("ab", 5)) == ["a", "b"]  # k is clipped to the population
    assert all(3 <= s.between(3, 5) <= 5 for _ in range(200))


def test_region_tables_cover_all_codes() -> None:
    assert set(REGION_NAMES) == set(REGION_FULL_NAMES) == set(AREA_CODES) == set(identity._DISTRICTS)
    assert len(REGION_NAMES) == 17
