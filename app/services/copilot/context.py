"""Build the copilot's view of one seeker from the database and the models (masked, no identifier).

A counsellor's context comes from the employment profile (:func:`app.services.employment.seeker_profile`),
so it holds only seekers of the open caseload and carries the model's probability, reasons and
service effects. A seeker's own context (the simplified pages) is read from the record without the
model: a seeker's own view never shows a risk band.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.copilot.context import EmploymentView, SeekerContext
from app.db.repositories import interest as interest_repo
from app.db.repositories.seekers import load_seeker_records
from app.errors import AccessDenied
from app.ml.employment import EmploymentModel
from app.reference.codes import SERVICE_LABELS
from app.reference.names import occupation_names, region_short
from app.reference.tables import Reference
from app.services.employment import RiskBands, SeekerNotFound, reference_date, seeker_profile
from app.services.employment.store import load_masked_documents
from app.services.training import load_plan


class CopilotAccessDenied(AccessDenied):
    """The account's role may not use the copilot for this seeker (Korean message)."""


def certificate_names(certificate_ids: object, ref: Reference) -> tuple[str, ...]:
    """Names of ';'-joined certificate ids (unknown ids skipped)."""
    names = dict(zip(ref.certificates["certificate_id"].astype(str), ref.certificates["name"].astype(str), strict=True))
    return tuple(names[c] for c in str(certificate_ids or "").split(";") if c in names)


def _interest_occupations(engine: Engine, seeker_id: int) -> tuple[str, ...]:
    sessions = interest_repo.load_finished_sessions(engine, seeker_id)
    if sessions.empty:
        return ()
    try:
        data = json.loads(str(sessions.iloc[-1]["result_json"] or "{}"))
        return tuple(str(o["occupation_name"]) for o in data.get("occupations", [])[:5])
    except (ValueError, KeyError, TypeError):
        return ()  # an unreadable stored result: the diagnosis then asks for the test


def _split(value: object) -> tuple[str, ...]:
    return tuple(s.strip() for s in str(value or "").split(";") if s.strip())


def _employment_view(profile) -> EmploymentView:  # noqa: ANN001 - SeekerProfile
    factors = tuple((str(r.factor), float(r.contribution), str(r.sentence)) for r in profile.factors.itertuples())
    services = tuple((str(r.label), float(r.effect), str(r.reason)) for r in profile.services.itertuples()
                     if not bool(r.received) and not pd.isna(r.effect))
    return EmploymentView(probability=profile.probability, low=profile.probability_low, high=profile.probability_high,
                          band=profile.band, factors=factors, services=services, model_version=profile.model_version)


def _base(record: Mapping[str, object], documents, ref: Reference, as_of: dt.date) -> dict[str, object]:  # noqa: ANN001
    last = record.get("last_keco")
    last = None if last is None or (isinstance(last, float) and np.isnan(last)) or not str(last) else str(last)
    desired = str(record["desired_keco"])
    received = tuple(label for s, label in SERVICE_LABELS.items() if int(record.get(f"svc_{s}") or 0))
    registered = pd.Timestamp(record["registered_on"]).date()
    return dict(
        age=int(record["age"]), education=str(record["education"]), career_years=float(record["career_years"] or 0.0),
        last_keco=last, last_occupation=occupation_names(last)[0] if last else "", desired_keco=desired,
        desired_occupation=occupation_names(desired)[0], desired_wage=int(record["desired_wage"]),
        desired_region=region_short(str(record["desired_region_code"])),
        region_flexible=bool(record.get("region_flexible")), benefit_status=bool(record.get("benefit_status")),
        registered_on=registered, as_of=as_of, skills=_split(record.get("skills")),
        certificates=certificate_names(record.get("certificate_ids"), ref), resume=documents.resume,
        cover_letter=documents.cover_letter, notes=tuple(documents.notes), services_received=received,
    )


def counsellor_context(engine: Engine, user, model: EmploymentModel, seeker_id: int, bands: RiskBands,  # noqa: ANN001
                       ref: Reference) -> SeekerContext:
    """The full context a counsellor prepares with (seekers of the open caseload only).

    Raises:
        CopilotAccessDenied: Not a counsellor.
        SeekerNotFound: No such seeker, or not in the open caseload.
    """
    require_counsellor(user)
    profile = seeker_profile(engine, model, int(seeker_id), bands)
    record = dict(profile.record)
    base = _base(record, profile.documents, ref, reference_date(engine))
    features = {k: float(v) for k, v in profile.features.iloc[0].items() if not isinstance(v, str)}
    market = float(model.market.market_wage(pd.Series([base["desired_keco"]]),
                                             pd.Series([str(record["desired_region_code"])]))[0])
    plan = load_plan(engine, int(seeker_id))
    return SeekerContext(
        seeker_id=int(seeker_id), **base,  # type: ignore[arg-type]
        market_wage=market if np.isfinite(market) and market > 0 else None,
        region_demand=features.get("log_region_demand"), occupation_demand=features.get("log_occupation_demand"),
        relevant_certificates=int(features.get("n_relevant_certificates", 0)),
        employment=_employment_view(profile),
        training_plan=tuple(plan["title"].astype(str)) if "title" in plan.columns else (),
        interest_occupations=_interest_occupations(engine, int(seeker_id)),
    )


def own_context(engine: Engine, user, ref: Reference) -> SeekerContext:  # noqa: ANN001 - app.auth.User
    """A seeker's own context (no model output), for their simplified page: the account's seeker only.

    Raises:
        CopilotAccessDenied: Not a seeker account, or one tied to no seeker.
        SeekerNotFound: No such seeker.
    """
    seeker_id = own_seeker_id(user)
    as_of = reference_date(engine)
    records = load_seeker_records(engine, as_of=as_of, ids=[int(seeker_id)])
    if records.empty:
        raise SeekerNotFound("구직자 정보를 찾을 수 없습니다.")
    record = records.iloc[0].to_dict()
    documents = load_masked_documents(engine, int(seeker_id), as_of=as_of)
    base = _base(record, documents, ref, as_of)
    return SeekerContext(seeker_id=int(seeker_id), **base)  # type: ignore[arg-type]


def require_counsellor(user) -> None:  # noqa: ANN001 - app.auth.User
    """Refuse every role but counsellors (employers never see the copilot)."""
    if user.role == "seeker":
        raise CopilotAccessDenied("상담 지원 화면은 직업상담사용입니다. '나의 자기소개서·경력 설계' 화면을 이용해 주세요.")
    if user.role != "counsellor":
        raise CopilotAccessDenied("상담 지원은 직업상담사만 사용할 수 있습니다.")


def own_seeker_id(user) -> int:  # noqa: ANN001 - app.auth.User
    """The seeker an account is tied to (seeker accounts only)."""
    if user.role != "seeker":
        raise CopilotAccessDenied("이 화면은 구직자 본인용입니다.")
    own = getattr(user, "scoped_seeker_id", None)
    if not own:
        raise CopilotAccessDenied("이 계정에 연결된 구직자 정보가 없습니다. 상담사에게 문의하세요.")
    return int(own)
