"""What the models learn from: observed postings with outcomes, posting texts and wages, the
stored ads with their labels (the seeker side is :func:`app.db.repositories.seekers.load_seeker_records`,
courses :func:`app.db.repositories.courses.load_course_frame`).

Only observed columns: never a ``truth_*`` table (evaluation reads those, in ``app.ml.evaluate``).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from app.db.orm import Employer, Posting, PostingLabel, PostingOutcome
from app.db.repositories import read_frame
from app.db.repositories.postings import SECTION_COLUMNS


def load_postings_with_outcomes(engine: Engine) -> pd.DataFrame:
    """Every posting with an outcome, with its employer's size band, by id (the hiring model's rows).

    Returns:
        ``id, employer_id, keco_code, region_code, title, wage_type, wage_amount, wage_monthly,
        weekly_hours, employment_type, career, min_career_years, education, welfare_codes,
        open_date``, the text sections, ``body, size_code, filled_30d, filled, days_to_fill``.
    """
    stmt = (
        select(
            Posting.id, Posting.employer_id, Posting.keco_code, Posting.region_code, Posting.title,
            Posting.wage_type, Posting.wage_amount, Posting.wage_monthly, Posting.weekly_hours,
            Posting.employment_type, Posting.career, Posting.min_career_years, Posting.education,
            Posting.welfare_codes, Posting.open_date, *(getattr(Posting, name) for name in SECTION_COLUMNS),
            Posting.body, Employer.size_code,
            PostingOutcome.filled_30d, PostingOutcome.filled, PostingOutcome.days_to_fill,
        )
        .join(Employer, Employer.id == Posting.employer_id)
        .join(PostingOutcome, PostingOutcome.posting_id == Posting.id)
        .order_by(Posting.id)
    )
    return read_frame(engine, stmt)


def load_posting_wages(engine: Engine) -> pd.DataFrame:
    """``keco_code, region_code, wage_monthly, weekly_hours`` of every posting (the market-wage table)."""
    return read_frame(engine, select(Posting.keco_code, Posting.region_code, Posting.wage_monthly, Posting.weekly_hours))


def load_posting_titles(engine: Engine) -> pd.DataFrame:
    """``id, keco_code, title, duties`` of the world's postings, by id (assistant drafts are left out:
    their occupation was chosen with the classifier's own help)."""
    stmt = (select(Posting.id, Posting.keco_code, Posting.title, Posting.duties)
            .where(Posting.source != "assistant").order_by(Posting.id))
    return read_frame(engine, stmt)


def load_index_rows(engine: Engine) -> pd.DataFrame:
    """Text and conditions of every posting for the similar-postings index: ``posting_id, keco_code,
    title, duties, requirements, wage_monthly, weekly_hours, employment_type, career, education``."""
    stmt = select(
        Posting.id.label("posting_id"), Posting.keco_code, Posting.title, Posting.duties,
        Posting.requirements, Posting.wage_monthly, Posting.weekly_hours, Posting.employment_type,
        Posting.career, Posting.education,
    )
    return read_frame(engine, stmt)


def load_ad_rows(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every posting as an ad, and the labels of the labelled ones (synthetic world only).

    Returns:
        (``id, employer_id, title, body, wage_type, wage_amount, weekly_hours, year, contact,
        region_code, employer_name`` by id; ``posting_id, rule_id``).
    """
    stmt = (
        select(Posting.id, Posting.employer_id, Posting.title, Posting.body, Posting.wage_type,
               Posting.wage_amount, Posting.weekly_hours, Posting.year, Posting.contact,
               Posting.region_code, Employer.name.label("employer_name"))
        .join(Employer, Employer.id == Posting.employer_id)
        .order_by(Posting.id)
    )
    return read_frame(engine, stmt), read_frame(engine, select(PostingLabel.posting_id, PostingLabel.rule_id))

