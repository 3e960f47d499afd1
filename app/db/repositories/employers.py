"""Employer queries. Contact data stays here, except the phone of an employer's own card
(:func:`load_employer_card`, shown to that employer only); the address is never selected."""

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


@dataclass(frozen=True)
class EmployerCard:
    """What an employer's own account shows and prefills: its name, phone, size band and region."""

    id: int
    name: str
    phone: str
    size_code: str
    region_code: str


def load_employer_card(engine_or_uow: Engine | Session, employer_id: int) -> EmployerCard | None:
    """The employer's card, or ``None`` when the id does not exist (also inside a unit of work)."""
    stmt = select(Employer.id, Employer.name, Employer.phone, Employer.size_code, Employer.region_code).where(
        Employer.id == int(employer_id)
    )
    if isinstance(engine_or_uow, Session):
        row = engine_or_uow.execute(stmt).first()
    else:
        with Session(engine_or_uow) as session:
            row = session.execute(stmt).first()
    return EmployerCard(int(row[0]), str(row[1]), str(row[2] or ""), str(row[3]), str(row[4])) if row is not None else None
