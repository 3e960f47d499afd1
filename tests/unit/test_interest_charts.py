"""The interest test's figures (app.charts.interest): what each draws from its data."""

from __future__ import annotations

import pandas as pd

from app.charts import interest as charts


def test_profile_error_bars_reach_the_interval_ends() -> None:
    scores = pd.DataFrame({"유형": ["현실형", "탐구형"], "점수": [2.5, 4.0], "하한": [2.0, 3.6], "상한": [3.1, 4.5]})
    bar = charts.make_profile_figure(scores).data[0]
    assert list(bar.x) == ["현실형", "탐구형"]
    assert [round(v, 2) for v in bar.error_y.array] == [0.6, 0.5]
    assert [round(v, 2) for v in bar.error_y.arrayminus] == [0.5, 0.4]


def test_fit_reasons_stack_one_trace_per_group_in_rank_order() -> None:
    frame = pd.DataFrame({"직업": ["1. 가", "1. 가", "2. 나"], "근거": ["흥미", "업무 특성", "흥미"], "기여도": [0.5, 1.0, 0.2]})
    fig = charts.make_fit_reasons_figure(frame)
    assert [t.name for t in fig.data] == ["흥미", "업무 특성"]
    assert list(fig.data[0].y) == ["1. 가", "2. 나"] and list(fig.data[1].x) == [1.0, 0.0]


def test_exposure_marks_items_over_the_cap() -> None:
    items = pd.DataFrame({"유형": ["현실형", "탐구형", "예술형"], "노출률": [0.1, 0.7, 0.3]})
    fig = charts.make_exposure_figure(items, 0.5)
    assert list(fig.data[0].y) == [70.0, 30.0, 10.0]
    assert list(fig.data[0].marker.color) == [charts.ACCENT, charts.PRIMARY, charts.PRIMARY]
    assert fig.layout.shapes[0].y0 == 50.0


def test_group_importance_is_sorted_and_empty_data_says_so() -> None:
    fig = charts.make_group_importance_figure({"흥미": 0.9, "물리적 환경": 4.5})
    assert list(fig.data[0].y) == ["물리적 환경", "흥미"]
    assert charts.make_information_figure(pd.DataFrame(columns=["유형", "최대 정보량"])).layout.annotations[0].text == \
        "조건에 맞는 데이터가 없습니다"
