"""The matching oracle: true utilities of any (posting, seeker) pair, for evaluation code only.

Benches grade a talent ranking against the ranking the world's truth would give
(:mod:`app.world.truth`, matching section). Models never call this: it reads the hidden
preferences of ``truth_match_seekers``, and ``app.world`` is out of reach of models, services and
the UI (import-linter). The tables are read here with plain SQL rather than through a repository
so that no module a model may import can reach them.

The oracle score of a pair is ``apply_utility + hire_utility``: the log of
``exp(u_a) · exp(u_h)``, the product of the pair's weight in the applicant draw and in the hire
draw, so it orders seekers by how likely they are to apply to the posting *and* be the one hired
(ignoring the competition and the employment timing that every candidate shares). It reads the
posting as currently stored: for a world as generated the utilities equal the stored
``truth_pairs`` values (up to float rounding). A world generated before the matching truth
existed has the tables (``ensure_schema`` adds them) but no rows: every score is then NaN until the
world is generated again (``python -m app world``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine, bindparam, text

from app.reference.codes import EMPLOYMENT_TYPES
from app.reference.tables import Reference, load_reference
from app.world import truth
from app.world.matching import (
    POSTING_COLUMNS,
    SEEKER_COLUMNS,
    OccupationIndex,
    PostingMatchData,
    SeekerMatchData,
    pair_features,
)

_ID_BATCH = 500  # ids per IN (...) list (SQLite's host-parameter limit)


def _read(engine: Engine, sql: str, ids: Sequence[int]) -> pd.DataFrame:
    stmt = text(sql).bindparams(bindparam("ids", expanding=True))
    parts = []
    with engine.connect() as conn:
        for start in range(0, len(ids), _ID_BATCH):
            rows = conn.execute(stmt, {"ids": [int(i) for i in ids[start : start + _ID_BATCH]]}).mappings().all()
            parts.append(pd.DataFrame(rows))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _load_postings(engine: Engine, posting_ids: Sequence[int]) -> pd.DataFrame:
    frame = _read(engine, f"SELECT id, {', '.join(POSTING_COLUMNS)} FROM postings WHERE id IN :ids", posting_ids)
    if frame.empty or set(frame["id"]) != {int(i) for i in posting_ids}:
        missing = sorted({int(i) for i in posting_ids} - set(frame.get("id", [])))
        raise KeyError(f"postings not found: {missing[:10]}")
    return frame.set_index("id").loc[[int(i) for i in posting_ids]].reset_index()


def _load_seekers(engine: Engine, seeker_ids: Sequence[int]) -> pd.DataFrame:
    """The seekers with their certificates and hidden preferences (only those with preferences)."""
    columns = ", ".join(f"s.{c}" for c in SEEKER_COLUMNS if c != "certificate_ids")
    seekers = _read(engine, f"""
        SELECT s.id, {columns}, t.preferred_employment_type, t.preferred_weekly_hours, t.region_tolerance
        FROM seekers s JOIN truth_match_seekers t ON t.seeker_id = s.id WHERE s.id IN :ids""", seeker_ids)
    if seekers.empty:
        return seekers
    certificates = _read(engine, "SELECT seeker_id, certificate_id FROM seeker_certificates WHERE seeker_id IN :ids ORDER BY id",
                         list(seekers["id"]))
    # Generation keeps each seeker's certificates in the order drawn, which seeker_certificates
    # rows keep (ids ascending); the count per occupation does not depend on the order anyway.
    joined = (certificates.sort_values(["seeker_id"], kind="stable").groupby("seeker_id")["certificate_id"].agg(";".join)
              if len(certificates) else pd.Series(dtype=object))
    seekers["certificate_ids"] = seekers["id"].map(joined).fillna("")
    types = {t: i for i, t in enumerate(EMPLOYMENT_TYPES)}
    seekers["preferred_type"] = seekers["preferred_employment_type"].map(types)
    return seekers


class MatchOracle:
    """The oracle's inputs loaded once for many scores (reference occupations and certificates)."""

    def __init__(self, engine: Engine, reference: Reference | None = None) -> None:
        """Bind the oracle to a database (the world's reference tables by default)."""
        self.engine = engine
        self.occupations = OccupationIndex.from_reference(reference or load_reference())

    def utilities(self, posting_ids: Sequence[int], seeker_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Apply and hire utilities, each postings × seekers (NaN for a seeker without hidden
        preferences, e.g. one imported after the world was generated). Memory grows with
        postings × seekers (about 200 bytes a pair): score a few hundred postings at a time.

        Raises:
            KeyError: A posting id is not in the database.
        """
        postings = _load_postings(self.engine, posting_ids)
        seekers = _load_seekers(self.engine, seeker_ids)
        apply_u = np.full((len(posting_ids), len(seeker_ids)), np.nan)
        hire_u = np.full_like(apply_u, np.nan)
        if seekers.empty:
            return apply_u, hire_u
        data = SeekerMatchData.build(seekers, seekers, self.occupations)
        encoded = PostingMatchData.build(postings, self.occupations)
        posting_rows = np.repeat(np.arange(len(postings)), len(seekers))
        seeker_rows = np.tile(np.arange(len(seekers)), len(postings))
        features = pair_features(encoded, posting_rows, data, seeker_rows, self.occupations)
        a = truth.apply_utility(features)
        h = truth.hire_utility(features, a)
        row_of = {int(i): j for j, i in enumerate(seekers["id"])}
        rows = np.array([row_of.get(int(i), -1) for i in seeker_ids], dtype=np.int64)
        known = rows >= 0
        apply_u[:, known] = a.reshape(len(postings), len(seekers))[:, rows[known]]
        hire_u[:, known] = h.reshape(len(postings), len(seekers))[:, rows[known]]
        return apply_u, hire_u


def oracle_hire_scores(engine: Engine, posting_id: int, seeker_ids: Sequence[int]) -> np.ndarray:
    """The oracle score ``apply_utility + hire_utility`` of each seeker for one posting.

    Higher means more likely to apply to the posting and be hired (see the module docstring).
    Rank all candidates of a posting by it to get the oracle ranking.

    Args:
        engine: A database holding a generated world (with ``truth_match_seekers``).
        posting_id: The posting.
        seeker_ids: Any seekers of the world, in the order the scores are wanted.

    Returns:
        One score per seeker id (NaN for a seeker without hidden preferences).

    Raises:
        KeyError: The posting is not in the database.
    """
    return oracle_scores_matrix(engine, [posting_id], seeker_ids)[0]


def oracle_scores_matrix(engine: Engine, posting_ids: Sequence[int], seeker_ids: Sequence[int]) -> np.ndarray:
    """:func:`oracle_hire_scores` for many postings: a postings × seekers matrix."""
    apply_u, hire_u = MatchOracle(engine).utilities(posting_ids, seeker_ids)
    return apply_u + hire_u
