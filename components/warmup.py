"""Warm-up at server start: the heavy resources every first page after a restart would wait for.

A restarted server otherwise makes its first visitor of each page pay for importing the numeric
libraries, loading the models into :mod:`components.resources`' caches, reading the review queue's
stored verdicts and the Korean morpheme analyser's first load (15–40 s in all on 2 busy cores).
``streamlit_app.py`` starts :func:`start_warm_up` from the server's lifespan hook; it runs once,
in two background threads (one per core), while the first user is still logging in. Each step fills the same
process-wide ``st.cache_resource`` entries the pages use, so a page opened during the warm-up
simply waits for the step in progress instead of repeating it.

Failures are logged and skipped: a missing model is reported by the page that needs it, in Korean,
exactly as without the warm-up.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from app.config import get_settings

logger = logging.getLogger(__name__)

_STARTED = threading.Event()


def _database() -> None:
    from components import resources

    resources.engine()
    resources.names()
    try:  # 홈's figures, the page every login lands on (an empty world is reported by 홈 itself)
        resources.world_overview()
        resources.breakdowns()
    except Exception:
        logger.info("warm-up skipped 홈's figures", exc_info=True)


def _verifier_and_verdicts() -> None:
    from components import posting_assistant, resources

    verifier = resources.ad_verifier()
    resources.stored_verdicts(verifier)
    resources.stored_ad_titles()
    # the first text analysed loads the Korean analyser (Kiwi) and the sentence model: the posting
    # assistant's own warm-up draft does it once for every page that verifies text
    posting_assistant.warm_up_now(verifier)


def _hiring() -> None:
    from components import resources

    resources.hiring_model()
    resources.postings_index()
    resources.posting_fill_outlook([])  # the stored scores' check (the build left them current)


def _employment() -> None:
    from components import resources

    resources.employment_model()
    # the stored caseload scores' check (every counsellor page and 기준·공정성 read them in SQL)
    resources.ensure_caseload_scores()


def _talent() -> None:
    from components import resources

    # the matcher (indexes and both models) for 인재 추천, 추천 일자리 and the profile's job list;
    # the Korean analyser it tokenises queries with is warmed by the verifier's lane; a configured
    # sentence model (GOYONG_TALENT_ENCODER_DIR) is loaded too: importing torch takes 5-15 s
    resources.talent_matcher().warm_up_encoder()


def _posting_assistant() -> None:
    from components import resources

    resources.occupation_classifier()
    resources.text_generator()


Step = tuple[str, Callable[[], None]]

WARM_UP_LANES: tuple[tuple[Step, ...], ...] = (
    (
        ("database, reference tables and 홈's figures", _database),
        ("employment model and caseload", _employment),
        ("hiring model", _hiring),
    ),
    (
        ("ad verifier and stored verdicts", _verifier_and_verdicts),
        ("posting assistant", _posting_assistant),
        ("talent matcher", _talent),
    ),
)
"""Two lanes, each a thread, so the two cores share the work: the counsellors' and employers'
models (about 5 s alone on this machine), and the verifier with the Korean analyser that the review
queue, the rule editor and the posting assistant need (about 4 s with the occupation classifier and
the text generator). Within a lane, the steps the pages most often opened first need come first."""

WARM_UP_STEPS: tuple[Step, ...] = tuple(step for lane in WARM_UP_LANES for step in lane)
"""Every step of every lane."""


# The cached loaders draw a spinner when a page calls them; from this thread Streamlit warns once per
# call that there is no page to draw into ("missing ScriptRunContext"), which is expected here.
_NO_PAGE_WARNING_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


class _NotFromWarmUp(logging.Filter):
    """Drops the no-page warning only when it comes from the warm-up thread."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not threading.current_thread().name.startswith(WARM_UP_THREAD)


WARM_UP_THREAD = "goyong-warm-up"


def run_warm_up(steps: tuple[Step, ...] = WARM_UP_STEPS) -> dict[str, float | None]:
    """Run every warm-up step; returns seconds per step (``None`` for a step that failed).

    Args:
        steps: (name for the server log, callable) pairs.
    """
    logging.getLogger(_NO_PAGE_WARNING_LOGGER).addFilter(_NotFromWarmUp())
    took: dict[str, float | None] = {}
    for name, step in steps:
        started = time.perf_counter()
        try:
            step()
        except Exception:  # a page reports a missing model itself, in Korean
            logger.warning("warm-up step %r failed; the page that needs it will load it", name, exc_info=True)
            took[name] = None
            continue
        took[name] = round(time.perf_counter() - started, 2)
    logger.info("warm-up done: %s", took)
    return took


def start_warm_up() -> bool:
    """Start :func:`run_warm_up` for each lane of :data:`WARM_UP_LANES` in a background thread of its
    own, once per process, when the settings allow.

    Returns:
        Whether the warm-up threads were started by this call.
    """
    if not get_settings().warm_up or _STARTED.is_set():
        return False
    _STARTED.set()
    for number, lane in enumerate(WARM_UP_LANES, start=1):
        threading.Thread(target=run_warm_up, args=(lane,), name=f"{WARM_UP_THREAD}-{number}", daemon=True).start()
    return True
