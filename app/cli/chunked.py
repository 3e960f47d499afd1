"""Output made a chunk at a time: :class:`ChunkedResult` (written as it is scored, so memory follows
the chunk, not the file), :class:`FormattedChunk` (a chunk already formatted as CSV text, what a worker
process sends back) and :func:`ordered_map` (chunks computed by spawned workers, results in order).

Split from :mod:`app.cli.runner`, which runs the file commands and writes a :class:`ChunkedResult`
through :func:`app.cli.runner.write_result`.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from app.exports import AtomicCsvWriter, csv_rows_text
from app.threads import main_module_hidden


@dataclass(frozen=True)
class FormattedChunk:
    """A chunk of output rows already formatted as CSV text (:func:`~app.exports.csv_rows_text`),
    with the columns a command's summary keeps — what a worker process sends back.

    Attributes:
        columns: The output's columns (the header).
        text: The rows, neutralised, without the header.
        kept: The kept columns of these rows.
    """

    columns: tuple[str, ...]
    text: str
    kept: pd.DataFrame

    @classmethod
    def of(cls, frame: pd.DataFrame, kept: Sequence[str]) -> FormattedChunk:
        """``frame`` formatted, keeping ``kept``."""
        return cls(tuple(str(c) for c in frame.columns), csv_rows_text(frame) if len(frame) else "",
                   frame[list(kept)].reset_index(drop=True))


Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(function: Callable[[Item], Result], items: Iterable[Item], *, workers: int,
                initializer: Callable[..., None], initargs: tuple[Any, ...] = ()) -> Iterator[Result]:
    """``function(item)`` of every item, in order, computed by ``workers`` spawned processes.

    At most ``workers + 1`` items are in flight, so memory follows the chunk, not the input; the
    items are produced (read, checked) here while the workers compute. Spawned, not forked: a fork
    of a process whose OpenMP threads have run can hang (see :mod:`app.ml.build_pool`).
    ``function`` and ``initializer`` must be module-level (they are pickled by name).
    """
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=initializer,
                             initargs=initargs) as pool:
        pending: deque[Future[Result]] = deque()
        try:
            for item in items:
                with main_module_hidden():  # workers start inside submit(): never re-run the caller's script
                    pending.append(pool.submit(function, item))
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


class ChunkedResult:
    """A command's output table made a chunk of rows at a time, so memory stays bounded by the
    chunk, not the file.

    :func:`write_result` streams the chunks to the output file (scoring happens as it writes).
    Afterwards ``len(result)`` is the number of rows and ``result[column]`` one of the ``kept``
    columns over all rows (what the command's summary reads); other columns are not held.

    Args:
        chunks: The output's rows in order, as frames with the same columns (at least one), or as
            :class:`FormattedChunk` (formatted elsewhere, e.g. by worker processes).
        kept: Columns the summary needs.
    """

    def __init__(self, chunks: Iterable[pd.DataFrame | FormattedChunk], kept: Sequence[str]) -> None:
        self._chunks: Iterable[pd.DataFrame] | None = chunks
        self.kept = tuple(kept)
        self._table = pd.DataFrame(columns=list(self.kept))

    def write_to(self, output: Path) -> None:
        """Score and write every chunk through one :class:`app.exports.AtomicCsvWriter`.

        Raises:
            OSError: The file cannot be written (nothing is left behind).
            CommandError: A chunk cannot be made (e.g. the input changed since it was checked).
        """
        if self._chunks is None:
            raise RuntimeError("a chunked result is written once")
        chunks, self._chunks = self._chunks, None
        kept: list[pd.DataFrame] = []
        with ExitStack() as stack:
            writer: AtomicCsvWriter | None = None
            for chunk in chunks:
                if writer is None:  # the header is the first chunk's columns
                    writer = stack.enter_context(AtomicCsvWriter(output, [str(c) for c in chunk.columns]))
                if isinstance(chunk, FormattedChunk):
                    writer.write_text(chunk.text, len(chunk.kept))
                    kept.append(chunk.kept[list(self.kept)])
                else:
                    writer.write_frame(chunk)
                    kept.append(chunk[list(self.kept)])
        if kept:
            self._table = pd.concat(kept, ignore_index=True)

    def __len__(self) -> int:
        return len(self._table)

    def __getitem__(self, column: str) -> pd.Series:
        return self._table[column]
