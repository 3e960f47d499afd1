"""An employer's draft ad checked before it is saved (공고 사전 점검)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.errors import InvalidInput
from app.reference.codes import WAGE_TYPES
from app.verify.decision import Verdict
from app.verify.verifier import AdVerifier


class InvalidDraft(InvalidInput):
    """A draft posting that cannot be checked; ``errors`` maps field → Korean message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))



class DraftAd(BaseModel):
    """A draft posting as an employer types it (validated at the boundary)."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    title: str = Field(min_length=2, max_length=200)
    body: str = Field(min_length=10, max_length=20_000)
    wage_type: str
    wage: int = Field(ge=1, le=1_000_000_000)
    hours_per_week: float = Field(gt=0, le=80)
    year: int | None = Field(default=None, ge=2023, le=2100)
    employer_name: str = Field(default="", max_length=100)
    contact: str = Field(default="", max_length=100)

    @field_validator("wage_type")
    @classmethod
    def _wage_type(cls, value: str) -> str:
        if value not in WAGE_TYPES:
            raise ValueError(f"임금 형태는 {', '.join(WAGE_TYPES)} 중 하나여야 합니다")
        return value


_DRAFT_LABELS = {"title": "공고 제목", "body": "공고 본문", "wage_type": "임금 형태", "wage": "임금액",
                 "hours_per_week": "주당 근로시간", "year": "게시 연도", "employer_name": "회사명", "contact": "연락처"}


def validate_draft(values: Mapping[str, object]) -> DraftAd:
    """A :class:`DraftAd` from form values.

    Raises:
        InvalidDraft: Korean message per bad field.
    """
    try:
        return DraftAd.model_validate(dict(values))
    except ValidationError as err:
        errors = {}
        for problem in err.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "_"
            label = _DRAFT_LABELS.get(field, field)
            kind = problem["type"]
            if kind == "string_too_short":
                message = f"{label}을(를) {problem['ctx']['min_length']}자 이상 적어 주세요"
            elif kind == "string_too_long":
                message = f"{label}은(는) {problem['ctx']['max_length']:,}자 이하여야 합니다"
            elif kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
                message = f"{label} 값이 허용 범위를 벗어났습니다 (입력값: {problem.get('input')})"
            elif kind in ("int_parsing", "float_parsing", "int_from_float"):
                message = f"{label}은(는) 숫자여야 합니다 (입력값: {problem.get('input')})"
            else:
                message = f"{label}: {str(problem.get('msg', '')).removeprefix('Value error, ')}"
            errors.setdefault(field, message)
        raise InvalidDraft(errors) from None


def check_draft(verifier: AdVerifier, draft: DraftAd) -> Verdict:
    """Verify a draft before it is saved: rules, checks (minimum wage, hours, the recruiter's
    name and phone), the classifier and duplicates of stored postings."""
    frame = pd.DataFrame([{**draft.model_dump(), "id": "draft"}])
    return verifier.verify(frame, check_identity=True, duplicates=True, explain=True)[0]


def draft_hash(draft: DraftAd) -> str:
    """SHA-256 of a draft (audit log key; the text itself is not logged)."""
    return hashlib.sha256(draft.model_dump_json().encode("utf-8")).hexdigest()


