"""Database side of the hiring simulator: the posting picker, a posting's conditions, saved scenarios.

Access rule: an employer (``employer_id`` given) sees and changes only its own postings and
scenarios; ``employer_id=None`` is staff (policy) access to every posting. Reads use a fresh
session per call; every write is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import UnitOfWork, unit_of_work
from app.db.repositories import postings as posting_repo
from app.db.repositories import scenarios as scenario_repo
from app.db.repositories.postings import SECTION_COLUMNS
from app.errors import NotFound
from app.ml.hiring_features import count_sections
from app.reference.names import occupation_names, region_short, size_label, welfare_names
from app.services.hiring.conditions import (
    FIELD_LABELS,
    InvalidConditions,
    PostingAccessDenied,
    PostingConditions,
    validate_conditions,
)
from app.services.hiring.scoring import Prediction
from app.text.korean import format_kst_datetime, format_manwon, format_rate, format_wage

SCENARIO_NAME_MAX = 60


class PostingNotFound(NotFound):
    """No posting with that id."""


class ScenarioNotFound(NotFound):
    """No scenario with that id among the employer's own."""


# --------------------------------------------------------------------------- postings


def load_employer_postings(engine: Engine, employer_id: int | None) -> pd.DataFrame:
    """Postings for the picker, newest first: an employer's own, or all of them for staff (None).

    Returns:
        Columns ``id, employer_id, title, keco_code, keco_name, region_code, region, wage_text,
        open_date, filled_30d`` (``filled_30d`` is None while the outcome is unknown).
    """
    frame = posting_repo.load_picker_rows(engine, employer_id)
    names = {code: occupation_names(code)[0] for code in frame["keco_code"].unique()}
    regions = {code: region_short(code) for code in frame["region_code"].unique()}
    frame["keco_name"] = frame["keco_code"].map(names)
    frame["region"] = frame["region_code"].map(regions)
    frame["wage_text"] = [format_wage(t, a, style="label") for t, a in zip(frame["wage_type"], frame["wage_amount"], strict=True)]
    frame["filled_30d"] = frame["filled_30d"].astype(object).where(frame["filled_30d"].notna(), None)
    return frame[["id", "employer_id", "title", "keco_code", "keco_name", "region_code", "region", "wage_text",
                  "open_date", "filled_30d"]]


def conditions_from_posting(engine: Engine, posting_id: int, *, employer_id: int | None) -> PostingConditions:
    """The scoring conditions of a stored posting.

    Args:
        engine: Product database.
        posting_id: The posting.
        employer_id: The logged-in employer; None for staff (policy) access.

    Raises:
        PostingNotFound: No such posting.
        PostingAccessDenied: The posting belongs to another employer.
    """
    row = posting_repo.load_posting_conditions(engine, posting_id)
    if row is None:
        raise PostingNotFound(f"공고를 찾을 수 없습니다 (공고 번호 {posting_id})")
    if employer_id is not None and int(row["employer_id"]) != int(employer_id):
        raise PostingAccessDenied()
    record = dict(row)
    return validate_conditions(
        {
            **{name: record[name] for name in ("keco_code", "region_code", "size_code", "wage_type", "wage_amount",
                                               "weekly_hours", "employment_type", "career", "min_career_years",
                                               "education", "welfare_codes")},
            "open_month": record["open_date"].month,
            "n_sections": int(count_sections(pd.DataFrame([{name: record[name] for name in SECTION_COLUMNS}]))[0]),
            "body_chars": len(record["body"] or ""),
        }
    )


def _owned_posting(uow: UnitOfWork, posting_id: int, employer_id: int) -> None:
    owner = posting_repo.posting_owner(uow, posting_id)
    if owner is None:
        raise PostingNotFound(f"공고를 찾을 수 없습니다 (공고 번호 {posting_id})")
    if int(owner) != int(employer_id):
        raise PostingAccessDenied()


# --------------------------------------------------------------------------- scenarios


def _check_name(name: object) -> str:
    text = str(name or "").strip()
    if not 1 <= len(text) <= SCENARIO_NAME_MAX:
        raise InvalidConditions(
            {"name": f"시나리오 이름은 1~{SCENARIO_NAME_MAX}자여야 합니다 (입력: {len(text)}자)"}
        )
    return text


def save_scenario(
    engine: Engine,
    employer_id: int,
    name: str,
    conditions: PostingConditions,
    prediction: Prediction,
    posting_id: int | None,
) -> int:
    """Save a what-if scenario for the employer (one transaction).

    Raises:
        InvalidConditions: Bad name, or a prediction made for other conditions.
        PostingAccessDenied: ``posting_id`` is another employer's posting.
        PostingNotFound: ``posting_id`` does not exist.

    Returns:
        The new scenario id.
    """
    clean = _check_name(name)
    if prediction.input_hash != conditions.input_hash():
        raise InvalidConditions({"_": "예측 결과가 저장하려는 조건과 맞지 않습니다. 다시 계산한 뒤 저장하세요."})
    with unit_of_work(engine) as uow:
        if posting_id is not None:
            _owned_posting(uow, posting_id, employer_id)
        return scenario_repo.add_scenario(
            uow, employer_id=int(employer_id), posting_id=posting_id, name=clean, conditions=conditions.to_dict(),
            probability=float(prediction.probability), days=float(prediction.days),
            model_version=prediction.model_version,
        )


def load_scenarios(engine: Engine, employer_id: int) -> pd.DataFrame:
    """The employer's saved scenarios, newest first (:data:`SCENARIO_COLUMNS`; ``conditions`` holds dicts)."""
    return scenario_repo.load_scenarios(engine, employer_id)


def delete_scenario(engine: Engine, employer_id: int, scenario_id: int) -> None:
    """Delete one of the employer's own scenarios (one transaction).

    Raises:
        ScenarioNotFound: No such scenario among the employer's own (another employer's scenario
            is reported the same way, so its existence is not revealed).
    """
    with unit_of_work(engine) as uow:
        if not scenario_repo.delete_scenario(uow, employer_id=employer_id, scenario_id=scenario_id):
            raise ScenarioNotFound(f"시나리오를 찾을 수 없습니다 (번호 {scenario_id})")


def _column_values(record: Mapping[str, object]) -> dict[str, str]:
    c = validate_conditions(record["conditions"])  # type: ignore[arg-type]
    career = f"경력 {c.min_career_years}년 이상" if c.career == "경력" else c.career
    welfare = ", ".join(welfare_names(c.welfare_codes)) or "없음"
    # the model's figures first: they are what the comparison is for, and a narrow screen shows them
    return {
        "채용확률(30일 내)": format_rate(float(record["probability"]), decimals=0),  # type: ignore[arg-type]
        "예상 채용 소요일": f"{float(record['days']):.0f}일",  # type: ignore[arg-type]
        "직종": occupation_names(c.keco_code)[0],
        "지역": region_short(c.region_code),
        FIELD_LABELS["size_code"]: size_label(c.size_code),
        "임금": format_wage(c.wage_type, c.wage_amount, style="label"),
        "월 환산 임금": format_manwon(c.wage_monthly),
        FIELD_LABELS["weekly_hours"]: f"주 {c.weekly_hours:g}시간",
        FIELD_LABELS["employment_type"]: c.employment_type,
        "경력 요건": career,
        FIELD_LABELS["education"]: c.education,
        "복리후생": welfare,
        "공고 항목·분량": f"{c.n_sections}개 항목, {c.body_chars:,}자",
        "모델 버전": str(record["model_version"]),
        "저장 시각": format_kst_datetime(record["created_at"]),  # type: ignore[arg-type]
    }


def compare_scenarios(frame: pd.DataFrame) -> pd.DataFrame:
    """Side-by-side table of scenarios: one column per scenario, Korean row labels.

    Args:
        frame: Rows of :func:`load_scenarios` (any subset, in the order to show).

    Returns:
        Index ``항목`` (채용확률, 예상 채용 소요일, 직종, 임금, 주당 근로시간, …); columns are scenario names
        (``"이름 (#id)"`` where names repeat); values are display text.
    """
    if frame.empty:
        return pd.DataFrame(index=pd.Index([], name="항목"))
    names = frame["name"].astype(str)
    repeated = names.duplicated(keep=False)
    headers = [f"{n} (#{i})" if r else n for n, i, r in zip(names, frame["id"], repeated, strict=True)]
    columns = {header: _column_values(record) for header, record in zip(headers, frame.to_dict("records"), strict=True)}
    table = pd.DataFrame(columns)
    table.index.name = "항목"
    return table
