"""Hiring simulator figures, asserted on figure data (not on rendering)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from app.charts.hiring import (
    BASE_LABEL,
    FINAL_LABEL,
    OTHER_LABEL,
    make_probability_distribution_figure,
    make_shap_waterfall_figure,
    make_wage_curve_figure,
    waterfall_steps,
)

FACTORS = pd.DataFrame(
    {
        "factor": ["임금 수준(시장 대비)", "근로시간", "복리후생", "고용형태", "경력 요건"],
        "contribution": [0.62, -0.35, 0.18, -0.04, 0.01],
        "sentence": ["", "", "", "", ""],
    }
)
BASE = -0.4


def _trace(fig):
    (trace,) = fig.data
    return trace


def test_waterfall_adds_up_to_the_final_logit_and_probability() -> None:
    trace = _trace(make_shap_waterfall_figure(FACTORS, BASE))
    assert trace.type == "waterfall"
    measures = list(trace.measure)
    assert measures[0] == "absolute" and measures[-1] == "total"
    assert set(measures[1:-1]) == {"relative"}
    values = np.asarray(trace.x, dtype=float)
    final_logit = BASE + FACTORS["contribution"].sum()
    # base + every relative step = the total bar = the calibrated log-odds of the prediction
    assert values[0] == pytest.approx(BASE)
    assert values[0] + values[1:-1].sum() == pytest.approx(final_logit)
    assert values[-1] == pytest.approx(final_logit)
    # probability-friendly labels: first and last bars are probabilities, steps are %p changes
    labels = list(trace.y)
    assert labels[0] == BASE_LABEL and labels[-1] == FINAL_LABEL
    assert trace.text[0] == f"{expit(BASE):.0%}"
    assert trace.text[-1] == f"{expit(final_logit):.0%}"
    assert all(t.endswith("%p") and t[0] in "+-" for t in trace.text[1:-1])
    assert trace.customdata[-1] == pytest.approx(expit(final_logit))
    # the %p labels add up to the change from the average posting to this one
    pp = sum(float(t.removesuffix("%p")) for t in trace.text[1:-1])
    assert pp == pytest.approx((expit(final_logit) - expit(BASE)) * 100, abs=0.3)


def test_waterfall_orders_by_size_and_ticks_are_percentages() -> None:
    fig = make_shap_waterfall_figure(FACTORS, BASE)
    labels = list(_trace(fig).y)[1:-1]
    assert labels == ["임금 수준(시장 대비)", "근로시간", "복리후생", "고용형태", "경력 요건"]
    ticks = fig.layout.xaxis
    assert all(t.endswith("%") for t in ticks.ticktext)
    assert [float(expit(v)) for v in ticks.tickvals] == pytest.approx([float(t.rstrip("%")) / 100 for t in ticks.ticktext])


def test_waterfall_groups_small_factors_without_changing_the_sum() -> None:
    many = pd.DataFrame({"factor": [f"요인{i}" for i in range(12)], "contribution": np.linspace(-0.3, 0.25, 12)})
    steps = waterfall_steps(many, BASE, max_factors=5)
    assert len(steps) == 5 and steps["label"].iloc[-1] == OTHER_LABEL
    assert steps["logit_after"].iloc[-1] == pytest.approx(BASE + many["contribution"].sum())
    values = np.asarray(_trace(make_shap_waterfall_figure(many, BASE, max_factors=5)).x, dtype=float)
    assert values[0] + values[1:-1].sum() == pytest.approx(BASE + many["contribution"].sum())


def test_waterfall_steps_chain() -> None:
    steps = waterfall_steps(FACTORS, BASE)
    assert steps["logit_before"].iloc[0] == pytest.approx(BASE)
    assert np.allclose(steps["logit_before"].iloc[1:].to_numpy(), steps["logit_after"].iloc[:-1].to_numpy())
    assert np.allclose(steps["probability_after"], expit(steps["logit_after"]))


def test_empty_waterfall_is_an_annotated_figure() -> None:
    fig = make_shap_waterfall_figure(FACTORS.iloc[0:0], BASE)
    assert not fig.data
    assert fig.layout.annotations[0].text == "조건에 맞는 데이터가 없습니다"


CURVE = pd.DataFrame(
    {
        "wage_amount": np.arange(2_100_000, 3_300_001, 100_000),
        "probability": expit(np.linspace(-1.0, 1.5, 13)),
    }
)


def test_wage_curve_marks_the_current_point_in_manwon() -> None:
    current = 2_600_000
    p_current = float(expit(0.2))
    fig = make_wage_curve_figure(
        CURVE, wage_type="monthly", current_wage=current, current_probability=p_current,
        published_wage=2_300_000, published_probability=0.4, minimum_wage=2_156_880, target=0.7,
    )
    names = [t.name for t in fig.data]
    assert names == ["채용확률", "게시 조건", "현재 조건"]
    line, published, marker = fig.data
    assert list(line.x) == pytest.approx((CURVE["wage_amount"] / 10_000).tolist())  # drawn in 만원
    assert list(line.y) == pytest.approx(CURVE["probability"].tolist())
    assert list(marker.x) == [260.0] and list(marker.y) == pytest.approx([p_current])
    assert marker.customdata[0] == "월 260만원"
    assert list(published.x) == [230.0]
    assert fig.layout.xaxis.ticksuffix == "만원"
    assert fig.layout.yaxis.tickformat == ".0%"
    shapes = fig.layout.shapes
    assert any(s.x0 == pytest.approx(215.688) for s in shapes)  # minimum wage line
    assert any(s.y0 == pytest.approx(0.7) for s in shapes)  # target line


def test_wage_curve_hourly_in_won_and_no_published_marker_when_unchanged() -> None:
    curve = pd.DataFrame({"wage_amount": [10_320, 11_000, 12_000], "probability": [0.3, 0.4, 0.5]})
    fig = make_wage_curve_figure(
        curve, wage_type="hourly", current_wage=11_000, current_probability=0.4,
        published_wage=11_000, published_probability=0.4,
    )
    assert [t.name for t in fig.data] == ["채용확률", "현재 조건"]
    assert list(fig.data[1].x) == [11_000.0]
    assert fig.data[1].customdata[0] == "시급 11,000원"
    assert fig.layout.xaxis.ticksuffix == "원"


def test_probability_distribution_orders_lowest_median_first() -> None:
    stats = pd.DataFrame({
        "group": ["서울", "부산", "제주"], "n_postings": [3, 2, 1], "mean_probability": [0.8, 0.25, 0.5],
        "median_probability": [0.8, 0.25, 0.5], "p25": [0.75, 0.225, 0.5], "p75": [0.85, 0.275, 0.5],
        "lower_fence": [0.7, 0.2, 0.5], "upper_fence": [0.9, 0.3, 0.5], "n_outliers": [0, 0, 0],
    })
    fig = make_probability_distribution_figure(stats, by_title="시도", threshold=0.4, title="시도별")
    box, hover = fig.data
    assert box.type == "box" and list(box.y) == ["부산", "제주", "서울"]
    assert list(box.q1) == [0.225, 0.5, 0.75] and list(box.median) == [0.25, 0.5, 0.8]
    assert list(box.lowerfence) == [0.2, 0.5, 0.7] and list(box.upperfence) == [0.3, 0.5, 0.9]
    assert box.boxpoints is False and box.hoverinfo == "skip"
    # the Korean hover text rides on an invisible marker at each median
    assert hover.type == "scatter" and list(hover.x) == [0.25, 0.5, 0.8] and hover.marker.opacity == 0
    assert "중앙값" in hover.hovertemplate and "공고" in hover.hovertemplate
    assert list(fig.layout.yaxis.categoryarray) == ["부산", "제주", "서울"]
    assert list(fig.layout.yaxis.ticktext) == ["부산 (2건)", "제주 (1건)", "서울 (3건)"]
    assert any(s.x0 == pytest.approx(0.4) for s in fig.layout.shapes)
    empty = make_probability_distribution_figure(stats.iloc[:0], by_title="시도", title="시도별")
    assert not [t for t in empty.data if t.type == "box"]