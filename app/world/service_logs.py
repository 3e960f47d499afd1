"""The world's online-service event logs (고용24 scale): step-level events of application sessions.

Each session is one person (a seeker of the world, drawn with replacement: people come back many
times) going through one online service step by step. Every step ends in exactly one *final* row
(``ok``: done first time, ``retry``: done after failed attempts, ``dropout``: the session was
abandoned there), preceded by one ``error`` row per failed attempt (with its error code). The final
step (신청 완료) is never abandoned, so a session completed its application when it reached it.

True bottlenecks are planted per service, step and segment (:data:`PLANTED_BOTTLENECKS`) and written
to :data:`TRUTH_FILE`, which only tests and benches read (the page and the analysis never do).

Everything is vectorised with numpy over chunks of :data:`CHUNK_SESSIONS` sessions (loops run over
steps and attempts only, never over rows), each chunk seeded from ``(seed, chunk)`` so the output is
the same for a seed whatever the chunking of the write; each chunk is written as Parquet files in
hive folders ``events/service_code=…/month=YYYY-MM/part-NNNNN.parquet`` and freed before the next.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine

from app.analytics.service_logs import EVENTS_DIR, MANIFEST_FILE
from app.db.repositories import seekers as seekers_repo
from app.db.repositories import world as world_repo
from app.errors import InvalidInput, NotReady
from app.reference.codes import (
    LOG_AGE_BANDS,
    LOG_DEVICES,
    LOG_ERROR_LABELS,
    LOG_STATUSES,
    LOG_USER_TYPES,
    ONLINE_SERVICE_CODES,
)
from app.reference.names import REGION_NAMES

LOGS_VERSION: Final[str] = "1"
"""Content version of the generated logs: bump it when the generator's output changes (the build regenerates)."""
SIZES: Final[dict[str, int]] = {"small": 5_000, "demo": 300_000, "large": 9_300_000}
"""Sessions per size: about 28 thousand, 1.7 million and 51 million events."""
CHUNK_SESSIONS: Final[int] = 400_000
"""Sessions generated and written at a time (about 2.5 million events, a few hundred MB of arrays)."""
MONTHS: Final[int] = 12
"""Months of logs, ending with the month of the world's reference date."""
TRUTH_FILE: Final[str] = "evaluation_only_planted_bottlenecks.json"
"""The planted bottlenecks: for tests and benches that score the analysis, never read by the product."""
MAX_FAILED_ATTEMPTS: Final[int] = 3
"""After this many failed attempts at a step a user always gives up."""

# step: (name, error probability, abandonment probability, median seconds of an attempt, main error code)
Step = tuple[str, float, float, float, str]
SERVICE_FLOWS: Final[dict[str, tuple[Step, ...]]] = {
    "실업급여 신청": (
        ("로그인", 0.02, 0.04, 20, "E-AUTH-401"), ("본인인증", 0.04, 0.03, 45, "E-AUTH-401"),
        ("수급자격 신청서 작성", 0.03, 0.05, 300, "E-VALID-422"), ("이직확인 조회", 0.03, 0.03, 25, "E-TIMEOUT-504"),
        ("증빙 첨부", 0.04, 0.04, 150, "E-UPLOAD-413"), ("신청 완료", 0.0, 0.0, 10, ""),
    ),
    "구직신청": (
        ("로그인", 0.02, 0.04, 20, "E-AUTH-401"), ("본인인증", 0.04, 0.03, 45, "E-AUTH-401"),
        ("기본정보 입력", 0.02, 0.03, 90, "E-VALID-422"), ("학력·경력 입력", 0.03, 0.05, 240, "E-VALID-422"),
        ("희망조건 입력", 0.01, 0.03, 120, "E-VALID-422"), ("이력서 등록", 0.03, 0.04, 300, "E-UPLOAD-413"),
        ("신청 완료", 0.0, 0.0, 10, ""),
    ),
    "국민취업지원제도(취업지원)": (
        ("로그인", 0.02, 0.04, 20, "E-AUTH-401"), ("본인인증", 0.04, 0.03, 45, "E-AUTH-401"),
        ("자격 요건 확인", 0.02, 0.05, 120, "E-VALID-422"), ("소득·재산 정보 입력", 0.03, 0.05, 300, "E-VALID-422"),
        ("서류 첨부", 0.04, 0.04, 150, "E-UPLOAD-413"), ("신청 완료", 0.0, 0.0, 10, ""),
    ),
    "내일배움카드 신청": (
        ("로그인", 0.02, 0.04, 20, "E-AUTH-401"), ("본인인증", 0.04, 0.03, 45, "E-AUTH-401"),
        ("신청서 작성", 0.02, 0.04, 180, "E-VALID-422"), ("사전 동영상 시청", 0.02, 0.05, 600, "E-MEDIA-PLAY"),
        ("계좌 등록", 0.03, 0.03, 60, "E-VALID-422"), ("신청 완료", 0.0, 0.0, 10, ""),
    ),
    "육아휴직 급여 신청": (
        ("로그인", 0.02, 0.04, 20, "E-AUTH-401"), ("본인인증", 0.04, 0.03, 45, "E-AUTH-401"),
        ("사업주 확인 조회", 0.03, 0.03, 30, "E-TIMEOUT-504"), ("신청서 작성", 0.02, 0.04, 240, "E-VALID-422"),
        ("증빙 첨부", 0.04, 0.04, 150, "E-UPLOAD-413"), ("신청 완료", 0.0, 0.0, 10, ""),
    ),
}
"""Steps of each online service (the flavour of 고용24's forms; rates are per reaching session)."""
SERVICE_SHARES: Final[tuple[float, ...]] = (0.30, 0.25, 0.15, 0.20, 0.10)
"""Share of sessions of each service of :data:`SERVICE_FLOWS`, in order."""
DEVICE_SHARES: Final[tuple[float, ...]] = (0.42, 0.43, 0.15)
FIRST_VISIT_SHARE: Final[float] = 0.25
EMPLOYED_SHARE: Final[dict[str, float]] = {"내일배움카드 신청": 0.4, "육아휴직 급여 신청": 1.0}
"""Share of sessions by 재직자 per service (the others are 구직자)."""
GIVE_UP_AFTER_ERROR: Final[float] = 0.25
"""Chance a user abandons right after a failed attempt (ordinary steps)."""
HOUR_WEIGHTS: Final[tuple[float, ...]] = (
    0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 2.0, 3.5, 4.2, 4.0, 2.8, 3.2, 3.8, 3.6, 3.2, 2.6, 2.0, 2.0, 2.2, 2.0, 1.4, 0.8,
)
"""Relative use of the site by hour of day (KST): office hours and the evening after work."""
# general segment effects (mild, everywhere): how much more often errors happen and how much longer steps take
_DEVICE_ERROR = np.array([1.0, 1.25, 0.9])
_DEVICE_DROP = np.array([0.0, 0.01, 0.0])
_AGE_SLOWER = np.array([0.85, 0.95, 1.0, 1.1, 1.4])
_AGE_DROP = np.array([0.0, 0.0, 0.0, 0.005, 0.015])


@dataclass(frozen=True)
class PlantedBottleneck:
    """A true bottleneck of the synthetic logs (evaluation only).

    Attributes:
        service: Online service.
        step: Step name.
        dimension: Segment dimension (``all``, ``device``, ``age_band``, ``visit``, ``user_type``).
        value: Segment value (Korean label as in the logs; ``전체`` for ``all``).
        kind: What goes wrong: ``dropout`` (abandonment), ``error`` (errors and retries), ``slow`` (long time).
        extra_error: Added error probability per attempt.
        extra_drop: Added abandonment probability.
        give_up: Chance to abandon after a failed attempt (instead of :data:`GIVE_UP_AFTER_ERROR`).
        slower: Time multiplier.
        error_code: Error code of the added errors.
        description: Korean description.
    """

    service: str
    step: str
    dimension: str
    value: str
    kind: str
    extra_error: float = 0.0
    extra_drop: float = 0.0
    give_up: float | None = None
    slower: float = 1.0
    error_code: str = ""
    description: str = ""


PLANTED_BOTTLENECKS: Final[tuple[PlantedBottleneck, ...]] = (
    PlantedBottleneck("내일배움카드 신청", "사전 동영상 시청", "device", "모바일", "dropout", extra_drop=0.22, slower=1.3,
                      description="모바일에서 사전 동영상 시청 중 이탈"),
    PlantedBottleneck("실업급여 신청", "증빙 첨부", "all", "전체", "error", extra_error=0.28, give_up=0.4,
                      error_code="E-UPLOAD-413", description="증빙 첨부 업로드 실패와 반복 재시도"),
    PlantedBottleneck("국민취업지원제도(취업지원)", "소득·재산 정보 입력", "age_band", "60세 이상", "slow", extra_drop=0.15,
                      slower=3.0, description="60세 이상의 소득·재산 정보 입력 지연과 이탈"),
    PlantedBottleneck("구직신청", "본인인증", "visit", "첫 방문", "error", extra_error=0.32, give_up=0.45,
                      error_code="E-AUTH-401", description="첫 방문자의 본인인증 실패"),
    PlantedBottleneck("육아휴직 급여 신청", "사업주 확인 조회", "device", "앱", "error", extra_error=0.30, give_up=0.45,
                      error_code="E-TIMEOUT-504", description="앱에서 사업주 확인 조회 시간 초과"),
)
"""The bottlenecks planted in every log (one per service), written to :data:`TRUTH_FILE`."""

SERVICES: Final[tuple[str, ...]] = tuple(SERVICE_FLOWS)
MAX_STEPS: Final[int] = max(len(f) for f in SERVICE_FLOWS.values())
STEP_NAMES: Final[tuple[str, ...]] = tuple(dict.fromkeys(s[0] for f in SERVICE_FLOWS.values() for s in f))
ERROR_CODES: Final[tuple[str, ...]] = tuple(LOG_ERROR_LABELS)
AGE_LABELS: Final[tuple[str, ...]] = tuple(label for _, label in LOG_AGE_BANDS)
REGION_LABELS: Final[tuple[str, ...]] = (*REGION_NAMES.values(), "미상")
_SEGMENT_VALUES = {"device": LOG_DEVICES, "age_band": AGE_LABELS, "visit": ("첫 방문", "재방문"),
                   "user_type": LOG_USER_TYPES}

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class LogSummary:
    """What one generation wrote.

    Attributes:
        path: The logs folder (``events/`` beneath it, :data:`MANIFEST_FILE` and :data:`TRUTH_FILE` beside).
        size: Size name.
        seed: Seed.
        sessions: Sessions written.
        events: Event rows written.
        files: Parquet files written.
        months: The months covered (``YYYY-MM``), oldest first.
        seconds: Generation time.
    """

    path: Path
    size: str
    seed: int
    sessions: int
    events: int
    files: int
    months: tuple[str, ...]
    seconds: float


# --------------------------------------------------------------------------- per-step tables


def _step_tables() -> dict[str, np.ndarray]:
    """(service, step) arrays of the flows, padded to :data:`MAX_STEPS`."""
    shape = (len(SERVICES), MAX_STEPS)
    tables = {name: np.zeros(shape) for name in ("error", "drop", "median")}
    tables["name"] = np.full(shape, -1, dtype=np.int16)
    tables["code"] = np.zeros(shape, dtype=np.int8)
    for s, flow in enumerate(SERVICE_FLOWS.values()):
        for j, (name, p_err, p_drop, median_s, code) in enumerate(flow):
            tables["error"][s, j], tables["drop"][s, j], tables["median"][s, j] = p_err, p_drop, median_s
            tables["name"][s, j] = STEP_NAMES.index(name)
            tables["code"][s, j] = ERROR_CODES.index(code) if code else 0
    tables["n_steps"] = np.array([len(f) for f in SERVICE_FLOWS.values()])
    return tables


_TABLES = _step_tables()


def _segment_mask(planted: PlantedBottleneck, seg: dict[str, np.ndarray]) -> np.ndarray | None:
    """Rows of the segment a planted bottleneck hits (``None`` = everybody)."""
    if planted.dimension == "all":
        return None
    return seg[planted.dimension] == _SEGMENT_VALUES[planted.dimension].index(planted.value)


# --------------------------------------------------------------------------- one chunk


def _simulate_chunk(
    rng: np.random.Generator, n: int, seeker_ids: np.ndarray, seeker_age: np.ndarray, seeker_region: np.ndarray,
    month_starts: np.ndarray, first_session_id: int,
) -> tuple[pa.Table, np.ndarray]:
    """Events of ``n`` sessions as an Arrow table sorted by session and time, and each row's partition number."""
    who = rng.integers(0, len(seeker_ids), n)
    service = rng.choice(len(SERVICES), n, p=np.array(SERVICE_SHARES))
    device = rng.choice(len(LOG_DEVICES), n, p=np.array(DEVICE_SHARES))
    age = seeker_age[who]
    age_band = np.searchsorted(np.array([hi for hi, _ in LOG_AGE_BANDS]), age)
    first_visit = rng.random(n) < FIRST_VISIT_SHARE
    employed_share = np.array([EMPLOYED_SHARE.get(s, 0.0) for s in SERVICES])
    user_type = (rng.random(n) < employed_share[service]).astype(np.int8)
    month = rng.integers(0, MONTHS, n)
    day_seconds = rng.integers(0, 28, n) * 86_400
    hours = rng.choice(24, n, p=np.array(HOUR_WEIGHTS) / sum(HOUR_WEIGHTS))
    start = month_starts[month] + day_seconds + hours * 3600 + rng.integers(0, 3600, n)
    seg = {"device": device, "age_band": age_band, "visit": (~first_visit).astype(np.int8), "user_type": user_type}

    planted = [(p, SERVICES.index(p.service), [s[0] for s in SERVICE_FLOWS[p.service]].index(p.step),
                _segment_mask(p, seg)) for p in PLANTED_BOTTLENECKS]
    alive = np.ones(n, dtype=bool)
    pieces: dict[str, list[np.ndarray]] = {k: [] for k in ("sess", "step", "attempt", "status", "code", "dur")}
    for j in range(MAX_STEPS):
        idx = np.flatnonzero(alive & (j < _TABLES["n_steps"][service]))
        if idx.size == 0:
            break
        s = service[idx]
        p_err = _TABLES["error"][s, j] * _DEVICE_ERROR[device[idx]] * np.where(first_visit[idx], 1.3, 1.0)
        p_drop = _TABLES["drop"][s, j] + _DEVICE_DROP[device[idx]] + _AGE_DROP[age_band[idx]]
        p_drop = p_drop + np.where(first_visit[idx], 0.01, 0.0)
        p_drop = np.where(_TABLES["n_steps"][s] - 1 == j, 0.0, p_drop)  # 신청 완료 is never abandoned
        slower = _AGE_SLOWER[age_band[idx]] * np.where(first_visit[idx], 1.2, 1.0)
        give_up = np.full(idx.size, GIVE_UP_AFTER_ERROR)
        code = np.full(idx.size, -1, dtype=np.int8)  # -1: the step's main code
        for p, ps, pj, mask in planted:
            if pj != j:
                continue
            hit = s == ps
            if mask is not None:
                hit &= mask[idx]
            p_err = np.where(hit, p_err + p.extra_error, p_err)
            p_drop = np.where(hit, p_drop + p.extra_drop, p_drop)
            slower = np.where(hit, slower * p.slower, slower)
            if p.give_up is not None:
                give_up = np.where(hit, p.give_up, give_up)
            if p.error_code:
                code = np.where(hit, ERROR_CODES.index(p.error_code), code)
        # failed attempts: each may end the session; a repeat failure is less likely than the first
        failed = np.zeros(idx.size, dtype=np.int8)
        gave_up = np.zeros(idx.size, dtype=bool)
        trying = np.ones(idx.size, dtype=bool)
        for attempt in range(MAX_FAILED_ATTEMPTS):
            fails = trying & (rng.random(idx.size) < (p_err if attempt == 0 else 0.6 * p_err))
            failed += fails
            quits = fails & ((rng.random(idx.size) < give_up) | (attempt == MAX_FAILED_ATTEMPTS - 1))
            gave_up |= quits
            trying = fails & ~quits
        dropped = gave_up | (rng.random(idx.size) < p_drop)
        rows = failed.astype(np.int64) + 1
        total = int(rows.sum())
        sess = np.repeat(idx, rows)
        attempt_no = np.arange(total) - np.repeat(np.cumsum(rows) - rows, rows)
        final = attempt_no == np.repeat(rows - 1, rows)
        status = np.where(final, np.where(np.repeat(dropped, rows), 3, np.where(np.repeat(failed > 0, rows), 2, 0)), 1)
        main_code = np.where(np.repeat(code, rows) >= 0, np.repeat(code, rows), _TABLES["code"][service[sess], j])
        other_code = rng.integers(0, len(ERROR_CODES), total)
        err_code = np.where(status == 1, np.where(rng.random(total) < 0.8, main_code, other_code), -1)
        scale = _TABLES["median"][service[sess], j] * np.repeat(slower, rows)
        dur = scale * rng.lognormal(0.0, 0.45, total) * np.where(status == 0, 1.0, np.where(status == 2, 1.0, 0.5))
        for key, value in (("sess", sess), ("step", np.full(total, j, dtype=np.int8)), ("attempt", attempt_no),
                           ("status", status), ("code", err_code), ("dur", dur)):
            pieces[key].append(value)
        alive[idx[dropped]] = False
    cols = {k: np.concatenate(v) for k, v in pieces.items()}
    order = np.argsort(cols["sess"] * (MAX_STEPS * 8) + cols["step"].astype(np.int64) * 8 + cols["attempt"], kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    sess = cols["sess"]
    duration = np.round(np.maximum(cols["dur"], 1.0), 1)
    # wall clock: each event starts when the previous one of its session ended, plus a few seconds of reading
    elapsed = np.ceil(duration).astype(np.int64) + rng.integers(1, 8, sess.size)
    group_start = np.flatnonzero(np.r_[True, sess[1:] != sess[:-1]])
    sizes = np.diff(np.r_[group_start, sess.size])
    before = np.cumsum(elapsed) - elapsed
    before -= np.repeat(before[group_start], sizes)
    seq = np.arange(sess.size) - np.repeat(group_start, sizes)
    ts = (start[sess] + before).astype("datetime64[s]")
    step_name = _TABLES["name"][service[sess], cols["step"]]
    table = pa.table({
        "session_id": pa.array(first_session_id + sess, pa.int64()),
        "user_id": pa.array(seeker_ids[who[sess]], pa.int64()),
        "user_type": _dictionary(user_type[sess], LOG_USER_TYPES),
        "service": _dictionary(service[sess], SERVICES),
        "step_order": pa.array(cols["step"] + 1, pa.int8()),
        "step": _dictionary(step_name, STEP_NAMES),
        "event_seq": pa.array(seq, pa.int16()),
        "ts": pa.array(ts, pa.timestamp("s")),
        "duration_s": pa.array(duration, pa.float32()),
        "device": _dictionary(device[sess], LOG_DEVICES),
        "age_band": _dictionary(age_band[sess], AGE_LABELS),
        "region": _dictionary(seeker_region[who[sess]], REGION_LABELS),
        "first_visit": pa.array(first_visit[sess]),
        "status": _dictionary(cols["status"], LOG_STATUSES),
        "error_code": _dictionary(cols["code"], ERROR_CODES),
        "retry_count": pa.array(cols["attempt"], pa.int8()),  # failed attempts before this row
    })
    return table, service[sess] * MONTHS + month[sess]


def _dictionary(codes: np.ndarray, values: Sequence[str]) -> pa.DictionaryArray:
    """A dictionary-encoded string column from integer codes (``-1`` = null), built without Python strings."""
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values), pa.string()))


# --------------------------------------------------------------------------- the whole log


def _month_starts(reference: dt.date) -> tuple[np.ndarray, tuple[str, ...]]:
    """Epoch seconds of the first day of each of the :data:`MONTHS` months ending at ``reference``'s month."""
    firsts = []
    year, month = reference.year, reference.month
    for _ in range(MONTHS):
        firsts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    firsts.reverse()
    seconds = np.array([(d - dt.date(1970, 1, 1)).days * 86_400 for d in firsts], dtype=np.int64)
    return seconds, tuple(f"{d:%Y-%m}" for d in firsts)


def generate_service_logs(
    engine: Engine, out_dir: Path, *, size: str = "demo", seed: int = 20261123, sessions: int | None = None,
    world_fingerprint: str = "", progress: Progress | None = None,
) -> LogSummary:
    """Generate the event logs of ``size`` from the world's seekers into ``out_dir`` (replaced atomically).

    Args:
        engine: The world's database (its seekers and reference date are read).
        out_dir: Logs folder; written beside it first and renamed into place.
        size: ``small``, ``demo`` or ``large`` (:data:`SIZES`).
        seed: Seed; the same seed, world and size give the same files.
        sessions: Sessions to write instead of the size's number (tests and benches).
        world_fingerprint: The world's fingerprint, kept in the manifest (the build regenerates when it changes).
        progress: Callback (step, fraction).

    Returns:
        A :class:`LogSummary`.

    Raises:
        InvalidInput: Unknown size.
        NotReady: The world has no seekers.
    """
    if size not in SIZES:
        raise InvalidInput(f"알 수 없는 로그 크기입니다: {size} (small, demo, large 중 하나)")
    say = progress or (lambda _s, _f: None)
    started = time.perf_counter()
    frame = seekers_repo.load_seekers(engine)
    if frame.empty:
        raise NotReady("세계에 구직자가 없어 서비스 이용 로그를 만들 수 없습니다. `python -m app build`를 먼저 실행하세요")
    frame = frame.sort_values("id")
    seeker_ids = frame["id"].to_numpy(np.int64)
    seeker_age = frame["age"].to_numpy(np.int64)
    region_index = {code: i for i, code in enumerate(REGION_NAMES)}
    seeker_region = frame["region_code"].map(region_index).fillna(len(REGION_NAMES)).to_numpy(np.int64)
    reference = world_repo.load_reference_date(engine) or dt.date(2026, 6, 30)
    month_starts, month_names = _month_starts(reference)
    total = sessions if sessions is not None else SIZES[size]
    out_dir = Path(out_dir)
    staging = out_dir.with_name(out_dir.name + ".writing")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / EVENTS_DIR).mkdir(parents=True)
    service_codes = [ONLINE_SERVICE_CODES[s] for s in SERVICES]
    events = files = 0
    n_chunks = -(-total // CHUNK_SESSIONS)
    for chunk in range(n_chunks):
        n = min(CHUNK_SESSIONS, total - chunk * CHUNK_SESSIONS)
        rng = np.random.default_rng([seed, chunk])
        table, part = _simulate_chunk(rng, n, seeker_ids, seeker_age, seeker_region, month_starts,
                                      first_session_id=chunk * CHUNK_SESSIONS + 1)
        order = np.argsort(part, kind="stable")  # keeps session and time order inside a partition
        table = table.take(pa.array(order))
        part = part[order]
        bounds = np.flatnonzero(np.r_[True, part[1:] != part[:-1], True])
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=False):
            s, m = divmod(int(part[lo]), MONTHS)
            folder = staging / EVENTS_DIR / f"service_code={service_codes[s]}" / f"month={month_names[m]}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table.slice(lo, hi - lo), folder / f"part-{chunk:05d}.parquet", compression="snappy")
            files += 1
        events += table.num_rows
        del table, part
        say(f"서비스 이용 로그 {chunk + 1}/{n_chunks}", (chunk + 1) / n_chunks)
    seconds = time.perf_counter() - started
    summary = LogSummary(path=out_dir, size=size, seed=seed, sessions=total, events=events, files=files,
                         months=month_names, seconds=round(seconds, 2))
    manifest = {"logs_version": LOGS_VERSION, "size": size, "seed": seed, "world_fingerprint": world_fingerprint,
                "sessions": total, "events": events, "files": files, "months": list(month_names),
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "seconds": summary.seconds}
    (staging / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    truth = {"note": "평가 전용: 심어 둔 병목(정답). 제품 화면과 분석은 읽지 않습니다.", "logs_version": LOGS_VERSION,
             "bottlenecks": [asdict(p) for p in PLANTED_BOTTLENECKS]}
    (staging / TRUTH_FILE).write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    if out_dir.exists():
        old = out_dir.with_name(out_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
        staging.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out_dir)
    return summary


def read_log_manifest(out_dir: Path) -> dict | None:
    """The manifest of the logs in ``out_dir`` (``None`` when there are none)."""
    path = Path(out_dir) / MANIFEST_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def logs_are_current(out_dir: Path, *, size: str, seed: int, world_fingerprint: str) -> bool:
    """Whether ``out_dir`` holds logs of this generator version, size, seed and world."""
    meta = read_log_manifest(out_dir)
    return (meta is not None and (Path(out_dir) / EVENTS_DIR).is_dir() and meta.get("logs_version") == LOGS_VERSION
            and meta.get("size") == size and meta.get("seed") == seed
            and meta.get("world_fingerprint") == world_fingerprint)


def ensure_service_logs(
    engine: Engine, out_dir: Path, *, size: str, seed: int, world_fingerprint: str, force: bool = False,
    progress: Progress | None = None,
) -> LogSummary | None:
    """Generate the logs when missing or stale (another generator version, size, seed or world).

    Returns:
        The :class:`LogSummary` of a generation, ``None`` when the logs were current.
    """
    if not force and logs_are_current(out_dir, size=size, seed=seed, world_fingerprint=world_fingerprint):
        return None
    return generate_service_logs(engine, out_dir, size=size, seed=seed, world_fingerprint=world_fingerprint,
                                 progress=progress)


# --------------------------------------------------------------------------- evaluation


def load_planted(out_dir: Path) -> list[dict]:
    """The planted bottlenecks written beside the logs (tests and benches only)."""
    return json.loads((Path(out_dir) / TRUTH_FILE).read_text(encoding="utf-8"))["bottlenecks"]


def planted_recall(ranked: Sequence[dict], planted: Sequence[dict], *, top: int = 3) -> float:
    """Share of planted bottlenecks found among the ``top`` ranked bottlenecks of their service.

    Args:
        ranked: Ranked bottlenecks, best first, each with ``service``, ``step``, ``dimension``, ``value``.
        planted: The planted bottlenecks (:func:`load_planted`).
        top: How many of a service's ranked bottlenecks count.

    Returns:
        Recall in 0–1.
    """
    found = 0
    for truth in planted:
        mine = [r for r in ranked if r["service"] == truth["service"]][:top]
        if any(r["step"] == truth["step"] and r["dimension"] == truth["dimension"] and r["value"] == truth["value"]
               for r in mine):
            found += 1
    return found / max(len(planted), 1)
