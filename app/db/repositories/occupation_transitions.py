"""Observed moves between occupations (the career roadmap's evidence, :mod:`app.copilot.roadmap`).

Two observed kinds of move, both from a seeker's last occupation (``seekers.last_keco``) to another
KECO 소분류:

* a **wish** — the seeker's desired occupation (``seekers.desired_keco``) differs from the last one;
* a **hire** — a hire (``hires``) of the seeker into a posting (``postings.keco_code``) of another
  occupation than the last one.

Only observed tables are read (``seekers``, ``hires``, ``postings``), never a ``truth_*`` table.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from app.db.orm import Hire, Posting, Seeker
from app.db.repositories import read_frame

TRANSITION_COLUMNS: tuple[str, ...] = ("from_keco", "to_keco", "n", "n_desired", "n_hired")
"""Columns of :func:`load_occupation_transitions`."""


def load_occupation_transitions(engine: Engine) -> pd.DataFrame:
    """Counts of observed moves between KECO 소분류.

    Args:
        engine: Product database.

    Returns:
        One row per (``from_keco``, ``to_keco``) pair with at least one move, sorted by both codes:
        ``n`` = ``n_desired`` (seekers whose last occupation is ``from_keco`` and who want ``to_keco``)
        + ``n_hired`` (hires of such seekers into postings of ``to_keco``). Seekers without a last
        occupation, and moves within one occupation, are not counted.
    """
    wishes = (
        select(Seeker.last_keco.label("from_keco"), Seeker.desired_keco.label("to_keco"),
               func.count().label("n_desired"))
        .where(Seeker.last_keco.is_not(None), Seeker.last_keco != Seeker.desired_keco)
        .group_by(Seeker.last_keco, Seeker.desired_keco)
    )
    hires = (
        select(Seeker.last_keco.label("from_keco"), Posting.keco_code.label("to_keco"), func.count().label("n_hired"))
        .select_from(Hire)
        .join(Seeker, Seeker.id == Hire.seeker_id)
        .join(Posting, Posting.id == Hire.posting_id)
        .where(Seeker.last_keco.is_not(None), Seeker.last_keco != Posting.keco_code)
        .group_by(Seeker.last_keco, Posting.keco_code)
    )
    frame = read_frame(engine, wishes).merge(read_frame(engine, hires), on=["from_keco", "to_keco"], how="outer")
    frame[["n_desired", "n_hired"]] = frame[["n_desired", "n_hired"]].fillna(0).astype("int64")
    frame["n"] = frame["n_desired"] + frame["n_hired"]
    frame = frame.astype({"from_keco": str, "to_keco": str})
    return frame.sort_values(["from_keco", "to_keco"], ignore_index=True)[list(TRANSITION_COLUMNS)]
