"""Check digits of Korean identification numbers (domain-facts §6).

* 주민등록번호 (resident registration number): weights 2,3,4,5,6,7,8,9,2,3,4,5 on the first twelve
  digits and ``C = (11 - Σ mod 11) mod 10`` (numbers issued before October 2020; later numbers have
  a random tail and are validated by structure only).
* 사업자등록번호 (business registration number, National Tax Service rule): weights
  1,3,7,1,3,7,1,3,5 on the first nine digits, plus ⌊d9 × 5 / 10⌋, then ``(10 - Σ mod 10) mod 10``.

The synthetic world makes numbers with these digits and the importers validate with them.
"""

from __future__ import annotations

from typing import Final

_RRN_WEIGHTS: Final = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_BUSINESS_NO_WEIGHTS: Final = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_DIGITS: Final = frozenset("0123456789")


def rrn_check_digit(digits12: str) -> int:
    """The check digit of the first twelve digits of a 주민등록번호 (pre-Oct-2020 rule)."""
    total = 0
    for ch, w in zip(digits12, _RRN_WEIGHTS, strict=False):
        total += (ord(ch) - 48) * w
    return (11 - total % 11) % 10


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
    return rrn_check_digit(rrn[:12]) == ord(rrn[12]) - 48


def business_no_check_digit(digits9: str) -> int:
    """The check digit of the first nine digits of a 사업자등록번호 (National Tax Service rule)."""
    total = 0
    for ch, w in zip(digits9, _BUSINESS_NO_WEIGHTS, strict=False):
        total += (ord(ch) - 48) * w
    total += ((ord(digits9[8]) - 48) * 5) // 10
    return (10 - total % 10) % 10


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
    return business_no_check_digit(s[:9]) == ord(s[9]) - 48
