"""Command line: ``python -m app employment score --input seekers.csv --output scored.csv``.

Scores a CSV of job seekers with the employment-success model (format: ``docs/employment_score.md``).
Every row is checked; any bad row is reported as ``"N행: [column] …"`` (the header is line 1) on
stderr, in line order, the exit code is 2 and no output file is written. The output goes to a
temporary file renamed into place only when complete.

The input holds no direct identifier (name, RRN, contact, address): the command refuses such
columns, and rows whose cells hold such data (:func:`app.text.pii.find_pii`: an RRN, phone number,
e-mail, address, birth date or labelled name), naming the line, the column and the kind — never
the value — rather than read personal data it does not need. The file is read once, a chunk of
rows at a time: each chunk is checked, then scored and written while no row has failed (the rest
of a failing file is only checked, and the temporary file is deleted), so memory does not grow
with the file.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from app.cli.chunked import ChunkedResult, FormattedChunk, ordered_map
from app.cli.runner import (
    FileCommand,
    InputRejected,
    InputScan,
    StreamedInput,
    input_rows,
    input_stamp,
    run_command_line,
    run_file_command,
)
from app.cli.seeker_input import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SERVICE_COLUMNS,
    check_seekers,
    identifying_header_problem,
    reference_codes,
    seeker_chunks,
)
from app.config import get_settings
from app.reference.codes import SERVICE_LABELS
from app.services.employment import (
    DEFAULT_HIGH_BELOW,
    DEFAULT_LOW_FROM,
    EmploymentModel,
    RiskBands,
    best_services,
    load_employment_model,
    score_explained,
)
from app.services.employment.reasons import group_contributions, top_sentences
from app.threads import thread_count, use_threads

OUTPUT_ADDED: tuple[str, ...] = (
    "probability", "probability_low", "probability_high", "probability_now", "band", "reason_1", "reason_2", "reason_3",
    "best_service", "best_service_effect",
)


KEPT_COLUMNS: tuple[str, ...] = ("probability", "band")
"""Output columns the summary reads."""


def stream_seekers(path: Path, model: EmploymentModel, bands: RiskBands) -> StreamedInput:
    """``employment score`` in one pass: each chunk is checked, then scored and written
    (:func:`scored_frame`) while no row has failed; after a failure the rest of the file is only
    checked, and at its end the chunks raise :class:`~app.cli.runner.InputRejected` (the errors are
    :func:`check_seekers`'s, in line order). A file whose size or modification time changed while
    it was read raises :meth:`InputScan.changed` (exit 1) instead of being written.

    A file of more than one chunk is scored by :func:`app.threads.thread_count` worker processes
    while this one reads, checks and writes (:func:`~app.cli.chunked.ordered_map`; the output is the
    same, in the same order): scoring and formatting hold the GIL, and a national batch needs
    every core.
    """
    streamed = StreamedInput()

    def checked() -> Iterator[tuple[list[str], pd.DataFrame]]:
        keco, regions = reference_codes()
        stamp = input_stamp(path)
        problem = identifying_header_problem(path)
        if problem:
            streamed.errors.append(problem)
        else:
            cells = input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, streamed.errors, streamed.notes)
            for ids, records in seeker_chunks(cells, keco, regions, streamed.errors):
                streamed.rows += len(ids)
                if records is not None and not streamed.errors:
                    yield ids, records
        if streamed.errors:
            raise InputRejected(len(streamed.errors))
        if input_stamp(path) != stamp:
            raise InputScan(path, stamp, streamed.rows).changed()

    def chunks() -> Iterator[pd.DataFrame | FormattedChunk]:
        jobs = checked()
        head = list(itertools.islice(jobs, 2))  # one chunk is scored here, without starting workers
        workers = thread_count()
        if len(head) < 2 or workers < 2:
            for ids, records in itertools.chain(head, jobs):
                yield scored_frame(ids, records, model, bands)
            return
        # the model goes to the workers as a file, not in their start-up message: a worker that dies while
        # starting leaves a message larger than the pipe half-written, and the writer (this process) waits forever
        with tempfile.TemporaryDirectory(prefix="goyong-score-") as folder:
            shared = Path(folder) / "model.joblib"
            joblib.dump((model, bands), shared)
            yield from ordered_map(_formatted_chunk, itertools.chain(head, jobs), workers=workers,
                                   initializer=_start_scoring_worker, initargs=(str(shared),))

    streamed.result = ChunkedResult(chunks(), kept=KEPT_COLUMNS)
    return streamed


_WORKER: dict[str, object] = {}
"""A scoring worker's model and bands (:func:`_start_scoring_worker`)."""


def _start_scoring_worker(shared: str) -> None:
    use_threads(1)  # workers × threads ≤ thread_count(): each worker one thread
    model, bands = joblib.load(shared)
    _WORKER.update(model=model, bands=bands)


def _formatted_chunk(job: tuple[list[str], pd.DataFrame]) -> FormattedChunk:
    ids, records = job
    frame = scored_frame(ids, records, _WORKER["model"], _WORKER["bands"])  # type: ignore[arg-type]
    return FormattedChunk.of(frame, KEPT_COLUMNS)


def scored_frame(ids: Sequence[str], records: pd.DataFrame, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """The output: id, the inputs, probabilities, band, top-3 reasons and the best service.

    One model run gives the probabilities and the contributions the reasons come from
    (:func:`~app.services.employment.caseload.score_explained`); the best service compares the
    main booster's predictions with each service switched on and off
    (:func:`~app.services.employment.caseload.best_services`).
    """
    x = model.features(records)
    scored, values = score_explained(records, x, model, bands)
    market = model.market.market_wage(records["desired_keco"], records["desired_region_code"])
    out = pd.DataFrame({"id": list(ids)})
    for column in REQUIRED_COLUMNS + ("last_keco", "region_flexible", "days_since_registration", *SERVICE_COLUMNS):
        out[column] = records[column].to_numpy()
    out["last_keco"] = records["last_keco"].fillna("").astype(str).to_numpy()
    for column in ("probability", "probability_low", "probability_high", "probability_now"):
        out[column] = scored[column].round(4).to_numpy()
    out["band"] = scored["band"].to_numpy()
    for k, sentences in enumerate(top_sentences(group_contributions(values), records, x, market, k=3)):
        out[f"reason_{k + 1}"] = sentences
    services, effects = best_services(model, x)
    out["best_service"] = [SERVICE_LABELS.get(s, "") for s in services]
    out["best_service_effect"] = np.round(effects.astype(float), 4)
    return out


def _load(args: argparse.Namespace) -> EmploymentModel:
    return load_employment_model(args.models_dir or get_settings().models_dir)


def _bands(args: argparse.Namespace) -> RiskBands:
    return RiskBands(high_below=args.high_below, low_from=args.low_from)


def _summary(frame: pd.DataFrame | ChunkedResult, model: EmploymentModel, args: argparse.Namespace, _rows: object) -> list[str]:
    high = float((frame["band"] == "고위험").mean())
    return [
        f"채점 완료: {len(frame):,}건 → {args.output} (모델 {model.version}, 평균 취업확률 {frame['probability'].mean():.1%}, "
        f"고위험 {high:.1%}; {_bands(args).describe()})",
        "AI 예측 결과입니다: 확률은 비슷한 구직자들의 과거 결과에서 추정한 값이며, 판단은 상담사가 합니다.",
    ]


SCORE = FileCommand(
    read=check_seekers,
    load=_load,
    score=lambda scan, model, args: stream_seekers(scan.path, model, _bands(args)).result,
    summary=_summary,
    stream=lambda path, model, args: stream_seekers(path, model, _bands(args)),
)
"""``employment score``: seekers in, probability, band, top-3 reasons and the best service out."""


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"0과 1 사이의 값이어야 합니다 (입력값: {text})")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Parser of ``python -m app employment``."""
    parser = argparse.ArgumentParser(prog="python -m app employment", description="취업성공 예측모델 명령")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="구직자 CSV의 180일 내 취업확률·위험도·주요 이유·효과 큰 서비스를 계산합니다")
    score.add_argument("--input", required=True, type=Path, help="UTF-8 CSV (docs/employment_score.md 형식)")
    score.add_argument("--output", required=True, type=Path, help="결과 CSV 경로 (성공했을 때만 만들어집니다)")
    score.add_argument("--models-dir", type=Path, default=None, help="모델 폴더 (기본값: 설정의 GOYONG_MODELS_DIR)")
    score.add_argument("--high-below", type=_fraction, default=DEFAULT_HIGH_BELOW, help="고위험 기준 (이 확률 미만)")
    score.add_argument("--low-from", type=_fraction, default=DEFAULT_LOW_FROM, help="저위험 기준 (이 확률 이상)")
    score.set_defaults(func=lambda args: run_file_command(args, SCORE))
    return parser


def _check(args: argparse.Namespace) -> str | None:
    return None if args.high_below < args.low_from else "고위험 기준은 저위험 기준보다 작아야 합니다"


def main_employment(argv: list[str] | None = None) -> int:
    """Run ``python -m app employment …``; returns the exit code (0 ok, 2 bad input, 1 no model)."""
    return run_command_line(argv, "employment", build_parser(), check=_check)
