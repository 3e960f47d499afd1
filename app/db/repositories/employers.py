"""Employer queries (no contact data leaves this module: address and phone are never selected)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.db.orm import Employer


@dataclass(frozen=True)
class EmployerInfo:
    """Public facts about one employer."""

    id: int
    name: str
    industry_code: str
    size_code: str
    workers: int
    region_code: str


def load_employer_ids(engine: Engine, *, limit: int = 3) -> list[int]:
    """The first ``limit`` employer ids (used to tie demo accounts to real employers)."""
    with Session(engine) as session:
        return list(session.scalars(select(Employer.id).order_by(Employer.id).limit(limit)))


def load_employer(engine: Engine, employer_id: int) -> EmployerInfo | None:
    """Return one employer's public facts, or ``None`` when the id does not exist."""
    stmt = select(
        Employer.id,
        Employer.name,
        Employer.industry_code,
        Employer.size_code,
        Employer.workers,
        Employer.region_code,
    ).where(Employer.id == employer_id)
    with Session(engine) as session:
        row = session.execute(stmt).first()
    return EmployerInfo(*row) if row is not None else None
