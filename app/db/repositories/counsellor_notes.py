"""Every counselling note of the world, masked as it is read (the topic analysis of counsellor notes).

Notes hold personal data (names, phones, addresses: :class:`app.db.orm.CounsellorNote`). Each note is
masked here with :func:`app.text.pii.mask_pii`, with the seeker's and the counsellor's names as known
names, so the unmasked text never leaves this module.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.db.orm import CounsellorNote, Seeker
from app.text.pii import mask_pii

COUNSELLOR_TITLE = "상담사"
"""The title a counsellor's name is stored with (``"상담사 정민재"``): the name alone is masked too."""


def _known_names(*names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        name = " ".join(str(name or "").split())
        if name:
            out.append(name)
            bare = name.removeprefix(COUNSELLOR_TITLE).strip()
            if bare and bare != name:
                out.append(bare)
    return out


def load_masked_notes(engine: Engine) -> pd.DataFrame:
    """Every counselling note, masked, by date.

    Returns:
        ``written_on`` (Timestamp) and ``text`` (masked with the seeker's and the counsellor's names);
        no seeker id, no name: what the topic analysis keeps may be shown to policy staff.
    """
    query = (select(CounsellorNote.written_on, CounsellorNote.text, CounsellorNote.counsellor, Seeker.name)
             .join(Seeker, Seeker.id == CounsellorNote.seeker_id)
             .order_by(CounsellorNote.written_on, CounsellorNote.id))
    with Session(engine) as session:
        rows = session.execute(query).all()
    return pd.DataFrame({
        "written_on": pd.to_datetime([r.written_on for r in rows]),
        "text": [mask_pii(str(r.text or ""), names=_known_names(r.name, r.counsellor)) for r in rows],
    })
