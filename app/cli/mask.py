"""Command line of PII masking (the contract other tools rely on).

``python -m app mask --input texts.jsonl --output masked.jsonl``
    input: JSON Lines, UTF-8 (a BOM is tolerated), one object per line with ``id`` (a string or
    an integer) and ``text`` (a string); other keys are allowed. Output: the same objects, keys
    in the same order, with ``text`` masked by :func:`app.text.pii.mask_pii` (UTF-8, no ASCII
    escapes). Blank lines are skipped; a file without any line is bad input.

    A bad line (not JSON, not an object, ``id`` or ``text`` missing or of the wrong type, not
    UTF-8, an integer too long to convert, ``NaN``/``Infinity`` or a number out of range, a lone
    surrogate escape such as ``"\\ud800"`` that UTF-8 cannot hold) is reported as ``"N행: …"`` on
    stderr — every bad line, then a count — with exit code 2 and no output file; so are a missing
    or unreadable input file and a missing output folder. Success: exit 0 and a Korean summary on
    stdout (lines, spans masked by kind). No message ever shows the text, an ID or any other value
    of the input.

    Every run, failed ones too, writes one run record to the audit log like the other file
    commands (:mod:`app.cli.runner`): command ``mask``, start and finish (KST), the input's
    SHA-256, line counts, exit code and output path — no content. It fails closed: with no
    database to record in nothing is done (exit 1), and when the record cannot be written the
    output is removed (exit 1) and no summary is printed.

Lines are read, masked and written one at a time, so memory stays bounded by the longest line
whatever the file size. The output goes to a temporary file beside the target and is renamed
only when every line was good, like :class:`app.exports.AtomicCsvWriter` (which writes CSV, so it
is not reused here).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

from app.cli.runner import RunRecord, check_output_path, run_command_line, run_recorded
from app.text.pii import PII_KINDS, mask_with_counts

KIND_LABELS: Final[dict[str, str]] = {
    "rrn": "주민·외국인등록번호",
    "passport": "여권번호",
    "driver_license": "운전면허번호",
    "bank_account": "계좌번호",
    "phone": "전화번호",
    "email": "이메일",
    "messenger": "메신저 ID",
    "sns": "SNS 계정",
    "url": "개인 URL",
    "address": "주소",
    "birth_date": "생년월일",
    "name": "이름",
}
"""Korean name of each kind of :data:`app.text.pii.PII_KINDS`, for the summary."""

MAX_REPORTED_ERRORS: Final = 100  # every bad line is counted; only this many are listed
NOT_UTF8: Final = "UTF-8 인코딩이 아닙니다 (EUC-KR/CP949로 저장된 것 같습니다). UTF-8로 다시 저장하세요"


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw bytes)`` of every line; the first line's UTF-8 BOM is dropped."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            yield number, raw


class _BadValue(ValueError):
    """A JSON value the output could not hold; ``problem`` is the Korean message."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _refuse_constant(_name: str) -> float:
    raise _BadValue("NaN/Infinity는 JSON 값이 아닙니다")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # "1e999" would be written back as Infinity, which is no JSON
        raise _BadValue("숫자가 너무 큽니다 (실수 범위를 넘습니다)")
    return value


def _int_value(literal: str) -> int:
    try:
        return int(literal)
    except ValueError:  # longer than sys.get_int_max_str_digits(): converting would raise anyway
        raise _BadValue(f"정수가 너무 깁니다 ({sys.get_int_max_str_digits():,}자리 초과)") from None


def _encodable(record: dict) -> bool:
    """Whether the record can be written as UTF-8 (a ``"\\ud800"`` escape decodes to a lone
    surrogate, which UTF-8 cannot encode)."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_line(raw: bytes) -> tuple[dict | None, str | None]:
    """One input line as an object, or a Korean problem (never quoting the line).

    Returns:
        ``(record, None)`` for a good line, ``(None, None)`` for a blank one and
        ``(None, problem)`` for a bad one.
    """
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, NOT_UTF8
    if not line.strip():
        return None, None
    try:
        record = json.loads(line, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_int_value)
    except _BadValue as exc:
        return None, exc.problem
    except json.JSONDecodeError as exc:
        return None, f"JSON 형식이 아닙니다 ({exc.colno}번째 글자)"
    except RecursionError:
        return None, "JSON이 너무 깊게 중첩되어 있습니다"
    if not isinstance(record, dict):
        return None, "JSON 객체({…})가 아닙니다"
    if "id" not in record:
        return None, "[id] id가 없습니다"
    if isinstance(record["id"], bool) or not isinstance(record["id"], (str, int)):
        return None, "[id] id는 문자열 또는 정수여야 합니다"
    if "text" not in record:
        return None, "[text] text가 없습니다"
    if not isinstance(record["text"], str):
        return None, "[text] text는 문자열이어야 합니다"
    if not _encodable(record):
        return None, "짝이 없는 서로게이트 문자(\\ud800 등)가 있어 UTF-8로 쓸 수 없습니다"
    return record, None


def _open_temporary(output: Path) -> IO[str]:
    return tempfile.NamedTemporaryFile(  # closed and renamed (or deleted) by mask_file
        "w", encoding="utf-8", newline="\n", dir=output.parent, prefix=f".{output.name}.", suffix=".tmp",
        delete=False,
    )


def mask_file(source: Path, output: Path) -> tuple[int, dict[str, int], list[str], int]:
    """Mask every line of ``source`` into ``output`` (written only when every line is good).

    Returns:
        ``(lines written, {kind: spans masked}, reported errors, error count)``.

    Raises:
        OSError: The output cannot be written (nothing is left behind).
    """
    counts = dict.fromkeys(PII_KINDS, 0)
    errors: list[str] = []
    error_count = 0
    written = 0
    handle = _open_temporary(output)
    try:
        try:
            for number, raw in _lines(source):
                record, problem = parse_line(raw)
                if problem is not None:
                    error_count += 1
                    if len(errors) < MAX_REPORTED_ERRORS:
                        errors.append(f"{number}행: {problem}")
                    continue
                if record is None or error_count:
                    continue  # blank line, or the output will not be kept anyway: only check the rest
                record["text"], found = mask_with_counts(record["text"])
                for kind, count in found.items():
                    counts[kind] += count
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
        except IsADirectoryError:
            errors, error_count = [f"입력이 파일이 아니라 폴더입니다: {source}"], 1
        except FileNotFoundError:
            errors, error_count = [f"입력 파일을 찾을 수 없습니다: {source}"], 1
        except OSError as exc:
            errors, error_count = [f"입력 파일을 읽을 수 없습니다: {source} ({exc.strerror or exc})"], 1
        handle.close()
        if not error_count and not written:
            errors, error_count = ["데이터 행이 없습니다: 한 줄 이상의 JSON 객체가 있어야 합니다"], 1
        if not error_count:
            umask = os.umask(0)  # temporary files are created 0600; give the result the usual mode
            os.umask(umask)
            os.chmod(handle.name, 0o666 & ~umask)
            os.replace(handle.name, output)
    finally:
        handle.close()
        Path(handle.name).unlink(missing_ok=True)  # no-op after a successful rename
    return written, counts, errors, error_count


def summary_lines(written: int, counts: dict[str, int], output: Path) -> list[str]:
    """The Korean summary printed after a successful run (counts only, never content)."""
    total = sum(counts.values())
    lines = [f"개인정보 마스킹 완료: {written:,}행 → {output}", f"  가린 개인정보: {total:,}건"]
    lines += [f"  {KIND_LABELS[kind]}: {count:,}건" for kind, count in counts.items() if count]
    return lines


def cmd_mask(args: argparse.Namespace) -> int:
    """Run ``mask --input … --output …`` and record the run (:func:`app.cli.runner.run_recorded`);
    returns the exit code. Masking is no AI output and needs no model, so it also runs on a machine
    without the database, unrecorded, with a note on stderr."""
    return run_recorded(args, "mask", lambda record: _mask_recorded(args, record), database_required=False)


def _mask_recorded(args: argparse.Namespace, record: RunRecord) -> int:
    output: Path = args.output
    problem = check_output_path(output)
    if problem:
        print(problem, file=sys.stderr)
        return record.finish(2)
    try:
        written, counts, errors, error_count = mask_file(args.input, output)
    except OSError as exc:
        print(f"출력 파일을 쓸 수 없습니다: {output} ({exc.strerror or exc})", file=sys.stderr)
        return record.finish(1)
    record.errors = error_count
    if error_count:
        return record.finish(_report(errors, error_count, args.input))
    record.rows_in = record.rows_out = written
    if record.finish(0) != 0:
        output.unlink(missing_ok=True)  # fail closed: no output without its run record
        return 1
    for line in summary_lines(written, counts, output):
        print(line)
    return 0


def _report(errors: list[str], error_count: int, source: Path) -> int:
    """Like :func:`app.cli.runner.report_input_errors`, with the count of lines not listed."""
    for message in errors:
        print(message, file=sys.stderr)
    if error_count > len(errors):
        print(f"… 외 {error_count - len(errors):,}행에도 오류가 있습니다", file=sys.stderr)
    print(f"오류 {error_count:,}건: 출력 파일을 만들지 않았습니다 ({source})", file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m app mask``."""
    parser = argparse.ArgumentParser(
        prog="python -m app mask",
        description="JSONL 텍스트의 개인정보(주민·여권·면허·계좌번호, 전화, 이메일, 메신저·SNS, 주소, 생년월일, 이름)를 가립니다",
    )
    parser.add_argument("--input", type=Path, required=True, help='입력 JSONL: 한 줄에 {"id": …, "text": …}')
    parser.add_argument("--output", type=Path, required=True, help="출력 JSONL (text만 마스킹, 다른 키는 그대로)")
    parser.set_defaults(func=cmd_mask)
    return parser


def main_mask(argv: list[str] | None = None) -> int:
    """Run ``python -m app mask …``; returns the exit code (0 ok, 2 bad input, 1 output not written)."""
    return run_command_line(argv, "mask", build_parser())
