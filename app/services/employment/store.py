"""Database side of the employment-success service: risk-band settings, counsellor overrides and
the seeker's masked identity.

Writes validate first and run in one transaction, so a bad input changes nothing. Identity
columns (name, résumé, cover letter, counsellor notes) are masked by the repository as they are
read (:func:`app.db.repositories.seekers.load_masked_documents`); nothing unmasked reaches here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import risk as risk_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import unit_of_work
from app.db.repositories.seekers import MaskedDocuments
from app.errors import InvalidInput, NotFound
from app.text.pii import mask_pii

RISK_BANDS: tuple[str, ...] = ("고위험", "중위험", "저위험")
"""Risk bands from the highest risk (lowest employment probability) down."""
RISK_ORDER: dict[str, int] = {"저위험": 0, "중위험": 1, "고위험": 2}
DEFAULT_HIGH_BELOW = 0.20
DEFAULT_LOW_FROM = 0.40
MIN_REASON_CHARS, MAX_REASON_CHARS = 5, 300


class InvalidBands(InvalidInput):
    """Risk-band thresholds that cannot be used (Korean message)."""


class InvalidOverride(InvalidInput):
    """An override that cannot be stored (Korean message)."""


class SeekerNotFound(NotFound):
    """No such seeker, or not in the open caseload (Korean message)."""


@dataclass(frozen=True)
class RiskBands:
    """Risk-band thresholds in force.

    Attributes:
        high_below: 고위험 when the employment probability is below this.
        low_from: 저위험 when it is at least this; 중위험 in between.
        set_by: Who set them (``"기본값"`` for the defaults).
        at: When (UTC), ``None`` for the defaults.
        note: Why, as the policy officer wrote it.
    """

    high_below: float = DEFAULT_HIGH_BELOW
    low_from: float = DEFAULT_LOW_FROM
    set_by: str = "기본값"
    at: dt.datetime | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not (0.0 < self.high_below < self.low_from < 1.0):
            raise InvalidBands(
                f"위험 기준은 0 < 고위험 기준 < 저위험 기준 < 1 이어야 합니다 "
                f"(입력값: 고위험 {self.high_below:.0%} 미만, 저위험 {self.low_from:.0%} 이상)"
            )

    def band(self, probability: float) -> str:
        """The band of one probability."""
        return str(self.bands(np.asarray([probability]))[0])

    def bands(self, probability: np.ndarray) -> np.ndarray:
        """The band of each probability."""
        p = np.asarray(probability, dtype=float)
        return np.where(p < self.high_below, "고위험", np.where(p >= self.low_from, "저위험", "중위험"))

    def describe(self) -> str:
        """``"고위험 20% 미만 · 중위험 20–40% · 저위험 40% 이상"``."""
        h, low = round(self.high_below * 100), round(self.low_from * 100)
        return f"고위험 {h}% 미만 · 중위험 {h}–{low}% · 저위험 {low}% 이상"


def load_risk_bands(engine: Engine) -> RiskBands:
    """The newest thresholds policy staff set, or the defaults."""
    row = risk_repo.load_latest_band_setting(engine)
    if row is None:
        return RiskBands()
    return RiskBands(high_below=row["high_below"], low_from=row["low_from"], set_by=row["username"], at=row["at"],
                     note=row["note"])


def save_risk_bands(engine: Engine, *, high_below: float, low_from: float, username: str, note: str = "") -> RiskBands:
    """Put new thresholds in force (the history is kept).

    Raises:
        InvalidBands: Thresholds out of order or outside (0, 1), or a note over 300 characters.
    """
    try:
        high, low = float(high_below), float(low_from)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidBands(f"위험 기준은 0과 1 사이의 숫자여야 합니다 (입력값: {high_below}, {low_from})") from None
    bands = RiskBands(high_below=high, low_from=low, set_by=str(username), note=str(note or "").strip())
    if len(bands.note) > MAX_REASON_CHARS:
        raise InvalidBands(f"메모는 {MAX_REASON_CHARS}자 이하여야 합니다 (입력: {len(bands.note)}자)")
    with unit_of_work(engine) as uow:
        at = risk_repo.add_band_setting(uow, username=bands.set_by, high_below=bands.high_below,
                                        low_from=bands.low_from, note=bands.note)
    return RiskBands(high_below=bands.high_below, low_from=bands.low_from, set_by=bands.set_by, at=at, note=bands.note)


def load_band_history(engine: Engine) -> pd.DataFrame:
    """Every threshold change, newest first: ``at, username, high_below, low_from, note``."""
    return risk_repo.load_band_history(engine)


# --------------------------------------------------------------------------- overrides


def save_override(
    engine: Engine,
    *,
    seeker_id: int,
    username: str,
    model_band: str,
    override_band: str,
    probability: float,
    model_version: str,
    reason: str,
) -> None:
    """Store a counsellor's band override with its reason (one transaction).

    Raises:
        InvalidOverride: Unknown band, the same band as the model's, or a reason shorter than 5
            or longer than 300 characters.
        SeekerNotFound: No such seeker.
    """
    reason = str(reason or "").strip()
    if model_band not in RISK_BANDS or override_band not in RISK_BANDS:
        raise InvalidOverride(f"위험도는 {', '.join(RISK_BANDS)} 중 하나여야 합니다 (입력값: {override_band})")
    if override_band == model_band:
        raise InvalidOverride("모델 판정과 같은 위험도입니다. 다른 위험도를 고르세요.")
    if not MIN_REASON_CHARS <= len(reason) <= MAX_REASON_CHARS:
        raise InvalidOverride(f"조정 사유를 {MIN_REASON_CHARS}~{MAX_REASON_CHARS}자로 적어 주세요 (입력: {len(reason)}자)")
    # the reason is free text a counsellor typed: mask any personal data before it is stored
    with unit_of_work(engine) as uow:
        name = seeker_repo.seeker_name(uow, seeker_id)
        if name is None:
            raise SeekerNotFound(f"구직자 #{seeker_id}을(를) 찾을 수 없습니다.")
        # the seeker's own name is masked wherever it appears, with or without a 성명 label
        masked = mask_pii(reason, names=[name] if name else None)
        risk_repo.add_override(
            uow, seeker_id=seeker_id, username=username, model_band=model_band, override_band=override_band,
            probability=probability, model_version=model_version, reason=masked[:MAX_REASON_CHARS],
        )


def load_overrides(engine: Engine, seeker_id: int | None = None) -> pd.DataFrame:
    """Overrides, newest first (:data:`OVERRIDE_COLUMNS`), of one seeker or of everyone."""
    return risk_repo.load_overrides(engine, seeker_id)


def latest_overrides(engine: Engine) -> dict[int, str]:
    """Seeker id → the band of their newest override."""
    frame = load_overrides(engine)
    if frame.empty:
        return {}
    newest = frame.drop_duplicates("seeker_id", keep="first")
    return {int(s): str(b) for s, b in zip(newest["seeker_id"], newest["override_band"], strict=True)}


@dataclass(frozen=True)
class OverrideReport:
    """How often and in which direction counsellors override the model.

    Attributes:
        n_overrides: Overrides stored.
        n_seekers: Seekers with at least one override.
        raised: Overrides to a higher risk band (e.g. 중위험 → 고위험).
        lowered: Overrides to a lower risk band.
        transitions: Model band × override band counts.
        by_counsellor: ``username, n, raised, lowered``.
    """

    n_overrides: int
    n_seekers: int
    raised: int
    lowered: int
    transitions: pd.DataFrame
    by_counsellor: pd.DataFrame


def override_report(engine: Engine) -> OverrideReport:
    """Summary of every stored override."""
    frame = load_overrides(engine)
    if frame.empty:
        empty = pd.DataFrame(0, index=list(RISK_BANDS), columns=list(RISK_BANDS))
        return OverrideReport(0, 0, 0, 0, empty, pd.DataFrame(columns=["username", "n", "raised", "lowered"]))
    step = frame["override_band"].map(RISK_ORDER) - frame["model_band"].map(RISK_ORDER)
    frame = frame.assign(raised=step > 0, lowered=step < 0)
    transitions = pd.crosstab(
        pd.Categorical(frame["model_band"], categories=list(RISK_BANDS)),
        pd.Categorical(frame["override_band"], categories=list(RISK_BANDS)),
        dropna=False,
    )
    transitions.index.name, transitions.columns.name = "모델 판정", "상담사 조정"
    by_counsellor = (
        frame.groupby("username").agg(n=("id", "size"), raised=("raised", "sum"), lowered=("lowered", "sum")).reset_index()
    )
    return OverrideReport(
        n_overrides=len(frame), n_seekers=int(frame["seeker_id"].nunique()), raised=int(frame["raised"].sum()),
        lowered=int(frame["lowered"].sum()), transitions=transitions, by_counsellor=by_counsellor,
    )


# --------------------------------------------------------------------------- masked identity


def load_masked_names(engine: Engine, seeker_ids: list[int]) -> dict[int, str]:
    """Seeker id → masked name ("이○숙"); the name itself never leaves the repository."""
    return seeker_repo.load_masked_names(engine, seeker_ids)


def load_masked_documents(engine: Engine, seeker_id: int, *, as_of: dt.date | None = None) -> MaskedDocuments:
    """Résumé, cover letter and counsellor notes (written on or before ``as_of``) of one seeker, masked.

    Raises:
        SeekerNotFound: No such seeker.
    """
    documents = seeker_repo.load_masked_documents(engine, seeker_id, as_of=as_of)
    if documents is None:
        raise SeekerNotFound(f"구직자 #{seeker_id}을(를) 찾을 수 없습니다.")
    return documents
