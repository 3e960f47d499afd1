"""구직자 위험 현황, 구직자 프로파일 (counsellors) and 취업 위험도 기준·공정성 (policy) through
AppTest, on the small world with the employment model built.

What the user sees and may do: the caseload with masked names only, its filters and masked CSV;
one seeker's prediction, reasons, services, what-if and masked documents; a refusal for a seeker
outside the caseload (from session state or the URL); band overrides with their reasons; the
policy view's thresholds, fairness audit and override report without any individual seeker;
refusals for other roles and a Korean warning when the model is not built. Every model output
shown is audit-logged once per distinct input.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from app.config import get_settings
from app.db.rrn import load_rrn_cipher
from app.text.korean import format_manwon
from components.guards import INVALID_REQUEST
from tests.ui.helpers import (
    TIMEOUT,
    db_rows,
    db_scalar,
    frame_with,
    frames,
    plotly_figures,
    plotly_values,
    run_page,
    texts,
    user_dict,
)

CASELOAD = "../../pages/employment_caseload.py"
PROFILE = "../../pages/employment_profile.py"
POLICY = "../../pages/employment_policy.py"
PROBABILITY = "180일 내 취업확률"
WHATIF = "변경 후 180일 내 취업확률"
BANDS = ("고위험", "중위험", "저위험")
COLUMNS = [
    "구직자 번호", "위험도", "180일 내 취업확률", "주요 조치 가능 요인", "조치 불가 요인(참고)", "성명(마스킹)", "연령",
    "희망 직종", "희망 지역", "등록 후 일수", "남은 기간 취업확률", "모델 판정", "상담사 조정", "훈련 계획",
]
PHONE_RE = re.compile(r"01[016789]-?\d{3,4}-?\d{4}")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
RRN_RE = re.compile(r"\d{6}-?[1-4]\d{6}")
NOT_IN_CASELOAD = "구직자 #{id}은(는) 현재 상담 대상(등록 후 180일 이내 미취업자)이 아닙니다."


def _counsellor(username: str) -> dict[str, Any]:
    # one username per test: the audit rows of each test are counted apart (the database is shared)
    return {**user_dict("counsellor"), "username": username}


def _policy(username: str) -> dict[str, Any]:
    return {**user_dict("policy"), "username": username}


_scalar, _rows = db_scalar, db_rows


def _audit_rows(url: str, username: str, action: str) -> int:
    return int(_scalar(url, "select count(*) from audit_log where username=:u and action=:a", u=username, a=action))


def _seeker_pii(url: str, seeker_id: int) -> dict[str, Any]:
    (name, token, phone, email, address, birth), = _rows(
        url, "select name, rrn_encrypted, phone, email, address, birth_date from seekers where id=:i", i=seeker_id
    )
    return {"name": name, "rrn": load_rrn_cipher().decrypt(token), "phone": phone, "email": email, "address": address, "birth_date": str(birth)}


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _percent(value: str) -> int:
    """Point estimate of ``"57% (48–65%)"`` (or ``"57%"``) in %."""
    match = re.match(r"(\d+)%", value)
    assert match, value
    return int(match.group(1))


def _count(value: str) -> int:
    """``"1,234명"`` -> 1234."""
    return int(value.replace(",", "").removesuffix("명").removesuffix("건"))


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _frame(at: Any, column: str) -> pd.DataFrame:
    """The first table having ``column`` in ``at`` (an AppTest or a block such as a tab); it must exist.

    Non-selectable st.dataframe elements carry no user key in AppTest, so tables are found by a column.
    """
    table = next((d.value for d in at.dataframe if column in d.value.columns), None)
    assert table is not None, f"no table with column {column!r}"
    return table


def _tab(at: AppTest, label: str) -> Any:
    return next(t for t in at.tabs if t.label == label)


def _everything(at: AppTest, *, charts: bool = True) -> str:
    """Every text, table cell, widget label/option (and chart) the user sees, joined."""
    parts = [texts(at)]
    parts += [str(t.value) for t in at.text]
    parts += [f.to_csv(index=False) for f in frames(at)]
    if charts:
        parts += [json.dumps(f, ensure_ascii=False) for f in plotly_figures(at)]
    parts += [str(m.value) + str(m.delta or "") for m in at.metric]
    parts += [t.label for t in at.tabs]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in getattr(at, kind):
            parts += [widget.label, *map(str, widget.options)]
    return "\n".join(parts)


def _caseload(url: str, models: Path) -> pd.DataFrame:
    """The service's caseload under the bands in force (what the pages should show)."""
    from app.db.engine import make_engine
    from app.ml.employment import load_employment_model
    from app.services import employment

    engine = make_engine(url)
    try:
        return employment.score_caseload(engine, load_employment_model(models), employment.load_risk_bands(engine))
    finally:
        engine.dispose()


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[MemoryMediaFileStorage]]:
    """The in-memory media stores AppTest creates (one per run), to read a download button's bytes.

    AppTest drops its mock runtime after each run; recording the store keeps the files reachable.
    """
    import streamlit.testing.v1.app_test as app_test_module

    stores: list[MemoryMediaFileStorage] = []

    class RecordingStorage(MemoryMediaFileStorage):
        def __init__(self, media_endpoint: str) -> None:
            super().__init__(media_endpoint)
            stores.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    yield stores


def _download_bytes(at: AppTest, stores: list[MemoryMediaFileStorage], key: str) -> bytes:
    (button,) = [b for b in at.download_button if b.key == key]
    filename = button.proto.url.rsplit("/", 1)[-1]
    return stores[-1].get_file(filename).content


@pytest.fixture
def small_groups(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Compare groups of 10+ seekers (the small world's held-out cohort has ~95 in all)."""
    monkeypatch.setenv("GOYONG_FAIRNESS_MIN_GROUP", "10")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --------------------------------------------------------------------------- 구직자 위험 현황


def test_caseload_lists_open_seekers_masked_with_csv_and_audit(
    hiring_env: str, hiring_built: tuple[str, Path], media: list[MemoryMediaFileStorage]
) -> None:
    user = "emp-caseload"
    at = run_page(CASELOAD, _counsellor(user))
    _no_exception(at)
    assert [t.value for t in at.title] == ["구직자 위험 현황"]
    table = frame_with(at, "성명(마스킹)")
    assert table is not None and list(table.columns) == COLUMNS
    expected = _caseload(*hiring_built)
    assert len(table) == len(expected) > 0
    assert table["구직자 번호"].tolist() == expected["id"].astype(int).tolist()
    # metric tiles: everyone on the caseload, split by the band shown (an override, else the model's)
    assert [m.label for m in at.metric] == ["상담 대상", *BANDS]
    assert _count(_metric(at, "상담 대상")) == len(table)
    counts = {band: _count(_metric(at, band)) for band in BANDS}
    assert sum(counts.values()) == len(table)
    assert counts == {band: int((table["위험도"] == band).sum()) for band in BANDS}
    assert any(i.value.startswith("AI 예측 결과입니다 · 모델 버전 ") for i in at.info)
    # least likely to find work first; probabilities are probabilities
    assert table["180일 내 취업확률"].is_monotonic_increasing
    assert table["180일 내 취업확률"].between(0, 1).all() and table["남은 기간 취업확률"].between(0, 1).all()
    assert set(table["위험도"]) <= set(BANDS) and set(table["모델 판정"]) <= set(BANDS)
    # masked names only: no seeker's real name anywhere in the table or the CSV
    assert table["성명(마스킹)"].str.contains("○").all()
    real_names = {str(r[0]) for r in _rows(hiring_env, "select name from seekers")}
    cells = table.to_csv(index=False)
    assert not [n for n in real_names if n in cells]
    data = _download_bytes(at, media, "employment.caseload.csv")
    assert data.startswith("\ufeff".encode())
    csv_text = data.decode("utf-8-sig")
    assert not [n for n in real_names if n in csv_text]
    assert not PHONE_RE.search(csv_text) and not EMAIL_RE.search(csv_text) and not RRN_RE.search(csv_text)
    back = pd.read_csv(io.StringIO(csv_text))
    assert list(back.columns) == COLUMNS
    assert back["구직자 번호"].tolist() == table["구직자 번호"].tolist()
    assert back["성명(마스킹)"].tolist() == table["성명(마스킹)"].tolist()
    assert back["위험도"].tolist() == table["위험도"].tolist()
    # the shown caseload is logged once; a rerun showing the same figures writes nothing
    assert _audit_rows(hiring_env, user, "employment.caseload") == 1
    (name, version, raw), = _rows(
        hiring_env, "select model_name, model_version, output from audit_log where username=:u and action=:a",
        u=user, a="employment.caseload",
    )
    output = raw if isinstance(raw, dict) else json.loads(raw)
    assert name == "employment" and version and output["n_seekers"] == len(table)
    at.run()
    assert _audit_rows(hiring_env, user, "employment.caseload") == 1


def test_caseload_filters_by_band_number_and_days(hiring_env: str) -> None:
    at = run_page(CASELOAD, _counsellor("emp-filter"))
    everyone = frame_with(at, "성명(마스킹)")
    assert everyone is not None and len(everyone) > 1
    present = [b for b in BANDS if b in set(everyone["위험도"])]
    band = present[0]
    at.multiselect(key="employment.caseload.bands").select(band).run()
    _no_exception(at)
    shown = frame_with(at, "성명(마스킹)")
    assert shown is not None and set(shown["위험도"]) == {band}
    assert len(shown) == int((everyone["위험도"] == band).sum())
    at.multiselect(key="employment.caseload.bands").unselect(band).run()
    # search by seeker number: exactly that seeker
    target = int(everyone["구직자 번호"].iloc[len(everyone) // 2])
    for term in (str(target), f"#{target}"):
        at.text_input(key="employment.caseload.search").input(term).run()
        _no_exception(at)
        shown = frame_with(at, "성명(마스킹)")
        assert shown is not None and shown["구직자 번호"].tolist() == [target], term
    at.text_input(key="employment.caseload.search").input("").run()
    # fewest days since registration
    days = sorted(everyone["등록 후 일수"])
    cut = (days[len(days) // 2] // 10) * 10
    at.slider(key="employment.caseload.min_days").set_value(cut).run()
    _no_exception(at)
    shown = frame_with(at, "성명(마스킹)")
    assert shown is not None and 0 < len(shown) < len(everyone)
    assert (shown["등록 후 일수"] >= cut).all()
    assert len(shown) == int((everyone["등록 후 일수"] >= cut).sum())
    assert shown["180일 내 취업확률"].is_monotonic_increasing
    # the tiles keep describing the whole caseload
    assert _count(_metric(at, "상담 대상")) == len(everyone)
    # filtering shows the same model output: no new audit row
    assert _audit_rows(hiring_env, "emp-filter", "employment.caseload") == 1


@pytest.mark.parametrize(
    ("page", "role", "message"),
    [
        (CASELOAD, "employer", "이 화면은 직업상담사 전용입니다. 현재 역할: 구인기업"),
        (CASELOAD, "policy", "이 화면은 직업상담사 전용입니다. 현재 역할: 정책·운영"),
        (PROFILE, "employer", "이 화면은 직업상담사 전용입니다. 현재 역할: 구인기업"),
        (PROFILE, "policy", "이 화면은 직업상담사 전용입니다. 현재 역할: 정책·운영"),
        (POLICY, "employer", "이 화면은 정책·운영 전용입니다. 현재 역할: 구인기업"),
        (POLICY, "counsellor", "이 화면은 정책·운영 전용입니다. 현재 역할: 직업상담사"),
    ],
)
def test_other_roles_are_refused(
    hiring_env: str, employer_ids: dict[str, int], page: str, role: str, message: str
) -> None:
    username = f"emp-refused-{role}"
    user = {**user_dict(role, employer_ids["employer1"] if role == "employer" else None), "username": username}
    at = run_page(page, user)
    _no_exception(at)
    assert [e.value for e in at.error] == [message]
    assert not at.title and not at.metric and not at.dataframe and not at.download_button and not at.get("plotly_chart")
    assert int(_scalar(hiring_env, "select count(*) from audit_log where username=:u", u=username)) == 0


@pytest.mark.parametrize(
    ("page", "role", "title"),
    [(CASELOAD, "counsellor", "구직자 위험 현황"), (PROFILE, "counsellor", "구직자 프로파일"),
     (POLICY, "policy", "취업 위험도 기준·공정성")],
)
def test_missing_model_names_the_build_command(app_env: None, page: str, role: str, title: str) -> None:
    at = run_page(page, {**user_dict(role), "username": "emp-nomodel"})
    _no_exception(at)
    assert [t.value for t in at.title] == [title]
    assert any("python -m app build" in w.value for w in at.warning)
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


# --------------------------------------------------------------------------- 구직자 프로파일


def test_profile_shows_masked_summary_prediction_services_and_documents(
    hiring_env: str, hiring_built: tuple[str, Path]
) -> None:
    user = "emp-profile"
    at = run_page(PROFILE, _counsellor(user))
    _no_exception(at)
    assert [t.value for t in at.title] == ["구직자 프로파일"]
    from app.services.employment import PICKER_LIMIT

    caseload = _caseload(*hiring_built)
    picker = at.selectbox(key="employment.seeker_id")
    # the highest-risk seekers, a bounded list (the caseload is searched, never listed whole)
    assert len(caseload) > PICKER_LIMIT
    assert list(picker.options) == [
        f"#{int(r.id)} · {r.masked_name} · {r.desired_occupation} · {r.final_band} {r.probability * 100:.0f}%"
        for r in caseload.head(PICKER_LIMIT).itertuples(index=False)
    ]
    assert f"상담 대상 {len(caseload):,}명 중 위험도가 높은 {PICKER_LIMIT}명을 보여 줍니다." in texts(at)
    # the audit row says which seekers the picker listed
    (listed,) = _rows(hiring_env, "select output from audit_log where username=:u and action='employment.caseload'", u=user)
    output = json.loads(listed[0]) if isinstance(listed[0], str) else listed[0]
    assert output["seeker_ids"] == caseload["id"].astype(int).head(PICKER_LIMIT).tolist()
    assert output["n_matching"] == len(caseload)
    seeker = int(picker.value)
    assert seeker == int(caseload["id"].iloc[0])  # the highest-risk seeker opens first
    assert at.query_params.get("seeker") in (str(seeker), [str(seeker)])
    row = caseload[caseload["id"] == seeker].iloc[0]
    # prediction cards with an interval, marked as AI output
    value = _metric(at, PROBABILITY)
    assert re.fullmatch(r"\d+% \(\d+–\d+%\)", value)
    assert _percent(value) == round(float(row["probability"]) * 100)
    assert _metric(at, "위험도") == row["final_band"]
    assert re.fullmatch(r"\d+%", _metric(at, "남은 기간 취업확률"))
    assert any(i.value.startswith("AI 예측 결과입니다 · 모델 버전 ") for i in at.info)
    # the summary: masked name, no direct identifier of this seeker
    pii = _seeker_pii(hiring_env, seeker)
    summary = _frame(at, "항목")
    assert list(summary.columns) == ["항목", "내용"]
    facts = dict(zip(summary["항목"], summary["내용"], strict=True))
    assert facts["성명"] == row["masked_name"] and "○" in facts["성명"]
    summary_text = summary.to_csv(index=False)
    for value in pii.values():
        assert value not in summary_text
    # masked résumé, cover letter and notes: masks present, raw personal data absent
    documents = "\n".join(str(t.value) for t in at.text)
    assert at.text and ("○" in documents or "*" in documents)
    street = pii["address"].split(" ", 2)[-1]
    birth = pii["birth_date"].replace("-", ".")
    for raw in (pii["name"], pii["phone"], pii["email"], pii["rrn"], pii["address"], street, birth):
        assert raw not in documents, raw
    # the four services, ranked, and the SHAP waterfall
    services = _frame(at, "예상 효과")
    assert sorted(services["서비스"]) == sorted(["직업훈련 수료", "집중 취업알선", "국민취업지원제도 참여", "심층 직업상담"])
    assert services["순위"].tolist() == [1, 2, 3, 4]
    kinds = [f["data"][0]["type"] for f in plotly_figures(at)]
    assert "waterfall" in kinds
    assert {"취업 가능성", "예측 근거", "위험도 조정"} <= {s.value for s in at.subheader}
    # logged once per distinct input: a rerun showing the same figures adds nothing
    assert _audit_rows(hiring_env, user, "employment.profile") == 1
    at.run()
    _no_exception(at)
    assert _audit_rows(hiring_env, user, "employment.profile") == 1


def test_picker_opens_another_seeker(hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    user = "emp-picker"
    caseload = _caseload(*hiring_built)
    at = run_page(PROFILE, _counsellor(user))
    _no_exception(at)
    assert int(at.selectbox(key="employment.seeker_id").value) == int(caseload["id"].iloc[0])
    other = caseload.iloc[1]
    at.selectbox(key="employment.seeker_id").select(int(other["id"])).run()
    _no_exception(at)
    assert int(at.selectbox(key="employment.seeker_id").value) == int(other["id"])
    assert _frame(at, "항목")["내용"].iloc[0] == other["masked_name"]
    assert at.query_params.get("seeker") in (str(int(other["id"])), [str(int(other["id"]))])
    assert _audit_rows(hiring_env, user, "employment.profile") == 2


def _picker_ids(at: AppTest) -> list[int]:
    return [int(o.split(" · ")[0].removeprefix("#")) for o in at.selectbox(key="employment.seeker_id").options]


def test_picker_search_by_number_name_and_occupation(hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    from app.services.employment import PICKER_LIMIT
    from app.text.pii import mask_name

    user = "emp-picker-search"
    caseload = _caseload(*hiring_built)
    at = run_page(PROFILE, _counsellor(user))
    _no_exception(at)
    first = int(caseload["id"].iloc[0])
    # a seeker number: that seeker alone, opened
    target = caseload.iloc[len(caseload) - 3]
    at.text_input(key="employment.seeker_search").input(f"#{int(target['id'])}").run()
    _no_exception(at)
    assert _picker_ids(at) == [int(target["id"])]
    assert _frame(at, "항목")["내용"].iloc[0] == target["masked_name"]
    assert at.query_params.get("seeker") in (str(int(target["id"])), [str(int(target["id"]))])
    # a word of the desired occupation: its seekers, highest risk first, the first of them opened
    word = str(caseload["desired_occupation"].iloc[len(caseload) // 2])[:2]
    matching = caseload[caseload["desired_occupation"].str.contains(word, regex=False)
                        | caseload["masked_name"].str.contains(word, regex=False)
                        | (caseload["masked_name"] == mask_name(word))]
    at.text_input(key="employment.seeker_search").input(word).run()
    _no_exception(at)
    listed = matching["id"].astype(int).head(PICKER_LIMIT).tolist()
    assert _picker_ids(at) == listed
    # the open seeker stays open when the search lists them, else the highest-risk match opens
    assert int(at.selectbox(key="employment.seeker_id").value) == (
        int(target["id"]) if int(target["id"]) in listed else listed[0])
    # a full name typed finds the seekers it masks to (the name itself is never looked up)
    (name,) = _rows(hiring_env, "select name from seekers where id=:i", i=int(target["id"]))[0]
    at.text_input(key="employment.seeker_search").input(str(name)).run()
    _no_exception(at)
    assert int(target["id"]) in _picker_ids(at)
    assert str(name) not in _everything(at)
    # no match: a Korean notice, and the open seeker stays open
    opened = int(at.selectbox(key="employment.seeker_id").value)
    at.text_input(key="employment.seeker_search").input("없는직종이름").run()
    _no_exception(at)
    assert "검색과 맞는 상담 대상 구직자가 없습니다. 구직자 번호, 성명 또는 희망 직종을 확인하세요." in [w.value for w in at.warning]
    assert _picker_ids(at) == [opened]
    # the search cleared: the highest-risk seekers again, with the open one kept in the list
    at.text_input(key="employment.seeker_search").input("").run()
    _no_exception(at)
    ids = _picker_ids(at)
    assert ids[0] == first and opened in ids and int(at.selectbox(key="employment.seeker_id").value) == opened
    # every list shown was logged, and never the search typed
    for (output,) in _rows(hiring_env, "select output from audit_log where username=:u and action='employment.caseload'",
                           u=user):
        assert str(name) not in str(output) and "없는직종이름" not in str(output)


def _outside_caseload(url: str, caseload: pd.DataFrame) -> int:
    """A seeker registered long before the caseload date (so not on it)."""
    ids = set(caseload["id"].astype(int))
    oldest = [int(r[0]) for r in _rows(url, "select id from seekers order by registered_on, id limit 20")]
    return next(i for i in oldest if i not in ids)


@pytest.mark.parametrize("via", ["session_state", "query_param", "unknown_id"])
def test_seeker_outside_the_caseload_is_refused(hiring_env: str, hiring_built: tuple[str, Path], via: str) -> None:
    username = f"emp-forged-{via}"
    caseload = _caseload(*hiring_built)
    foreign = 99_999_999 if via == "unknown_id" else _outside_caseload(hiring_env, caseload)
    at = AppTest.from_file(PROFILE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _counsellor(username)
    if via == "session_state":
        at.session_state["employment.seeker_id"] = foreign
    else:
        at.query_params["seeker"] = str(foreign)
    at.run()
    _no_exception(at)
    assert [e.value for e in at.error] == [NOT_IN_CASELOAD.format(id=foreign)]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart") and not at.text
    assert "seeker" not in at.query_params
    assert _audit_rows(hiring_env, username, "employment.profile") == 0
    # the refusal is not sticky: back to the caseload's first seeker
    at.button(key="employment.back").click().run()
    _no_exception(at)
    assert not at.error
    assert int(at.selectbox(key="employment.seeker_id").value) == int(caseload["id"].iloc[0])


@pytest.mark.parametrize("value", [
    pytest.param("99999999999999999999", id="beyond-int64"),
    pytest.param("-1", id="negative"),
    pytest.param("1e9", id="exponent"),
    pytest.param("abc", id="letters"),
    pytest.param("7" * 10_000, id="10000-digits"),
])
def test_absurd_seeker_id_in_the_url_is_refused_in_korean(
    hiring_env: str, hiring_built: tuple[str, Path], value: str
) -> None:
    username = f"emp-absurd-{len(value)}-{value[:3]}"
    caseload = _caseload(*hiring_built)
    at = AppTest.from_file(PROFILE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _counsellor(username)
    at.query_params["seeker"] = value
    at.run()
    _no_exception(at)
    assert [e.value for e in at.error] == [INVALID_REQUEST]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart") and not at.text
    assert value not in texts(at) and "seeker" not in at.query_params
    assert _audit_rows(hiring_env, username, "employment.profile") == 0
    at.button(key="employment.back").click().run()  # the page's own way back: the caseload's first seeker
    _no_exception(at)
    assert not at.error
    assert int(at.selectbox(key="employment.seeker_id").value) == int(caseload["id"].iloc[0])


def test_deep_link_opens_that_seeker(hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    caseload = _caseload(*hiring_built)
    target = caseload.iloc[len(caseload) // 2]
    at = AppTest.from_file(PROFILE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _counsellor("emp-deeplink")
    at.query_params["seeker"] = str(int(target["id"]))
    at.run()
    _no_exception(at)
    assert not at.error
    assert int(at.selectbox(key="employment.seeker_id").value) == int(target["id"])
    assert _frame(at, "항목")["내용"].iloc[0] == target["masked_name"]
    assert _percent(_metric(at, PROBABILITY)) == round(float(target["probability"]) * 100)
    assert _audit_rows(hiring_env, "emp-deeplink", "employment.profile") == 1


def test_training_plan_shows_on_the_caseload_and_the_profile_and_a_course_is_removed(
        hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    from app.auth import User
    from app.db.engine import make_engine
    from app.services import training

    caseload = _caseload(*hiring_built)
    seeker = int(caseload["id"].iloc[len(caseload) // 3])
    courses = [int(c) for c, in _rows(hiring_env, "select id from courses order by id limit 2")]
    titles = dict(_rows(hiring_env, "select id, title from courses where id in (:a, :b)", a=courses[0], b=courses[1]))
    adder = User("emp-plan-add", "상담사", "counsellor")
    engine = make_engine(hiring_env)
    try:
        for course in courses:
            training.add_to_plan(engine, adder, seeker, course, note="내일배움카드 확인")

        at = run_page(CASELOAD, _counsellor("emp-plan"))
        _no_exception(at)
        table = frame_with(at, "훈련 계획")
        assert table is not None
        counts = dict(zip(table["구직자 번호"], table["훈련 계획"], strict=True))
        assert counts[seeker] == 2
        assert sum(counts.values()) == 2  # nobody else has a plan

        at = AppTest.from_file(PROFILE, default_timeout=TIMEOUT)
        at.session_state["auth.user"] = _counsellor("emp-plan")
        at.query_params["seeker"] = str(seeker)
        at.run()
        _no_exception(at)
        assert "훈련 계획" in [h.value for h in at.subheader]
        plan = _frame(at, "훈련과정")
        assert plan["훈련과정"].tolist() == [titles[c] for c in courses]
        assert set(plan["추가한 사람"]) == {"emp-plan-add"} and set(plan["메모"]) == {"내일배움카드 확인"}
        at.selectbox(key="training.plan.remove_choice").set_value(courses[0]).run()
        at.button(key="training.plan.remove").click().run()
        _no_exception(at)
        assert any("상담 계획에서 뺐습니다" in s.value for s in at.success)
        assert _frame(at, "훈련과정")["훈련과정"].tolist() == [titles[courses[1]]]
        assert training.plan_counts(engine, [seeker]) == {seeker: 1}
        assert _audit_rows(hiring_env, "emp-plan", training.PLAN_REMOVE_ACTION) == 1
        assert _audit_rows(hiring_env, "emp-plan-add", training.PLAN_ADD_ACTION) == 2
    finally:
        for course in training.load_plan(engine, seeker)["과정 번호"]:  # the database is shared
            training.remove_from_plan(engine, adder, seeker, int(course))
        engine.dispose()


def test_whatif_reacts_to_wage_and_region_and_is_logged(hiring_env: str) -> None:
    user = "emp-whatif"
    at = run_page(PROFILE, _counsellor(user))
    _no_exception(at)
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    (desired, flexible), = _rows(hiring_env, "select desired_wage, region_flexible from seekers where id=:i", i=seeker)
    wage = at.slider(key="employment.whatif.wage")
    assert wage.value == min(max(round(int(desired) / 50_000) * 50_000, wage.min), wage.max)  # filled from the seeker
    assert at.toggle(key="employment.whatif.flexible").value == bool(flexible)
    start = _percent(_metric(at, WHATIF))
    assert start == _percent(_metric(at, PROBABILITY))
    assert next(m.delta for m in at.metric if m.label == WHATIF) == "변화 없음"
    logged = _audit_rows(hiring_env, user, "employment.whatif")
    # a much lower desired wage never lowers the probability (monotone in the wage gap)
    lower = max(wage.min, int(desired) // 2 // 50_000 * 50_000)
    at.slider(key="employment.whatif.wage").set_value(lower).run()
    _no_exception(at)
    cheaper = _percent(_metric(at, WHATIF))
    assert cheaper >= start
    assert f"적용 희망임금: 월 {format_manwon(lower)}" in texts(at)
    assert _audit_rows(hiring_env, user, "employment.whatif") == logged + 1
    (raw,), = _rows(hiring_env, "select output from audit_log where username=:u and action=:a order by id desc limit 1",
                    u=user, a="employment.whatif")
    output = raw if isinstance(raw, dict) else json.loads(raw)
    assert round(output["probability"] * 100) == cheaper
    # willing to work elsewhere: never lowers it (and the reverse never raises it)
    at.toggle(key="employment.whatif.flexible").set_value(not bool(flexible)).run()
    _no_exception(at)
    toggled = _percent(_metric(at, WHATIF))
    assert toggled >= cheaper if not flexible else toggled <= cheaper
    assert _audit_rows(hiring_env, user, "employment.whatif") == logged + 2
    # the same what-if again writes nothing; the profile itself was logged once
    at.run()
    assert _audit_rows(hiring_env, user, "employment.whatif") == logged + 2
    assert _audit_rows(hiring_env, user, "employment.profile") == 1


def _overrides(url: str, seeker: int, username: str) -> list[tuple]:
    return _rows(url, "select seeker_id, username, model_band, override_band, reason from risk_overrides "
                      "where seeker_id=:s and username=:u order by id", s=seeker, u=username)


def test_override_is_validated_saved_masked_and_shown_on_the_caseload(
    hiring_env: str, hiring_built: tuple[str, Path]
) -> None:
    user = "emp-override"
    caseload = _caseload(*hiring_built)
    seeker = int(caseload["id"].iloc[-1])  # the most likely to find work: no other test opens it
    model_band = str(caseload["band"].iloc[-1])
    at = AppTest.from_file(PROFILE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _counsellor(user)
    at.query_params["seeker"] = str(seeker)  # a deep link (the picker cannot switch seekers: see above)
    at.run()
    _no_exception(at)
    assert int(at.selectbox(key="employment.seeker_id").value) == seeker
    choices = list(at.radio(key="employment.override.band").options)
    assert model_band not in choices and len(choices) == 2
    band = "고위험" if "고위험" in choices else choices[0]
    save = next(b for b in at.button if b.label == "조정 저장")
    # too short a reason: a Korean error and nothing stored
    at.radio(key="employment.override.band").set_value(band)
    at.text_area(key="employment.override.reason").input("건강")
    save.click().run()
    _no_exception(at)
    assert "조정 사유를 5~300자로 적어 주세요 (입력: 2자)" in [e.value for e in at.error]
    assert _overrides(hiring_env, seeker, user) == []
    # a valid reason (with a phone number the counsellor should not have typed)
    reason = "보호자 010-2345-6789 통화로 건강 문제 확인, 단시간 근로만 가능"
    at.radio(key="employment.override.band").set_value(band)
    at.text_area(key="employment.override.reason").input(reason)
    next(b for b in at.button if b.label == "조정 저장").click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == [f"위험도를 {model_band} → {band}(으)로 조정했습니다."]
    assert not at.error
    (stored,) = _overrides(hiring_env, seeker, user)
    assert stored[:4] == (seeker, user, model_band, band)
    assert "010-2345-6789" not in stored[4] and "6789" in stored[4] and "건강 문제 확인" in stored[4]
    assert at.text_area(key="employment.override.reason").value in ("", None)
    assert _metric(at, "위험도") == band
    history = _frame(at, "시각(KST)")
    assert history["상담사"].iloc[0] == user and history["조정"].iloc[0] == band
    assert "010-2345-6789" not in history.to_csv(index=False)
    # the caseload shows the counsellor's band
    board = run_page(CASELOAD, _counsellor(user))
    _no_exception(board)
    table = frame_with(board, "성명(마스킹)")
    mine = table[table["구직자 번호"] == seeker].iloc[0]
    assert (mine["상담사 조정"], mine["위험도"], mine["모델 판정"]) == (band, band, model_band)


def test_an_override_is_saved_in_one_run_and_not_for_an_expired_session(
    hiring_env: str, hiring_built: tuple[str, Path]
) -> None:
    """The save is the button's callback: the run the click starts already shows the new band, so the
    page is not run twice (no ``st.rerun``); a session that is no longer valid saves nothing."""
    import time

    user = "emp-override-once"
    caseload = _caseload(*hiring_built)
    seeker = int(caseload["id"].iloc[-2])
    model_band = str(caseload["band"].iloc[-2])
    at = AppTest.from_file(PROFILE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _counsellor(user)
    at.query_params["seeker"] = str(seeker)
    at.run()
    _no_exception(at)
    band = next(iter(at.radio(key="employment.override.band").options))
    # idle for longer than the limit when the counsellor clicks: the callback refuses to act for it
    limit = get_settings().idle_timeout_minutes * 60
    at.session_state["auth.last_activity"] = time.monotonic() - limit - 1
    at.radio(key="employment.override.band").set_value(band)
    at.text_area(key="employment.override.reason").input("상담에서 확인한 구직 준비 상태로 조정")
    next(b for b in at.button if b.label == "조정 저장").click().run()
    assert _overrides(hiring_env, seeker, user) == []
    assert not at.success
    assert "auth.user" not in at.session_state  # the run after the click ended the session instead
    # an active session (a page run on its own: no activity recorded): saved by the callback and
    # shown by the run the click started
    assert "auth.last_activity" not in at.session_state  # the session's end cleared it
    at.session_state["auth.user"] = _counsellor(user)
    at.query_params["seeker"] = str(seeker)  # logging in again: the deep link opens the same seeker
    at.run()
    at.radio(key="employment.override.band").set_value(band)
    at.text_area(key="employment.override.reason").input("상담에서 확인한 구직 준비 상태로 조정")
    next(b for b in at.button if b.label == "조정 저장").click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == [f"위험도를 {model_band} → {band}(으)로 조정했습니다."]
    assert _metric(at, "위험도") == band
    assert len(_overrides(hiring_env, seeker, user)) == 1


# --------------------------------------------------------------------------- 취업 위험도 기준·공정성


def test_policy_page_shows_fairness_and_overrides_without_individuals(
    hiring_env: str, hiring_built: tuple[str, Path], small_groups: None
) -> None:
    from app.db.engine import make_engine
    from app.services import employment
    from components import employment as ui

    caseload = _caseload(*hiring_built)
    target = caseload.iloc[2]
    engine = make_engine(hiring_env)
    try:
        other = next(b for b in BANDS if b != target["band"])
        employment.save_override(engine, seeker_id=int(target["id"]), username="emp-report-counsellor",
                                 model_band=str(target["band"]), override_band=other,
                                 probability=float(target["probability"]), model_version="test", reason="정책 보고 확인용 조정")
    finally:
        engine.dispose()
    user = "emp-policy-view"
    at = run_page(POLICY, _policy(user))
    _no_exception(at)
    assert [t.value for t in at.title] == ["취업 위험도 기준·공정성"]
    assert _count(_metric(at, "상담 대상")) == len(caseload)
    assert re.fullmatch(r"0\.\d{3}", _metric(at, "검증 AUC"))
    assert re.fullmatch(r"\d+\.\d%p", _metric(at, "보정 오차(ECE)"))
    assert re.fullmatch(r"0\.\d{3}", _metric(at, "연령 제외 시 AUC"))
    assert any(i.value.startswith("AI 예측 결과입니다 · 모델 버전 ") for i in at.info)
    assert {"위험도 기준", "공정성 점검", "상담사 위험도 조정 현황", "상담 대상 집계"} <= {s.value for s in at.subheader}
    # fairness: one tab per attribute, a table of groups each, gaps computed for groups of 10+
    labels = [t.label for t in at.tabs]
    assert labels[:4] == ["성별", "연령대", "장애 여부", "거주 지역"]
    cohort = int(re.search(r"검증용 구직자 ([\d,]+)명", texts(at)).group(1).replace(",", ""))
    assert cohort > 0
    for attribute in ("성별", "연령대", "장애 여부", "거주 지역"):
        tab = _tab(at, attribute)
        groups = _frame(tab, "비교 대상")
        assert len(groups) >= 2, attribute
        assert groups["인원"].map(_count).sum() == cohort, attribute
        assert set(groups["비교 대상"]) <= {"예", "표본 적음"}
        assert ((groups["인원"].map(_count) >= 10) == (groups["비교 대상"] == "예")).all(), attribute
    assert set(_frame(_tab(at, "성별"), "비교 대상")["집단"]) == {"남성", "여성"}
    gaps = _frame(_tab(at, "성별"), "운영 모델(연령 포함)")
    assert list(gaps.columns) == ["지표", "운영 모델(연령 포함)", "비교 모델(연령 제외)"]
    assert gaps["운영 모델(연령 포함)"].str.match(r"\d+\.\d%p").any()
    assert "10명 미만 집단은 비교에서 제외" in texts(at)
    tolerance = f"허용 기준({get_settings().fairness_tolerance:.0%}p)"
    assert any(tolerance in m for m in [s.value for s in at.success] + [w.value for w in at.warning])
    # the override report counts every stored override, by counsellor
    total = int(_scalar(hiring_env, "select count(*) from risk_overrides"))
    assert _count(_metric(at, "조정 건수")) == total >= 1
    by_counsellor = _frame(at, "위험 상향")
    assert list(by_counsellor.columns) == ["상담사", "조정 건수", "위험 상향", "위험 하향"]
    assert "emp-report-counsellor" in set(by_counsellor["상담사"])
    assert by_counsellor["조정 건수"].sum() == total
    transitions = _frame(at, "모델 판정")
    assert transitions["모델 판정"].tolist() == [f"모델 {b}" for b in BANDS]
    assert transitions[[f"→ {b}" for b in BANDS]].to_numpy().sum() == total
    # aggregates only: no masked name, no seeker number anywhere on the page
    everything = _everything(at)
    assert "○" not in everything
    assert not [n for n in caseload["masked_name"] if n in everything]
    assert "구직자 번호" not in everything
    assert not re.search(r"#\d+", _everything(at, charts=False))  # chart colours are "#2F6690"
    scored = _caseload(*hiring_built)  # with the override saved above
    for label, column, by in (("희망 지역별", "희망 지역", "region"), ("희망 직종 대분류별", "희망 직종 대분류", "occupation")):
        aggregate = _frame(_tab(at, label), column)
        assert aggregate["상담 대상"].map(_count).sum() == len(caseload)
        # the group tables from SQL show what the whole frame's pandas tables show
        pd.testing.assert_frame_equal(aggregate.reset_index(drop=True),
                                      ui.group_table(employment.caseload_aggregates(scored, by), label=column))
    assert _audit_rows(hiring_env, user, "employment.policy") == 1


def _band_share_counts(at: AppTest) -> dict[str, int]:
    figure = next(f for f in plotly_figures(at) if f["layout"]["title"]["text"] == "위험도별 상담 대상 비율")
    counts = {}
    for trace in figure["data"]:
        (label,) = trace["text"]
        counts[trace["name"]] = int(re.search(r"\(([\d,]+)명\)", label).group(1).replace(",", ""))
    return counts


def test_policy_threshold_sliders_preview_and_reject_bad_order(hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    caseload = _caseload(*hiring_built)
    p = caseload["probability"].to_numpy()
    settings_before = int(_scalar(hiring_env, "select count(*) from risk_band_settings"))
    at = run_page(POLICY, _policy("emp-policy-sliders"))
    _no_exception(at)
    high, low = at.slider(key="employment.policy.high").value, at.slider(key="employment.policy.low").value
    before = _band_share_counts(at)
    assert before["고위험"] == int((p < high / 100).sum()) and sum(before.values()) == len(caseload)
    assert at.button(key="employment.policy.save").disabled  # nothing changed yet
    raised = min(high + 10, low - 1)
    at.slider(key="employment.policy.high").set_value(raised).run()
    _no_exception(at)
    after = _band_share_counts(at)
    assert after["고위험"] == int((p < raised / 100).sum())
    assert after["저위험"] == int((p >= low / 100).sum())
    assert after != before
    assert not at.button(key="employment.policy.save").disabled
    tradeoff = next(f for f in plotly_figures(at) if f["layout"]["title"]["text"] == "고위험 기준별 정확도와 형평성")
    thresholds = [round(0.10 + 0.05 * i, 2) for i in range(9)]
    assert plotly_values(tradeoff["data"][0]["x"]) == pytest.approx(thresholds)
    # high >= low: a Korean error, no preview and no way to save
    at.slider(key="employment.policy.high").set_value(50).run()
    at.slider(key="employment.policy.low").set_value(40).run()
    _no_exception(at)
    assert any(e.value.startswith("위험 기준은 0 < 고위험 기준 < 저위험 기준 < 1 이어야 합니다") for e in at.error)
    assert not [b for b in at.button if b.key == "employment.policy.save"]
    assert "위험도별 상담 대상 비율" not in json.dumps([f["layout"] for f in plotly_figures(at)], ensure_ascii=False)
    assert int(_scalar(hiring_env, "select count(*) from risk_band_settings")) == settings_before


def test_policy_saves_thresholds_and_the_caseload_follows(hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    from app.db.engine import make_engine
    from app.services import employment

    user = "emp-policy-save"
    engine = make_engine(hiring_env)
    previous = employment.load_risk_bands(engine)
    high, low = (25, 45) if round(previous.high_below * 100) != 25 else (30, 50)
    try:
        at = run_page(POLICY, _policy(user))
        at.slider(key="employment.policy.high").set_value(high).run()
        at.slider(key="employment.policy.low").set_value(low).run()
        at.text_input(key="employment.policy.note").input("집중 상담 인력에 맞춘 조정").run()
        at.button(key="employment.policy.save").click().run()
        _no_exception(at)
        described = f"고위험 {high}% 미만 · 중위험 {high}–{low}% · 저위험 {low}% 이상"
        assert [s.value for s in at.success][:1] == [f"새 위험도 기준을 적용했습니다: {described}"]
        (stored,) = _rows(hiring_env, "select username, high_below, low_from, note from risk_band_settings "
                                      "where username=:u", u=user)
        assert stored == (user, pytest.approx(high / 100), pytest.approx(low / 100), "집중 상담 인력에 맞춘 조정")
        assert f"현재 기준: {described} · 설정: {user}" in texts(at)
        assert at.button(key="employment.policy.save").disabled  # in force now
        history = _frame(at, "담당자")
        assert history["담당자"].iloc[0] == user
        # the counsellor's caseload uses the new bands at once
        board = run_page(CASELOAD, _counsellor("emp-policy-save-board"))
        _no_exception(board)
        assert f"위험도 기준: {described} (정책 담당자 {user} 설정)" in texts(board)
        assert next(m.help for m in board.metric if m.label == "고위험") == described
        table = frame_with(board, "성명(마스킹)")
        scored = _caseload(*hiring_built)  # unrounded probabilities under the new bands
        p = scored["probability"].to_numpy()
        # the tiles count the band shown: an earlier test's override, else the model's under the new bands
        final = scored["override_band"].where(scored["override_band"] != "",
                                              np.where(p < high / 100, "고위험", np.where(p >= low / 100, "저위험", "중위험")))
        assert _count(_metric(board, "고위험")) == int((final == "고위험").sum())
        assert _count(_metric(board, "저위험")) == int((final == "저위험").sum())
        assert table["모델 판정"].tolist() == scored["band"].tolist()
    finally:
        employment.save_risk_bands(engine, high_below=previous.high_below, low_from=previous.low_from,
                                   username="emp-policy-restore", note="테스트 후 원래 기준으로")
        engine.dispose()


def test_tradeoff_table_never_shows_nan(hiring_env: str) -> None:
    # default GOYONG_FAIRNESS_MIN_GROUP (100) exceeds every group of the small held-out cohort
    at = run_page(POLICY, _policy("emp-policy-nan"))
    _no_exception(at)
    table = _frame(at, "고위험 판정 비율")
    cells = table.to_csv(index=False)
    assert "nan" not in cells and "None" not in cells


# --------------------------------------------------------------------------- issue 14: date, guardrails, wide tables


def _reference_caption(url: str) -> str:
    import datetime as dt

    from app.text.korean import format_korean_date

    day = dt.date.fromisoformat(str(_scalar(url, "select value from world_meta where key='reference_date'"))[:10])
    return f"기준일 {format_korean_date(day)}"


def test_every_employment_page_and_home_show_the_same_reference_date(hiring_env: str) -> None:
    expected = _reference_caption(hiring_env)
    for page, user in ((CASELOAD, _counsellor("emp-date-caseload")), (PROFILE, _counsellor("emp-date-profile")),
                       (POLICY, _policy("emp-date-policy")), ("../../pages/home.py", _policy("emp-date-home"))):
        at = run_page(page, user)
        _no_exception(at)
        shown = [c.value for c in at.caption if "기준일" in c.value]
        assert shown and all(expected in c for c in shown), (page, shown)
        assert not re.search(r"기준일 \d{4}-\d{2}-\d{2}", texts(at))  # Korean date format only


def test_profile_states_days_since_registration_against_the_reference_date(
    hiring_env: str, hiring_built: tuple[str, Path]
) -> None:
    at = run_page(PROFILE, _counsellor("emp-date-days"))
    _no_exception(at)
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    expected = _caseload(*hiring_built).set_index("id").loc[seeker, "days_since_registration"]
    assert any(f"등록 후 {int(expected)}일째" in c.value for c in at.caption)


def test_caseload_key_columns_first_and_actionable_sort(hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    at = run_page(CASELOAD, _counsellor("emp-sort"))
    _no_exception(at)
    table = frame_with(at, "성명(마스킹)")
    assert list(table.columns[:4]) == ["구직자 번호", "위험도", "180일 내 취업확률", "주요 조치 가능 요인"]
    assert "조치 불가 요인" in texts(at)  # said where the non-actionable factors went
    assert not set(table["주요 조치 가능 요인"]) & {"연령", "학력", "경력"}
    at.selectbox(key="employment.caseload.sort").set_value("actionable").run()
    _no_exception(at)
    ordered = frame_with(at, "성명(마스킹)")
    expected = _caseload(*hiring_built).sort_values(["actionable_effect", "probability", "id"], kind="stable")
    assert ordered["구직자 번호"].tolist() == expected["id"].astype(int).head(len(ordered)).tolist()
    assert ordered["주요 조치 가능 요인"].iloc[0] != "없음"


def test_profile_lists_each_services_reason_in_full_and_a_safe_placeholder(hiring_env: str) -> None:
    at = run_page(PROFILE, _counsellor("emp-services-reasons"))
    _no_exception(at)
    services = _frame(at, "예상 효과")
    assert "근거" not in services.columns  # long sentences are written out below the table
    reasons = next(m.value for m in at.markdown if m.value.startswith("1. **"))
    assert len(reasons.split("\n")) >= len(services)
    box = at.text_area(key="employment.override.reason")
    assert "건강" not in (box.placeholder or "") and "개인정보" in box.label


def test_policy_warns_when_the_high_risk_band_misses_most_of_those_at_risk(hiring_env: str,
                                                                           hiring_built: tuple[str, Path]) -> None:
    from app.ml.employment import load_employment_model

    model = load_employment_model(hiring_built[1])
    frame = model.audit_frame
    not_employed = frame["employed"].to_numpy(int) == 0
    p = frame["probability"].to_numpy(float)
    at = run_page(POLICY, _policy("emp-policy-recall"))
    _no_exception(at)

    def recall(cut: int) -> float:
        return float(((p < cut / 100) & not_employed).sum() / not_employed.sum())

    high = at.slider(key="employment.policy.high").value
    assert _metric(at, "재현율") == f"{recall(high):.1%}"
    warned = [w.value for w in at.warning if "재현율" in w.value]
    assert bool(warned) == (recall(high) < 0.5)
    # a cutoff catching most of them: no warning; the chosen row is marked in the table
    wide = next(c for c in range(high, 61) if recall(c) >= 0.5)
    at.slider(key="employment.policy.low").set_value(max(wide + 5, at.slider(key="employment.policy.low").value)).run()
    at.slider(key="employment.policy.high").set_value(wide).run()
    _no_exception(at)
    assert not [w.value for w in at.warning if "재현율" in w.value]
    table = _frame(at, "고위험 기준")
    assert table["고위험 기준"].str.startswith("▶").sum() == 1
    assert _metric(at, "상담 부담") == f"{int((_caseload(*hiring_built)['probability'] < wide / 100).sum()):,}명"


def test_profile_shows_three_recommended_courses_when_switched_on_logged_first(
        hiring_env: str, hiring_built: tuple[str, Path]) -> None:
    from app.auth import User
    from app.db.engine import make_engine
    from app.services import training
    from app.text.markdown import escape_markdown

    user = "emp-training"
    at = run_page(PROFILE, _counsellor(user))
    _no_exception(at)
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    assert "추천 훈련" in [s.value for s in at.subheader]
    assert not at.toggle(key="employment.training").value  # computed only when asked for
    assert _audit_rows(hiring_env, user, "training.profile") == 0

    at.toggle(key="employment.training").set_value(True).run()
    _no_exception(at)
    engine = make_engine(hiring_env)
    try:
        rec = training.recommend_for_seeker(engine, training.load_training_artifact(hiring_built[1]),
                                            User(user, "상담사", "counsellor"), seeker, top=3)
    finally:
        engine.dispose()
    assert 0 < len(rec.courses) <= 3
    headings = [m.value for m in at.markdown if re.match(r"\*\*\d\. ", m.value)]
    assert headings == [f"**{int(r['rank'])}. {escape_markdown(str(r['title']))}**" for r in rec.courses.to_dict("records")]
    (notice,) = [c.value for c in at.caption if c.value.startswith("AI 추천 결과입니다")]
    assert f"직업훈련추천 모델 {rec.model_version}" in notice
    rows = _rows(hiring_env, "select model_name, model_version, output from audit_log where username=:u and "
                             "action='training.profile'", u=user)
    assert [(r[0], r[1]) for r in rows] == [(training.MODEL_NAME, rec.model_version)]
    assert [c["course_id"] for c in json.loads(rows[0][2])["courses"]] == rec.courses["course_id"].tolist()
    # the way to the full list (훈련 추천) for this seeker
    assert at.button(key="training.profile.open").label == "훈련 추천에서 전체 과정 보기"
