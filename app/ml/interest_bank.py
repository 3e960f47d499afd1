"""The interest test's calibrated item bank (artifact ``interest_test``).

Built by ``python -m app build`` from the full-form administrations in the database (the world's
``test_responses``, or any imported ones): the RIASEC items' graded-response parameters, the
scales' correlation and the answer covariance (:func:`app.ml.irt.calibrate_graded_bank`), each
item's information curve summary for the policy page, and the adaptive test's agreement with the
full form on held-out respondents (calibrated on three quarters, simulated on the last quarter).
The work-environment (``W``) items are not adaptive: every taker answers all of them, and their
answers go to the occupation-fit model as the KNOW work-environment items they ask about.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from app.db.repositories import interest as interest_repo
from app.errors import InvalidInput
from app.ml.adaptive_simulation import simulate_adaptive
from app.ml.adaptive_test import MODEL_VERSION as ENGINE_VERSION
from app.ml.adaptive_test import AdaptiveTest, CatSettings, ItemCurves
from app.ml.irt import GradedItemBank, calibrate_graded_bank, item_information
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, save_fitted
from app.ml.model_card import ModelCard
from app.reference.interest import ENVIRONMENT_SCALE, RIASEC_SCALES, compute_bank_version

MODEL_NAME = "interest_test"
MODEL_FILE = "interest_test.pkl"
MODEL_VERSION = f"1.0+engine{ENGINE_VERSION}"

APP_SETTINGS = CatSettings(max_items=36, min_per_scale=2, top1_confidence=0.90, top_set_confidence=0.80,
                           se_floor=0.80, exposure_cap=0.50)
"""The app's test: at most 36 of the 126 RIASEC items (the full form of 126 + 16 takes ~25 minutes;
36 + 16 about 8), two items per scale before it may stop, at most half of the tests per item."""
SIMULATION_SHARE = 0.25
"""Share of the full-form respondents held out to measure agreement with the full form."""
MAX_SIMULATED = 150
"""At most this many held-out respondents are simulated at build (the build's time)."""
SEED = 16
MAX_CALIBRATION_RESPONDENTS = 20_000
"""Respondents read for calibration at most (the large world has 50,000; GRM parameters of 21-item
scales are as precise from 20,000, and the build's memory and time stay bounded)."""


@dataclass
class InterestTestModel:
    """The calibrated bank and what the app needs around it.

    Attributes:
        bank: GRM bank of the RIASEC items (``item_codes`` are the bank's ``item_code``).
        item_ids: ``test_items.id`` of each bank item, aligned with ``bank.item_codes``.
        environment_items: The ``W`` items: ``id, item_code, text, environment_code`` in order.
        bank_version: Stamp of the item content the parameters belong to.
        settings: The app's adaptive-test settings.
        information: Per RIASEC item: ``item_code, scale, discrimination, location, max_information,
            information_at_mean``.
        metrics: Build metrics (agreement with the full form on held-out respondents, sizes).
    """

    bank: GradedItemBank
    item_ids: np.ndarray
    environment_items: pd.DataFrame
    bank_version: str
    settings: CatSettings
    information: pd.DataFrame
    metrics: dict[str, float] = field(default_factory=dict)

    def curves(self) -> ItemCurves:
        """The bank's item curves, computed once per loaded model (the engine's fixed cost per step
        otherwise; not pickled with the artifact, so models built before this keep loading)."""
        cached = self.__dict__.get("_curves")
        if cached is None:
            cached = self.__dict__["_curves"] = AdaptiveTest.curves_for(self.bank)
        return cached

    def bank_index(self, item_id: int) -> int | None:
        """Position of a ``test_items.id`` in the bank (``None``: not a RIASEC item)."""
        hits = np.flatnonzero(self.item_ids == int(item_id))
        return int(hits[0]) if len(hits) else None


def information_table(bank: GradedItemBank) -> pd.DataFrame:
    """Each item's information summary: where it measures best and how much."""
    grid = np.linspace(-3.0, 3.0, 121)
    info = item_information(bank.discrimination, bank.thresholds, grid)
    return pd.DataFrame({
        "item_code": list(bank.item_codes),
        "scale": [bank.scales[s] for s in bank.item_scale],
        "discrimination": bank.discrimination.round(3),
        "location": bank.thresholds.mean(axis=1).round(3),
        "max_information": info.max(axis=1).round(3),
        "information_at_mean": info[:, 60].round(3),
    })


def fit_interest_test(items: pd.DataFrame, answers: pd.DataFrame, settings: CatSettings = APP_SETTINGS,
                      seed: int = SEED) -> InterestTestModel:
    """Calibrate the bank on full-form answers and measure the adaptive test on held-out takers.

    Args:
        items: The bank's content (``id, item_code, scale, text, environment_code``).
        answers: Full-form answers, one column per ``item_code`` (``NaN`` missing).
        settings: The adaptive test's settings.
        seed: Seed of the calibration/held-out split.

    Raises:
        InvalidInput: Too few respondents or a RIASEC item nobody answered.
    """
    riasec = items[items["scale"].isin(RIASEC_SCALES)]
    scales = {s: riasec.loc[riasec["scale"] == s, "item_code"].tolist() for s in RIASEC_SCALES}
    codes = [c for v in scales.values() for c in v]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(answers))
    n_held = int(len(answers) * SIMULATION_SHARE)
    held, calibration = order[:n_held][:MAX_SIMULATED], order[n_held:]
    metrics: dict[str, float] = {}
    if len(held) >= 20:
        split_bank = calibrate_graded_bank(answers.iloc[calibration][codes], scales)
        matrix = np.nan_to_num(answers.iloc[held][codes].to_numpy(float), nan=-1).astype(int)
        result = simulate_adaptive(split_bank, matrix, settings)
        metrics = {f"simulated_{k}": float(v) for k, v in result.summary.items()
                   if k in ("items_used_mean", "items_used_share", "top1_agreement", "top3_set_agreement")}
        metrics["simulated_respondents"] = float(len(held))
    bank = calibrate_graded_bank(answers[codes], scales)
    id_of = dict(zip(items["item_code"], items["id"].astype(int), strict=True))
    environment = items[items["scale"] == ENVIRONMENT_SCALE][["id", "item_code", "text", "environment_code"]]
    metrics.update({"items_riasec": float(bank.n_items), "items_environment": float(len(environment)),
                    "calibration_respondents": float(bank.respondents), "max_items": float(settings.max_items)})
    return InterestTestModel(
        bank=bank, item_ids=np.array([id_of[c] for c in bank.item_codes]),
        environment_items=environment.reset_index(drop=True), bank_version=compute_bank_version(items),
        settings=settings, information=information_table(bank), metrics=metrics,
    )


def build_interest_test(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: calibrate on the database's full-form administrations."""
    started = time.perf_counter()
    items = interest_repo.load_items(ctx.engine)
    answers = interest_repo.load_full_form_answers(ctx.engine, max_respondents=MAX_CALIBRATION_RESPONDENTS)
    if len(answers) < 50:
        raise InvalidInput("흥미검사 문항을 보정할 전체 문항 응답이 50명 미만입니다. python -m app build로 세계를 다시 만드세요.")
    model = fit_interest_test(items, answers, seed=ctx.seed + SEED)
    model.metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    return save_fitted(ctx, model, MODEL_FILE, model.metrics)


def load_interest_test(models_dir: Path) -> InterestTestModel:
    """The built bank (raises ``ArtifactMissing`` naming the build command when absent)."""
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="지능형 직업흥미검사 문항은행", build=build_interest_test)
"""Registry entry (:data:`app.ml.registry.ARTIFACTS`)."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="지능형 직업흥미검사 (적응형 검사)",
    purpose="직업흥미검사의 문항을 모두 묻지 않고, 응답에 따라 결과를 가르는 데 필요한 문항만 골라 물어 검사 시간을 줄입니다.",
    output="여섯 흥미 유형(현실형·탐구형·예술형·사회형·진취형·관습형)의 점수(1~5점)와 그 불확실성, 가장 높은 유형과 "
           "상위 세 유형, 결과가 얼마나 안정되었는지. 다음에 물을 문항도 이 모델이 고릅니다.",
    shown_on=("interest_test", "interest_policy"),
    criteria=("지금까지의 응답", "문항별 등급반응모형 모수", "흥미 유형 사이의 상관", "문항 응답 사이의 공분산"),
    not_used="성별, 나이, 학력, 지역 같은 개인 특성은 쓰지 않습니다. 검사 응답만 봅니다.",
    training_data="같은 문항에 모두 답한 응답자의 전체 문항 응답(데모에서는 합성 세계의 응답)으로 문항 모수를 추정합니다. "
                  "실제 공개 응답 자료(48문항 RIASEC)에서 같은 방법의 정확도를 따로 확인합니다.",
    human_oversight="검사 결과는 상담의 출발점입니다. 상담사가 응답 내용과 함께 결과를 확인하고, 구직자와 이야기해 해석합니다.",
    contest="결과가 맞지 않는다고 느끼면 검사를 다시 받거나, 상담사에게 전체 문항 검사를 요청할 수 있습니다.",
    limits="일부 문항만 묻기 때문에, 흥미 유형 점수가 비슷한 사람은 전체 문항 검사와 순위가 다를 수 있습니다 "
           "(실제 응답 자료 모의실험에서 최고 유형 일치율 약 90%).",
    quality_metrics=("simulated_items_used_mean", "simulated_items_used_share", "simulated_top1_agreement",
                     "simulated_top3_set_agreement", "calibration_respondents"),
    fairness_note="응답 외의 개인 특성을 쓰지 않습니다. 문항이 특정 성별·연령에 유리하지 않도록 활동 중심으로 썼습니다.",
)
"""Transparency notice of the adaptive interest test (:mod:`app.ml.model_card`)."""
