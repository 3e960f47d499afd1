"""The one Kiwi morphological analyser of the verifier (rule triggers and the classifier share it).

A Kiwi instance holds its language model in memory: ~300 MB once it has analysed a text (~500 MB
with the typo and multi-word dictionaries, which are not loaded). The rule
engine (one trigger line at a time) and the classifier (batches of ads) each loaded their own, so
a command verifying a file held two — ~900 MB before reading a single ad. Analysis results do not
depend on the worker count, and Kiwi is thread-safe for analysis, so one instance with
:func:`app.threads.thread_count` workers serves both: a single text runs in the calling thread, a
batch on the workers.
"""

from __future__ import annotations

import threading
from typing import Any

from app.threads import thread_count

_KIWI: Any = None
_LOCK = threading.Lock()


def kiwi_analyser() -> Any:
    """The process-wide Kiwi analyser (loaded on first use, ~2 s)."""
    global _KIWI  # a process-wide, lazily loaded analyser
    with _LOCK:
        if _KIWI is None:
            from kiwipiepy import Kiwi  # heavy: only when a text is analysed

            # without the typo and multi-word dictionaries: 190 MB less per process (300 MB instead of
            # 490 MB once a text is analysed), which keeps `verify` on a 100 MB file under 1 GB. The
            # verifier reads patterns of ordinary morphemes (젊/VA, 분/NNB, 만/JX) that the base dictionary
            # holds; the classifier is trained with the same analyser it runs with.
            _KIWI = Kiwi(num_workers=thread_count(), load_typo_dict=False, load_multi_dict=False)
    return _KIWI
