"""Address vocabulary: 시/군/구 and arterial roads per 시도, building-number bands, building names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from app.reference.names import REGION_FULL_NAMES
from app.world.identity.random_stream import cumulative_weights

# 시/군/구 (with a few real arterial roads each) per 시도. A handful per 시도 is enough for
# realistic-looking addresses; it is not a gazetteer. 세종 has no 구, hence the empty district.
_DISTRICTS: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    code: tuple((district, tuple(roads)) for district, roads in entries)
    for code, entries in json.loads((Path(__file__).parent / "districts.json").read_text(encoding="utf-8")).items()
}
"""시도 code -> (시/군/구, its roads) in ``districts.json`` (data, not code: edit the file)."""

# Precompute the "시도 시군구" prefix per district so make_address only concatenates.
_DISTRICT_PREFIX: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    code: tuple(
        ((f"{REGION_FULL_NAMES[code]} {d}" if d else REGION_FULL_NAMES[code]), roads)
        for d, roads in districts
    )
    for code, districts in _DISTRICTS.items()
}

# Building numbers: small numbers dominate real road addresses.
_BUILDING_NO_BANDS: Final = ((1, 60), (61, 200), (201, 500), (501, 1200))
_BUILDING_NO_CUM: Final = cumulative_weights((0.45, 0.35, 0.15, 0.05))
_APT_SUFFIX: Final = ("아파트", "타워", "빌", "하이츠", "맨션", "파크", "스퀘어", "빌딩")
