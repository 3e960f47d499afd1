"""File output shared by the scoring commands (``hiring score``, ``employment score``, ``verify``)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd


def write_atomically(frame: pd.DataFrame, output: Path) -> None:
    """Write CSV (UTF-8 with BOM, for Excel) to a temporary file beside ``output``, then rename it.

    A failure never leaves a partial file or replaces an existing one.
    """
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
        "w", encoding="utf-8-sig", newline="", dir=output.parent, prefix=f".{output.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            frame.to_csv(handle, index=False)
        umask = os.umask(0)  # temporary files are created 0600; give the result the usual mode
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, output)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


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


def write_result(frame: pd.DataFrame, output: Path, notes: Sequence[str]) -> bool:
    """Write the result with :func:`write_atomically` and print the input notes ("참고: …").

    Returns:
        False after printing a Korean error to stderr when the file cannot be written.
    """
    try:
        write_atomically(frame, output)
    except OSError as exc:
        print(f"출력 파일을 쓸 수 없습니다: {output} ({exc.strerror or exc})", file=sys.stderr)
        return False
    for note in notes:
        print(f"참고: {note}")
    return True
