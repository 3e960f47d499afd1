"""The one runner of the file commands (``hiring score``, ``employment score``, ``verify``).

Every file command does the same thing in the same order, so the contract (exit codes, Korean
messages, no partial output) holds for each by construction:

1. the output path is checked (exit 2, nothing written);
2. the whole input is read and checked: every bad row is reported as ``"N행: …"`` on stderr
   (exit 2, nothing written); a command keeps only what it needs to read the file again
   (:class:`InputScan`), not its rows, and scores it a chunk of :data:`CHUNK_ROWS` at a time
   while writing (:class:`ChunkedResult`), so memory follows the chunk, not the file;
3. what scores it is loaded (a missing model: exit 1, naming the build command);
4. the rows are scored and the result is written atomically (a write failure: exit 1);
5. one run record goes to the audit log (``app.services.audit.record_command_run``; every run,
   failed ones too; a record that cannot be written fails the run: exit 1, no output file);
6. the input notes and the command's summary (with the AI-output notice) go to stdout.

A command with a ``stream`` (``employment score``: a national file) reads its input once instead:
what scores it is loaded first (3), then each chunk is checked and, while no row has failed, scored
and written to the temporary file (2 and 4 in one pass); after a failure the rest of the file is
only checked, and when the whole file has been read every error is reported as in 2 and the
temporary file is deleted (exit 2, nothing written). When what scores it cannot be loaded, the
file is checked alone first, so a bad input still exits 2 before a missing model exits 1.

A command is a :class:`FileCommand`; :func:`run_file_command` runs it and :func:`run_command_line`
turns ``argv`` into the parsed arguments and an exit code.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import pandas as pd

from app.cli.chunked import ChunkedResult
from app.db.importers.csv_reader import FileProblem, file_stamp, read_cells
from app.errors import GoyongError, NotReady
from app.exports import write_csv_atomically


def write_atomically(frame: pd.DataFrame, output: Path) -> None:
    """Write the result CSV through the one export writer (formula cells neutralised, UTF-8 with
    BOM for Excel, temporary file then rename: a failure never leaves a partial file)."""
    write_csv_atomically(frame, output)


def check_output_path(output: Path) -> str | None:
    """A Korean problem with the output path (missing folder, a folder), or ``None``."""
    if not output.parent.is_dir():
        return f"출력 폴더가 없습니다: {output.parent}"
    if output.exists() and output.is_dir():
        return f"출력 경로가 폴더입니다: {output}"
    return None


def report_input_errors(errors: Sequence[str], source: Path) -> int:
    """Print every input error and the "no output written" line to stderr; returns exit code 2."""
    for message in errors:
        print(message, file=sys.stderr)
    print(f"오류 {len(errors)}건: 출력 파일을 만들지 않았습니다 ({source})", file=sys.stderr)
    return 2


def write_result(frame: pd.DataFrame | ChunkedResult, output: Path, notes: Sequence[str]) -> bool:
    """Write the result with :func:`write_atomically` (a :class:`ChunkedResult` chunk by chunk)
    and print the input notes ("참고: …").

    Returns:
        False after printing a Korean error to stderr when the file cannot be written (or, for a
        chunked result, when the input changed while it was being scored).
    """
    try:
        if isinstance(frame, ChunkedResult):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the chunks are scored here; library warnings are not the user's business
                frame.write_to(output)
        else:
            write_atomically(frame, output)
    except InputRejected:
        raise  # the caller reports the input's errors (exit 2)
    except OSError as exc:
        print(f"출력 파일을 쓸 수 없습니다: {output} ({exc.strerror or exc})", file=sys.stderr)
        return False
    except CommandError as err:
        print(err.user_message, file=sys.stderr)
        return False
    for note in notes:
        print(f"참고: {note}")
    return True


def deliver_result(record: RunRecord, frame: pd.DataFrame | ChunkedResult, output: Path, notes: Sequence[str],
                   *, rows_in: Callable[[], int] | None = None) -> int:
    """Write the result (:func:`write_result`) and the run record, failing closed: 0 when both are
    written; 1 when either is not (an output whose record could not be written is removed).
    ``rows_in`` gives the rows read once the result is written (a streamed input is read as it is)."""
    written = write_result(frame, output, notes)
    if rows_in is not None:
        record.rows_in = rows_in()
    if not written:
        return record.finish(1)
    record.rows_out = len(frame)
    if record.finish(0) != 0:
        output.unlink(missing_ok=True)  # fail closed: no output without its run record
        return 1
    return 0


def top_argument(maximum: int) -> Callable[[str], int]:
    """An ``argparse`` type for ``--top``: a whole number from 1 to ``maximum`` (Korean message)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if not 1 <= value <= maximum:
            raise argparse.ArgumentTypeError(f"1~{maximum} 사이의 정수여야 합니다 (입력값: {text})")
        return value

    return parse


# --------------------------------------------------------------------------- reading input


def input_rows(path: Path, required: Sequence[str], optional: Sequence[str], errors: list[str],
               notes: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, cells)`` of every data row, turning file problems into Korean ``errors``.

    After the loop, a file without a data row (and no other error) gets an error too.
    """
    count = 0
    try:
        for line, cells in read_cells(path, tuple(required), tuple(optional), errors, notes):
            count += 1
            yield line, cells
    except FileProblem as problem:
        errors.append(str(problem))
    except IsADirectoryError:
        errors.append(f"파일이 아니라 폴더입니다: {path}")
    except FileNotFoundError:
        errors.append(f"파일을 찾을 수 없습니다: {path}")
    except OSError as exc:
        errors.append(f"파일을 읽을 수 없습니다: {path} ({exc.strerror})")
    if not count and not errors:
        errors.append("데이터 행이 없습니다: 머리행 아래에 한 행 이상 있어야 합니다")


def header_names(path: Path) -> set[str]:
    """Column names of the header as the CSV reader sees them (quotes removed, blank lines before
    it skipped), lower-cased; empty when unreadable (:func:`input_rows` reports why)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                if any(cell.strip() for cell in row):
                    return {cell.strip().lower() for cell in row}
    except (OSError, UnicodeDecodeError, csv.Error):
        pass
    return set()


def number_cell(cell: str, *, low: float, high: float) -> float | None:
    """A cell as a number within ``[low, high]`` (thousands separators allowed), or ``None`` when it
    is not one (also ``nan``/``inf``, which ``float`` would read)."""
    try:
        value = float(cell.replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def row_id(cells: dict[str, str], line: int, default: str, errors: list[str], *, max_chars: int) -> str:
    """The row's ``id`` (``default`` when the column is absent); too long an id is an error."""
    identifier = cells.get("id", default)
    if len(identifier) > max_chars:
        errors.append(f"{line}행: [id] id는 {max_chars}자 이하여야 합니다 ({len(identifier)}자)")
    return identifier


CHUNK_ROWS = 5_000
"""Rows scored and written at a time: memory follows the chunk, not the file. Above
:data:`app.threads.SINGLE_THREAD_ROWS`, so a chunk's predictions still use every thread."""


@dataclass(frozen=True)
class InputScan:
    """What the checking pass keeps of an input file to read it again for scoring.

    Attributes:
        path: The file.
        stamp: Its size and modification time when the check began.
        rows: Data rows it had.
    """

    path: Path
    stamp: tuple[int, int]
    rows: int

    def __len__(self) -> int:
        return self.rows

    def changed(self) -> CommandError:
        """The error of a file that is no longer what was checked (exit 1: no output is written)."""
        return CommandError(f"입력 파일이 검사 도중에 바뀌었습니다: 다시 실행하세요 ({self.path})", exit_code=1)

    def rows_again(self, required: Sequence[str], optional: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
        """The checked file's ``(line, cells)`` again, in order (the scoring pass).

        Raises:
            CommandError: The file changed since it was checked (:meth:`changed`).
        """
        if input_stamp(self.path) != self.stamp:
            raise self.changed()
        errors: list[str] = []
        count = 0
        for line, cells in input_rows(self.path, required, optional, errors, []):
            count += 1
            yield line, cells
        if errors or count != self.rows:
            raise self.changed()


def input_stamp(path: Path) -> tuple[int, int]:
    """:func:`~app.db.importers.csv_reader.file_stamp` of ``path``; ``(0, 0)`` when unreadable
    (:func:`input_rows` reports why)."""
    try:
        return file_stamp(path)
    except OSError:
        return (0, 0)


# --------------------------------------------------------------------------- running a command

Rows = TypeVar("Rows")
Scorer = TypeVar("Scorer")


class CommandError(GoyongError):
    """A problem the command reports in one Korean line with its own exit code."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class InputRejected(CommandError):
    """Raised by a streamed command's chunks once the whole input has been read and some row (or
    the file) failed its check: the output's temporary file is deleted and the errors of the
    :class:`StreamedInput` are reported (exit 2)."""

    def __init__(self, errors: int) -> None:
        super().__init__(f"오류 {errors}건", exit_code=2)


@dataclass
class StreamedInput:
    """What a one-pass command reads while it scores (see the module docstring).

    Attributes:
        result: The output, checked and scored a chunk at a time as it is written; its chunks
            raise :class:`InputRejected` at the end of the file when ``errors`` is not empty.
        errors: Every input error, filled as the file is read (``"N행: …"``, in line order).
        notes: The input notes ("참고: …"), filled as the file is read.
        rows: Data rows read so far.
    """

    result: ChunkedResult | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0

    def __len__(self) -> int:
        return self.rows


@dataclass(frozen=True)
class ReadResult(Generic[Rows]):
    """What a command read: the rows (unusable when there are errors), errors and notes."""

    rows: Rows
    errors: list[str]
    notes: list[str]


@dataclass(frozen=True)
class FileCommand(Generic[Rows, Scorer]):
    """One file-in, file-out command.

    Attributes:
        read: Reads and checks the whole input file (``args.input``).
        load: Loads what scores the rows; raises :class:`app.errors.NotReady` (exit 1) or
            :class:`CommandError` (its own exit code).
        score: The output table of the rows: a frame, or a :class:`ChunkedResult` that is scored
            as it is written (bounded memory).
        summary: Lines printed after the output is written (the last says it is AI output); it
            receives the output table (of a chunked result, the columns it kept).
        stream: When given, the command reads its input once: ``stream(input, scorer, args)``
            checks and scores it as it is written (:class:`StreamedInput`); ``read`` then only
            serves when ``load`` fails (the input's errors come before the missing model's), and
            ``score`` is not called.
    """

    read: Callable[[Path], ReadResult[Rows]]
    load: Callable[[argparse.Namespace], Scorer]
    score: Callable[[Rows, Scorer, argparse.Namespace], pd.DataFrame | ChunkedResult]
    summary: Callable[[Any, Scorer, argparse.Namespace, Rows], Sequence[str]]
    stream: Callable[[Path, Scorer, argparse.Namespace], StreamedInput] | None = None


_COMMAND_NAMES = {"app.cli.hiring": "hiring score", "app.cli.employment": "employment score", "app.cli.verify": "verify",
                  "app.cli.occupations": "occupations fit"}
"""Name of each file command in its run record, by the module that defines it."""


def _row_count(rows: object) -> int:
    """Rows a command read: a table, a (table, …) tuple, or any sized collection."""
    if isinstance(rows, pd.DataFrame):
        return len(rows)
    if isinstance(rows, tuple) and rows and isinstance(rows[0], pd.DataFrame):
        return len(rows[0])
    try:
        return len(rows)  # type: ignore[arg-type]
    except TypeError:
        return 0


class RunRecord:
    """The run record of one command (:func:`app.services.audit.record_command_run`): counts
    filled in as the run goes, written once when it ends, whatever the exit code.

    Args:
        args: The parsed arguments (``input``, ``output`` and optionally ``db_url``).
        name: The command as the record names it (``"hiring score"``, ``"mask"`` …).
    """

    def __init__(self, args: argparse.Namespace, name: str) -> None:
        from app.config import get_settings
        from app.db.engine import make_engine

        self.args = args
        self.name = name
        self.started = dt.datetime.now(dt.UTC)
        self.engine = make_engine(getattr(args, "db_url", None) or get_settings().db_url)
        self.rows_in = self.rows_out = self.errors = 0
        self.models: dict[str, str] = {}
        self.written = False

    recording = True
    """False for a command that runs without a database to record in (see :func:`run_recorded`)."""

    def finish(self, exit_code: int) -> int:
        """Write the record; returns ``exit_code``, or 1 after a Korean message when it cannot be written."""
        from app.services import audit

        self.written = True
        if not self.recording:
            return exit_code
        run = audit.CommandRun(
            command=self.name, started=self.started, finished=dt.datetime.now(dt.UTC),
            input_sha256=audit.file_sha256(self.args.input), rows_in=self.rows_in, rows_out=self.rows_out,
            errors=self.errors, exit_code=exit_code, models=self.models, output_path=str(self.args.output),
        )
        try:
            audit.record_command_run(self.engine, run)
        except audit.AuditUnavailable as err:
            print(f"실행 기록(감사 로그)을 남기지 못해 실패로 처리합니다: {err.user_message}", file=sys.stderr)
            return 1
        return exit_code


def run_recorded(
    args: argparse.Namespace, name: str, body: Callable[[RunRecord], int], *, database_required: bool = True
) -> int:
    """Run ``body`` with the command's :class:`RunRecord`, failing closed.

    With no database to hold the record the command does nothing (exit 1) — unless
    ``database_required`` is False (a command that shows no AI output, such as ``mask``): it then
    runs unrecorded with a Korean note on stderr. An unexpected failure is recorded as a failed run
    before it propagates. ``body`` calls :meth:`RunRecord.finish`.
    """
    from app.services import audit  # here: importing the runner touches neither settings nor a database

    record = RunRecord(args, name)
    try:
        try:
            audit.prepare_command_audit(record.engine)
        except audit.AuditUnavailable as err:
            if database_required:
                print(err.user_message, file=sys.stderr)
                return 1
            record.recording = False
            print("참고: 실행 기록을 남길 데이터베이스가 없어 기록 없이 실행합니다 "
                  "(python -m app build로 만들면 다음부터 기록됩니다)", file=sys.stderr)
        return body(record)
    except BaseException:
        if not record.written:
            record.finish(1)  # an unexpected failure is a failed run, recorded as one
        raise
    finally:
        record.engine.dispose()


def run_file_command(args: argparse.Namespace, command: FileCommand[Any, Any]) -> int:
    """Run one file command on ``args.input`` → ``args.output`` (see the module docstring).

    Every run, failed ones too, writes one run record to the audit log (command, start and finish,
    input SHA-256, row counts, model versions, exit code, output path; no personal data). The
    record fails closed: with no database to hold it the command does nothing, and when it cannot
    be written the command exits 1 and removes the output it had written.

    Returns:
        0 on success, 2 on a bad input or output path (nothing written), 1 when the scorer is
        missing, the output cannot be written or the run record cannot be written.
    """
    module = command.read.__module__
    name = _COMMAND_NAMES.get(module, module.rsplit(".", 1)[-1])
    return run_recorded(args, name, lambda record: _run_recorded(args, command, record))


def _run_recorded(args: argparse.Namespace, command: FileCommand[Any, Any], record: RunRecord) -> int:
    from app.services import audit

    output: Path = args.output
    problem = check_output_path(output)
    if problem:
        print(problem, file=sys.stderr)
        return record.finish(2)
    if command.stream is not None:
        return _run_streamed(args, command, record)
    read = command.read(args.input)
    record.rows_in, record.errors = _row_count(read.rows), len(read.errors)
    if read.errors:
        return record.finish(report_input_errors(read.errors, args.input))
    try:
        scorer = command.load(args)
    except CommandError as err:
        print(err.user_message, file=sys.stderr)
        return record.finish(err.exit_code)
    except NotReady as err:
        print(err.user_message, file=sys.stderr)
        return record.finish(1)
    record.models = audit.model_versions_of(scorer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # library warnings are not the user's business
        frame = command.score(read.rows, scorer, args)
    if deliver_result(record, frame, output, read.notes) != 0:
        return 1
    for line in command.summary(frame, scorer, args, read.rows):
        print(line)
    return 0


def _run_streamed(args: argparse.Namespace, command: FileCommand[Any, Any], record: RunRecord) -> int:
    """Steps 2–6 in one pass over the input (the module docstring), with the same exit codes,
    messages and output as the two-pass order."""
    from app.services import audit

    assert command.stream is not None
    try:
        scorer = command.load(args)
    except (CommandError, NotReady) as err:
        read = command.read(args.input)  # a bad input is reported before a missing model, as in two passes
        record.rows_in, record.errors = _row_count(read.rows), len(read.errors)
        if read.errors:
            return record.finish(report_input_errors(read.errors, args.input))
        print(err.user_message, file=sys.stderr)
        return record.finish(err.exit_code if isinstance(err, CommandError) else 1)
    record.models = audit.model_versions_of(scorer)
    streamed = command.stream(args.input, scorer, args)
    assert streamed.result is not None
    try:
        code = deliver_result(record, streamed.result, args.output, streamed.notes, rows_in=lambda: streamed.rows)
    except InputRejected:
        record.models = {}  # nothing was scored: the record of a rejected input, as in two passes
        record.rows_in, record.errors = streamed.rows, len(streamed.errors)
        return record.finish(report_input_errors(streamed.errors, args.input))
    if code != 0:
        return code
    for line in command.summary(streamed.result, scorer, args, streamed):
        print(line)
    return 0


def run_command_line(
    argv: list[str] | None,
    word: str,
    parser: argparse.ArgumentParser,
    *,
    check: Callable[[argparse.Namespace], str | None] | None = None,
) -> int:
    """Parse ``argv`` (``None``: ``sys.argv[1:]``; a leading ``word`` is tolerated) and run ``args.func``.

    Args:
        argv: Arguments after ``python -m app``.
        word: The command's name (``"hiring"``, ``"employment"``, ``"verify"``).
        parser: Its parser; each sub-command sets ``func``.
        check: Cross-argument checks; a returned Korean message exits 2.

    Returns:
        The exit code (argparse's own for bad usage: 2, or 0 for ``--help``).
    """
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == [word]:
        args_in = args_in[1:]
    try:
        args = parser.parse_args(args_in)
    except SystemExit as exit_:  # argparse exits on bad usage; a function returns instead
        return int(exit_.code or 0)
    problem = check(args) if check is not None else None
    if problem:
        print(problem, file=sys.stderr)
        return 2
    return int(args.func(args))
