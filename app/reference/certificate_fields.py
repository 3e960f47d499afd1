"""Fields of certificates and the main industry of occupations, from the committed reference tables.

Both are public classifications, not truth: the synthetic world plants a certificate's value by its
field and the analysis groups certificates and seekers by the same rules.

* **field** (:func:`certificate_field`): the 국가기술자격 of the 기술·기능 분야 carry a grade in
  their name (기술사, 기능장, 기사, 산업기사, 기능사; 「국가기술자격법 시행령」 별표 1). Every other
  certificate — the 서비스 분야 of the 국가기술자격 (직업상담사, 컴퓨터활용능력, 텔레마케팅관리사 …),
  국가전문자격 (간호사, 사회복지사 …) and the rest — counts as 서비스·전문.
* **main industry** (:func:`occupation_main_industry`): the KSIC 대분류 that posts most of an
  occupation's vacancies (``industries.posting_weight`` × ``industry_occupation.weight``).
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from app.reference.tables import Reference

TECHNICAL: Final = "technical"
SERVICE: Final = "service"
FIELD_LABELS: Final[dict[str, str]] = {TECHNICAL: "기술·기능 분야", SERVICE: "서비스·전문 분야"}
"""Korean label of each certificate field."""

MANUFACTURING: Final = "C"
"""KSIC 대분류 of 제조업."""

_GRADE = re.compile(r"(기술사|기능장|기사|산업기사|기능사)(\s*\d급)?\)?$")


def certificate_field(name: str, kind: str) -> str:
    """:data:`TECHNICAL` for a 국가기술자격 of the 기술·기능 분야 (graded name), else :data:`SERVICE`.

    Args:
        name: The certificate's name (e.g. ``전기기사``, ``건설기계(산업)기사``).
        kind: Its ``kind`` in ``certificates.csv`` (국가기술자격, 국가전문자격, 기타, 민간자격).
    """
    if str(kind).strip() == "국가기술자격" and _GRADE.search(str(name).strip()):
        return TECHNICAL
    return SERVICE


def certificate_fields(ref: Reference) -> pd.Series:
    """Field of every reference certificate, indexed by ``certificate_id``."""
    certs = ref.certificates
    return pd.Series([certificate_field(n, k) for n, k in zip(certs["name"], certs["kind"], strict=True)],
                     index=certs["certificate_id"].to_numpy(), name="field")


def industry_shares_by_occupation(ref: Reference) -> pd.DataFrame:
    """P(industry | occupation): columns ``keco_code``, ``industry_code``, ``share`` (sums to 1 per code)."""
    mix = ref.industry_occupation.merge(ref.industries[["code", "posting_weight"]].rename(
        columns={"code": "industry_code"}), on="industry_code")
    mix = mix.assign(mass=mix["weight"].astype(float) * mix["posting_weight"].astype(float))
    mix["share"] = mix["mass"] / mix.groupby("keco_code")["mass"].transform("sum")
    return mix[["keco_code", "industry_code", "share"]].sort_values(["keco_code", "industry_code"], ignore_index=True)


def occupation_main_industry(ref: Reference) -> dict[str, str]:
    """The industry that posts most of each occupation's vacancies (KECO 소분류 → KSIC 대분류)."""
    shares = industry_shares_by_occupation(ref)
    top = shares.sort_values(["keco_code", "share", "industry_code"], ascending=[True, False, True])
    return top.drop_duplicates("keco_code").set_index("keco_code")["industry_code"].to_dict()
