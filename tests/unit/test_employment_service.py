"""Employment-success services (caseload, profile, what-if, overrides, risk bands, policy views)
on a private copy of the session's built small world (:func:`tests.conftest.hiring_built`)."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import logit
from sqlalchemy import Engine, text

from app.db.engine import make_engine
from app.db.rrn import load_rrn_cipher
from app.ml.employment import EmploymentModel, load_employment_model
from app.ml.employment_features import FEATURES, HORIZON_DAYS
from app.reference.codes import SERVICE_LABELS, SERVICES
from app.services import employment as emp
from app.services.employment.reasons import (
    FACTOR_ORDER,
    effect_reason,
    factor_sentence,
    factor_table,
    group_contributions,
)
from tests.conftest import copy_world_database

pytestmark = pytest.mark.filterwarnings("ignore:LightGBM binary classifier:UserWarning")
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RRN_RE = re.compile(r"\d{6}-\d{7}")
PHONE_RE = re.compile(r"01\d-\d{3,4}-\d{4}")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PII_COLUMNS = ("name", "rrn", "phone", "email", "address", "birth_date")
HANGUL = re.compile("[가-힣]")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def template_db(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built world with no overrides and no band settings.

    The session's database is shared with the page tests, which write both tables; this module
    reads and writes only its own copies. The model artifacts do not depend on those tables.
    """
    url, _ = hiring_built
    path = tmp_path_factory.mktemp("employment_service") / "template.db"
    return copy_world_database(url, path, empty=("risk_overrides", "risk_band_settings"))


@pytest.fixture(scope="module")
def engine(template_db: Path) -> Iterator[Engine]:
    """Read-only engine on the template (nothing in this module writes through it)."""
    engine = make_engine(f"sqlite:///{template_db}")
    yield engine
    engine.dispose()


@pytest.fixture
def store(template_db: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh copy of the template for one test that writes overrides or band settings."""
    path = tmp_path / "store.db"
    shutil.copyfile(template_db, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def model(hiring_built: tuple[str, Path]) -> EmploymentModel:
    return load_employment_model(hiring_built[1])


@pytest.fixture(scope="module")
def bands() -> emp.RiskBands:
    return emp.RiskBands()


@pytest.fixture(scope="module")
def scored(engine: Engine, model: EmploymentModel, bands: emp.RiskBands) -> pd.DataFrame:
    return emp.score_caseload(engine, model, bands)


@pytest.fixture(scope="module")
def profile_ids(scored: pd.DataFrame) -> list[int]:
    """Caseload seekers covering the cases: lowest and highest probability, no service, some
    service, training already completed."""
    services = scored[[f"svc_{s}" for s in SERVICES]].sum(axis=1)
    picks = [
        scored["id"].iloc[0],
        scored["id"].iloc[-1],
        scored["id"].iloc[len(scored) // 2],
        scored.loc[services == 0, "id"].iloc[0],
        scored.loc[services >= 2, "id"].iloc[0],
        scored.loc[scored["svc_training"] == 1, "id"].iloc[0],
    ]
    return list(dict.fromkeys(int(i) for i in picks))


@pytest.fixture(scope="module")
def profiles(engine: Engine, model: EmploymentModel, bands: emp.RiskBands, profile_ids: list[int]) -> list[emp.SeekerProfile]:
    return [emp.seeker_profile(engine, model, i, bands) for i in profile_ids]


def _seeker_row(engine: Engine, seeker_id: int) -> dict[str, str]:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT name, rrn_encrypted AS rrn, phone, email, address, birth_date, resume_text, cover_letter_text "
                 "FROM seekers WHERE id = :id"), {"id": seeker_id}
        ).mappings().one()
    values = {k: str(v) for k, v in row.items()}
    values["rrn"] = load_rrn_cipher().decrypt(values["rrn"])  # encrypted at rest; the plain number must not leak
    return values


def _expected_caseload(engine: Engine, as_of: dt.date) -> dict[int, int]:
    """Seeker id → days since registration of the open caseload, straight from the tables."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT s.id, s.registered_on, o.employed_180d, o.days_to_employment "
                 "FROM seekers s JOIN seeker_outcomes o ON o.seeker_id = s.id")
        ).all()
    expected = {}
    for seeker_id, registered, employed, days in rows:
        elapsed = (as_of - dt.date.fromisoformat(str(registered)[:10])).days
        if not 0 <= elapsed < HORIZON_DAYS:
            continue
        if bool(employed) and days is not None and int(days) <= elapsed:
            continue  # already employed on the caseload date
        expected[int(seeker_id)] = elapsed
    return expected


def _override(engine: Engine, seeker_id: int, model_band: str, override_band: str, *, username: str = "counsellor_1",
              reason: str = "상담 결과 실제 상황이 다릅니다") -> None:
    emp.save_override(engine, seeker_id=seeker_id, username=username, model_band=model_band,
                      override_band=override_band, probability=0.3, model_version="1.0", reason=reason)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())  # fixed names


# --------------------------------------------------------------------------- caseload


def test_caseload_is_exactly_the_open_caseload(engine: Engine, model: EmploymentModel, scored: pd.DataFrame) -> None:
    expected = _expected_caseload(engine, pd.Timestamp(model.as_of).date())
    assert len(expected) >= 50  # the small world has a real caseload
    assert scored["id"].is_unique
    assert set(scored["id"].astype(int)) == set(expected)
    days = dict(zip(scored["id"].astype(int), scored["days_since_registration"].astype(int), strict=True))
    assert days == expected
    # outcomes after the caseload date are unknown to a counsellor then: they are not in the rows
    assert not {"employed_180d", "days_to_employment"} & set(scored.columns)


def test_caseload_probabilities_bands_and_order(scored: pd.DataFrame, model: EmploymentModel, bands: emp.RiskBands) -> None:
    p, low, high, now = (scored[c].to_numpy(float) for c in
                         ("probability", "probability_low", "probability_high", "probability_now"))
    assert ((p >= 0) & (p <= 1)).all() and ((low >= 0) & (high <= 1)).all()
    assert (low <= p + 1e-12).all() and (p <= high + 1e-12).all()
    assert (high - low > 0).mean() > 0.9  # a real interval, not a point
    # still searching lowers the chance: p(1 - G(d)) / (1 - p G(d))
    g = model.timing_cdf[scored["days_since_registration"].to_numpy(int)]
    np.testing.assert_allclose(now, p * (1 - g) / (1 - p * g), rtol=0, atol=1e-12)
    assert (now <= p + 1e-12).all()
    assert (now[g > 0] < p[g > 0]).all() and (g > 0).sum() > len(scored) / 2
    assert list(scored["band"]) == list(bands.bands(p))
    assert set(scored["band"]) <= set(emp.RISK_BANDS) and (scored["band"] == "고위험").sum() > 0
    assert (np.diff(p) >= 0).all()  # highest risk first
    # no overrides in this copy: the final band is the model's
    assert (scored["override_band"] == "").all() and (scored["final_band"] == scored["band"]).all()
    main = scored["main_factor"]
    assert main.isin(list(FACTOR_ORDER) + [""]).all() and (main != "").mean() > 0.9


def test_caseload_main_factor_is_the_most_negative_factor(scored: pd.DataFrame, model: EmploymentModel) -> None:
    x = model.features(scored.head(10))
    values, _ = model.explain(x)
    grouped = group_contributions(values)
    for i in range(10):
        row = grouped.iloc[i]
        assert scored["main_factor"].iloc[i] == (row.idxmin() if row.min() < 0 else "")


def test_caseload_shows_masked_names_and_no_identifier(engine: Engine, scored: pd.DataFrame) -> None:
    assert not set(PII_COLUMNS) & set(scored.columns)
    with engine.connect() as conn:
        real = dict(conn.execute(text("SELECT id, name FROM seekers")).all())
    for seeker_id, masked in zip(scored["id"].astype(int), scored["masked_name"], strict=True):
        name = real[seeker_id]
        assert "○" in masked and masked != name and len(masked) == len(name) and masked[0] == name[0]
    cells = set(scored.astype(str).to_numpy().ravel())
    assert not cells & {real[i] for i in scored["id"].astype(int)}
    assert set(scored["desired_region"]) <= {"서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "충북",
                                             "충남", "전북", "전남", "경북", "경남", "제주", "강원"}


def test_filter_caseload_by_each_condition(scored: pd.DataFrame) -> None:
    everyone = emp.filter_caseload(scored, emp.CaseloadFilter())
    assert everyone.index.equals(scored.index)

    high = emp.filter_caseload(scored, emp.CaseloadFilter(bands=("고위험",)))
    assert len(high) == (scored["final_band"] == "고위험").sum() > 0 and (high["final_band"] == "고위험").all()
    two = emp.filter_caseload(scored, emp.CaseloadFilter(bands=("고위험", "중위험")))
    assert len(two) == scored["final_band"].isin(["고위험", "중위험"]).sum()

    regions = tuple(scored["desired_region_code"].value_counts().index[:2])
    by_region = emp.filter_caseload(scored, emp.CaseloadFilter(region_codes=regions))
    assert 0 < len(by_region) == scored["desired_region_code"].isin(regions).sum() < len(scored)
    assert by_region["desired_region_code"].isin(regions).all()

    prefix = str(scored["desired_keco"].iloc[0])[:1]
    by_keco = emp.filter_caseload(scored, emp.CaseloadFilter(keco_prefix=prefix))
    assert 0 < len(by_keco) == scored["desired_keco"].str.startswith(prefix).sum() < len(scored)
    by_keco3 = emp.filter_caseload(scored, emp.CaseloadFilter(keco_prefix=str(scored["desired_keco"].iloc[0])))
    assert (by_keco3["desired_keco"] == scored["desired_keco"].iloc[0]).all() and len(by_keco3) <= len(by_keco)

    seeker = int(scored["id"].iloc[3])
    for term in (str(seeker), f"#{seeker}", f"  #{seeker} "):
        found = emp.filter_caseload(scored, emp.CaseloadFilter(search=term))
        assert list(found["id"]) == [seeker]
    assert emp.filter_caseload(scored, emp.CaseloadFilter(search="99999999")).empty

    word = scored["desired_occupation"].value_counts().index[0].split()[0][:2]
    by_word = emp.filter_caseload(scored, emp.CaseloadFilter(search=word))
    assert 0 < len(by_word) == scored["desired_occupation"].str.contains(word, regex=False).sum() < len(scored)
    assert emp.filter_caseload(scored, emp.CaseloadFilter(search="없는직종이름")).empty

    late = emp.filter_caseload(scored, emp.CaseloadFilter(min_days=100))
    assert 0 < len(late) == (scored["days_since_registration"] >= 100).sum() < len(scored)
    assert (late["days_since_registration"] >= 100).all()

    both = emp.filter_caseload(scored, emp.CaseloadFilter(bands=("중위험",), min_days=60))
    assert len(both) == ((scored["final_band"] == "중위험") & (scored["days_since_registration"] >= 60)).sum()
    assert list(both.index) == sorted(both.index)  # order kept


def test_caseload_table_and_csv_hold_no_personal_data(engine: Engine, scored: pd.DataFrame) -> None:
    table = emp.caseload_table(scored)
    assert list(table.columns) == [
        "구직자 번호", "위험도", "180일 내 취업확률", "주요 조치 가능 요인", "조치 불가 요인(참고)", "성명(마스킹)", "연령",
        "희망 직종", "희망 지역", "등록 후 일수", "남은 기간 취업확률", "모델 판정", "상담사 조정",
    ]
    assert len(table) == len(scored) and list(table["구직자 번호"]) == list(scored["id"].astype(int))
    assert (table["180일 내 취업확률"] - scored["probability"]).abs().max() <= 5e-4
    data = emp.caseload_csv(scored)
    assert data.startswith(b"\xef\xbb\xbf")
    body = data.decode("utf-8-sig")
    assert not RRN_RE.search(body) and not PHONE_RE.search(body) and not EMAIL_RE.search(body)
    with engine.connect() as conn:
        people = conn.execute(text("SELECT id, name, phone, email FROM seekers")).all()
    caseload = set(scored["id"].astype(int))
    for seeker_id, name, phone, email in people:
        assert phone not in body and email not in body
        if seeker_id in caseload:
            assert name not in body
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(table.columns) and len(back) == len(scored)
    assert back["성명(마스킹)"].str.contains("○").all()


# --------------------------------------------------------------------------- risk bands


@pytest.mark.parametrize(("high_below", "low_from"), [(0.0, 0.4), (0.4, 0.2), (0.3, 0.3), (0.2, 1.0), (-0.1, 0.4)])
def test_risk_bands_must_be_ordered_inside_0_1(high_below: float, low_from: float) -> None:
    with pytest.raises(emp.InvalidBands, match="위험 기준은 0 < 고위험 기준 < 저위험 기준 < 1 이어야 합니다"):
        emp.RiskBands(high_below=high_below, low_from=low_from)


def test_risk_band_boundaries_and_description() -> None:
    bands = emp.RiskBands(high_below=0.25, low_from=0.5)
    assert [bands.band(p) for p in (0.0, 0.2499, 0.25, 0.4999, 0.5, 1.0)] == [
        "고위험", "고위험", "중위험", "중위험", "저위험", "저위험"]
    assert list(bands.bands(np.array([0.1, 0.25, 0.5]))) == ["고위험", "중위험", "저위험"]
    assert bands.describe() == "고위험 25% 미만 · 중위험 25–50% · 저위험 50% 이상"
    default = emp.RiskBands()
    assert (default.high_below, default.low_from, default.set_by, default.at) == (0.20, 0.40, "기본값", None)
    assert default.describe() == "고위험 20% 미만 · 중위험 20–40% · 저위험 40% 이상"
    assert default.band(0.2) == "중위험" and default.band(0.4) == "저위험" and default.band(0.1999) == "고위험"


def test_band_settings_are_saved_newest_first_and_bad_ones_write_nothing(store: Engine) -> None:
    assert emp.load_risk_bands(store) == emp.RiskBands() and emp.load_band_history(store).empty
    first = emp.save_risk_bands(store, high_below=0.15, low_from=0.35, username="policy_a", note="첫 설정")
    second = emp.save_risk_bands(store, high_below=0.25, low_from=0.45, username="policy_b", note="  예산 확대  ")
    assert first.at is not None and second.at >= first.at
    loaded = emp.load_risk_bands(store)
    assert (loaded.high_below, loaded.low_from, loaded.set_by, loaded.note) == (0.25, 0.45, "policy_b", "예산 확대")
    assert loaded.at == second.at
    history = emp.load_band_history(store)
    assert list(history.columns) == ["at", "username", "high_below", "low_from", "note"]
    assert list(history["username"]) == ["policy_b", "policy_a"] and list(history["high_below"]) == [0.25, 0.15]

    for high, low, note in ((0.5, 0.3, ""), (0.0, 0.4, ""), (0.2, 1.2, ""), (float("nan"), 0.4, ""),
                            (0.2, 0.4, "가" * 301)):
        with pytest.raises(emp.InvalidBands) as err:
            emp.save_risk_bands(store, high_below=high, low_from=low, username="policy_c", note=note)
        assert HANGUL.search(str(err.value))
    for high in ("abc", None):  # not a number at all (the Korean message is checked below)
        with pytest.raises(emp.InvalidBands):
            emp.save_risk_bands(store, high_below=high, low_from=0.4, username="policy_c")
    assert _count(store, "risk_band_settings") == 2
    assert emp.load_risk_bands(store).set_by == "policy_b"
    emp.save_risk_bands(store, high_below=0.2, low_from=0.4, username="policy_c", note="가" * 300)  # the limit itself
    assert _count(store, "risk_band_settings") == 3 and emp.load_risk_bands(store).set_by == "policy_c"


@pytest.mark.parametrize("value", ["abc", None])
def test_non_numeric_band_threshold_is_refused_in_korean(store: Engine, value: object) -> None:
    with pytest.raises(emp.InvalidBands) as err:
        emp.save_risk_bands(store, high_below=value, low_from=0.4, username="policy_c")
    assert HANGUL.search(str(err.value)), str(err.value)


def test_caseload_bands_follow_the_thresholds_in_force(store: Engine, model: EmploymentModel) -> None:
    emp.save_risk_bands(store, high_below=0.3, low_from=0.5, username="policy_a")
    bands = emp.load_risk_bands(store)
    scored = emp.score_caseload(store, model, bands)
    p = scored["probability"].to_numpy()
    assert list(scored["band"]) == ["고위험" if v < 0.3 else "저위험" if v >= 0.5 else "중위험" for v in p]
    shares = emp.band_shares(scored, bands)
    assert shares.loc[0, "n"] == (p < 0.3).sum() > 0


# --------------------------------------------------------------------------- overrides


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": "짧아요"}, "조정 사유를 5~300자로"),
        ({"reason": "    가나    "}, "조정 사유를 5~300자로"),
        ({"reason": "가" * 301}, "조정 사유를 5~300자로"),
        ({"override_band": "중위험"}, "모델 판정과 같은 위험도입니다"),
        ({"override_band": "최고위험"}, "위험도는 고위험, 중위험, 저위험 중 하나여야 합니다"),
        ({"model_band": "high"}, "위험도는 고위험, 중위험, 저위험 중 하나여야 합니다"),
    ],
)
def test_invalid_overrides_write_nothing(store: Engine, scored: pd.DataFrame, changes: dict, message: str) -> None:
    kwargs = {"seeker_id": int(scored["id"].iloc[0]), "username": "counsellor_1", "model_band": "중위험",
              "override_band": "고위험", "probability": 0.25, "model_version": "1.0", "reason": "상담 결과 위험이 큽니다"}
    kwargs.update(changes)
    with pytest.raises(emp.InvalidOverride, match=message):
        emp.save_override(store, **kwargs)
    assert _count(store, "risk_overrides") == 0


def test_override_of_an_unknown_seeker_writes_nothing(store: Engine) -> None:
    with pytest.raises(emp.SeekerNotFound, match="구직자 #987654321을\\(를\\) 찾을 수 없습니다"):
        _override(store, 987654321, "중위험", "고위험")
    assert _count(store, "risk_overrides") == 0


def test_valid_override_is_stored_with_a_masked_reason(store: Engine, scored: pd.DataFrame) -> None:
    seeker = int(scored["id"].iloc[0])
    reason = "  보호자 연락처 010-1234-5678로 확인, 실제 구직 의지 낮음  "
    _override(store, seeker, "중위험", "고위험", reason=reason)
    _override(store, seeker, "중위험", "저위험", reason="가나다라마")  # exactly the shortest reason
    _override(store, int(scored["id"].iloc[1]), "고위험", "중위험", reason="나" * 300)  # exactly the longest
    stored = emp.load_overrides(store, seeker)
    assert list(stored.columns) == ["id", "seeker_id", "username", "at", "model_band", "override_band", "probability",
                                    "model_version", "reason"]
    assert list(stored["override_band"]) == ["저위험", "고위험"]  # newest first
    masked = stored["reason"].iloc[1]
    assert "010-****-5678" in masked and "1234" not in masked and not masked.startswith(" ")
    assert masked == "보호자 연락처 010-****-5678로 확인, 실제 구직 의지 낮음"
    assert len(emp.load_overrides(store)) == 3 and emp.load_overrides(store, int(scored["id"].iloc[2])).empty
    assert emp.latest_overrides(store) == {seeker: "저위험", int(scored["id"].iloc[1]): "중위험"}


def test_override_report_counts_directions_and_transitions(store: Engine, scored: pd.DataFrame) -> None:
    empty = emp.override_report(store)
    assert (empty.n_overrides, empty.n_seekers, empty.raised, empty.lowered) == (0, 0, 0, 0)
    assert empty.transitions.shape == (3, 3) and int(empty.transitions.to_numpy().sum()) == 0

    a, b, c = (int(i) for i in scored["id"].iloc[:3])
    _override(store, a, "중위험", "고위험")  # raised
    _override(store, a, "중위험", "저위험")  # lowered (newest for a)
    _override(store, b, "고위험", "저위험", username="counsellor_2")  # lowered two steps
    _override(store, c, "저위험", "중위험", username="counsellor_2")  # raised
    _override(store, c, "고위험", "중위험", username="counsellor_2")  # lowered (newest for c)
    report = emp.override_report(store)
    assert (report.n_overrides, report.n_seekers, report.raised, report.lowered) == (5, 3, 2, 3)
    expected = pd.DataFrame(0, index=list(emp.RISK_BANDS), columns=list(emp.RISK_BANDS))
    expected.loc["중위험", "고위험"] = expected.loc["중위험", "저위험"] = expected.loc["고위험", "저위험"] = 1
    expected.loc["저위험", "중위험"] = expected.loc["고위험", "중위험"] = 1
    assert list(report.transitions.index) == list(emp.RISK_BANDS) == list(report.transitions.columns)
    np.testing.assert_array_equal(report.transitions.to_numpy(), expected.to_numpy())
    assert (report.transitions.index.name, report.transitions.columns.name) == ("모델 판정", "상담사 조정")
    by = report.by_counsellor.set_index("username")
    assert by.loc["counsellor_1", ["n", "raised", "lowered"]].tolist() == [2, 1, 1]
    assert by.loc["counsellor_2", ["n", "raised", "lowered"]].tolist() == [3, 1, 2]
    assert emp.latest_overrides(store) == {a: "저위험", b: "저위험", c: "중위험"}


def test_caseload_shows_the_newest_override_next_to_the_model_band(
    store: Engine, model: EmploymentModel, bands: emp.RiskBands, scored: pd.DataFrame
) -> None:
    seeker = int(scored["id"].iloc[0])
    model_band = str(scored["band"].iloc[0])
    others = [b for b in emp.RISK_BANDS if b != model_band]
    _override(store, seeker, model_band, others[0])
    _override(store, seeker, model_band, others[1])
    again = emp.score_caseload(store, model, bands).set_index("id")
    assert again.loc[seeker, "band"] == model_band
    assert again.loc[seeker, "override_band"] == others[1] == again.loc[seeker, "final_band"]
    rest = again.drop(index=seeker)
    assert (rest["final_band"] == rest["band"]).all() and (rest["override_band"] == "").all()
    assert len(emp.filter_caseload(again.reset_index(), emp.CaseloadFilter(bands=(others[1],)))) == (
        (scored["band"] == others[1]).sum() + 1)
    profile = emp.seeker_profile(store, model, seeker, bands)
    assert profile.override is not None and profile.override["override_band"] == others[1]


# --------------------------------------------------------------------------- one seeker


def test_profile_matches_the_caseload_row(profiles: list[emp.SeekerProfile], scored: pd.DataFrame,
                                          model: EmploymentModel) -> None:
    rows = scored.set_index("id")
    for profile in profiles:
        row = rows.loc[profile.seeker_id]
        assert profile.probability == pytest.approx(float(row["probability"]), abs=1e-12)
        assert profile.probability_now == pytest.approx(float(row["probability_now"]), abs=1e-12)
        assert profile.probability_low <= profile.probability <= profile.probability_high
        assert profile.band == row["band"] and profile.days_since_registration == row["days_since_registration"]
        assert profile.override is None and profile.model_version == str(model.version)
        assert re.fullmatch("[0-9a-f]{64}", profile.input_hash)
        assert not {"sex", "disability", "region_code"} & set(profile.record)
        assert "ECE" in profile.calibration_note
    assert len({p.input_hash for p in profiles}) == len(profiles)


def test_profile_summary_and_documents_hold_no_raw_personal_data(engine: Engine,
                                                                  profiles: list[emp.SeekerProfile]) -> None:
    held = dict.fromkeys(("name", "rrn", "phone", "email", "address"), 0)
    for profile in profiles:
        raw = _seeker_row(engine, profile.seeker_id)
        identifiers = [raw[k] for k in held]
        for key in held:  # what the stored résumé holds, so that the masking has something to do
            held[key] += raw[key] in raw["resume_text"]
        summary = profile.summary
        assert summary["성명"] == profile.documents.masked_name and "○" in summary["성명"]
        assert set(summary) == {"성명", "연령", "학력", "경력", "희망 직종", "희망 임금", "희망 지역", "구직급여", "자격증",
                                "등록일", "받은 서비스"}
        for value in summary.values():
            assert not any(v in value for v in identifiers), value
        texts = [profile.documents.resume, profile.documents.cover_letter] + [t for _, t in profile.documents.notes]
        for body in texts:
            assert not any(v in body for v in identifiers)
            assert not RRN_RE.search(body) and not PHONE_RE.search(body)
        assert "****" in profile.documents.resume
        assert [d for d, _ in profile.documents.notes] == sorted(d for d, _ in profile.documents.notes)
    assert held["name"] == held["phone"] == len(profiles) and held["rrn"] > 0 and held["email"] > 0


def test_profile_factors_add_up_to_the_probability(profiles: list[emp.SeekerProfile]) -> None:
    for profile in profiles:
        factors = profile.factors
        assert list(factors.columns) == ["factor", "contribution", "sentence"]
        assert sorted(factors["factor"]) == sorted(FACTOR_ORDER)
        total = profile.base_logit + factors["contribution"].sum()
        assert total == pytest.approx(float(logit(profile.probability)), abs=1e-6)
        size = factors["contribution"].abs().to_numpy()
        assert (np.diff(size) <= 1e-15).all()
        for sentence in factors["sentence"]:
            assert sentence.strip() and HANGUL.search(sentence) and sentence.endswith("니다"), sentence
    assert profile.audit_output()["top_factors"] == list(profile.factors["factor"].head(3))


def test_profile_services_rank_effects_and_put_received_last(profiles: list[emp.SeekerProfile],
                                                              model: EmploymentModel) -> None:
    seen_received = seen_open = 0
    for profile in profiles:
        services = profile.services
        assert len(services) == 4 and sorted(services["service"]) == sorted(SERVICES)
        assert list(services["label"]) == [SERVICE_LABELS[s] for s in services["service"]]
        received = services["received"].to_numpy(bool)
        expected_received = [bool(int(profile.record[f"svc_{s}"])) for s in services["service"]]
        assert list(received) == expected_received
        assert list(received) == sorted(received)  # received ones last
        assert services.loc[received, "effect"].isna().all()
        open_ = services[~received]
        assert open_["effect"].notna().all() and (np.diff(open_["effect"].to_numpy()) <= 0).all()
        assert (open_["effect_low"] <= open_["effect"]).all() and (open_["effect"] <= open_["effect_high"]).all()
        assert services["propensity"].between(0, 1).all()
        assert (services.loc[received, "reason"] == "이미 받고 있는 서비스입니다").all()
        assert open_["reason"].str.len().gt(5).all()
        # the effect is the model's: service switched on minus off
        for r in open_.itertuples():
            x = profile.features.copy()
            on = model.predict_proba(x.assign(**{f"svc_{r.service}": 1.0}))[0]
            off = model.predict_proba(x.assign(**{f"svc_{r.service}": 0.0}))[0]
            assert r.effect == pytest.approx(on - off, abs=1e-12)
        seen_received += int(received.any())
        seen_open += int((~received).any())
    assert seen_received and seen_open


def test_profile_similar_past_seekers(profiles: list[emp.SeekerProfile], model: EmploymentModel) -> None:
    for profile in profiles:
        similar = profile.similar
        assert 0 < similar.n <= 30
        assert 0 <= similar.employed_rate <= 1
        assert math.isnan(similar.median_days) or 1 <= similar.median_days <= HORIZON_DAYS
        table = similar.by_service
        assert list(table["service"]) == list(SERVICES)
        assert ((table["n_received"] + table["n_not"]) == similar.n).all()
        for column in ("rate_received", "rate_not"):
            rates = table[column].dropna()
            assert rates.between(0, 1).all()
        assert table.loc[table["n_received"] == 0, "rate_received"].isna().all()
        mid = str(profile.record["desired_keco"])[:2]
        assert similar.same_group == bool((model.neighbours["desired_mid"] == mid).sum() >= similar.n)


def test_profile_of_a_seeker_outside_the_caseload(engine: Engine, model: EmploymentModel, bands: emp.RiskBands) -> None:
    with pytest.raises(emp.SeekerNotFound, match="구직자 #987654321을\\(를\\) 찾을 수 없습니다"):
        emp.seeker_profile(engine, model, 987654321, bands)
    cutoff = (pd.Timestamp(model.as_of) - pd.Timedelta(days=HORIZON_DAYS)).date().isoformat()
    as_of = pd.Timestamp(model.as_of).date().isoformat()
    with engine.connect() as conn:
        old = conn.execute(text("SELECT id FROM seekers WHERE registered_on <= :c ORDER BY id LIMIT 1"),
                           {"c": cutoff}).scalar_one()
        employed = conn.execute(
            text("SELECT s.id FROM seekers s JOIN seeker_outcomes o ON o.seeker_id = s.id WHERE s.registered_on > :c "
                 "AND o.employed_180d AND o.days_to_employment <= julianday(:a) - julianday(s.registered_on) "
                 "ORDER BY s.id LIMIT 1"), {"c": cutoff, "a": as_of}
        ).scalar_one()
    for seeker in (old, employed):
        with pytest.raises(emp.SeekerNotFound, match="현재 상담 대상\\(등록 후 180일 이내 미취업자\\)이 아닙니다"):
            emp.seeker_profile(engine, model, int(seeker), bands)


def test_profile_audit_output_is_figures_only(profiles: list[emp.SeekerProfile]) -> None:
    for profile in profiles:
        output = profile.audit_output()
        encoded = json.dumps(output, ensure_ascii=False)
        assert set(output) == {"probability", "probability_now", "band", "top_factors", "services"}
        assert not any(k in encoded for k in ('"name"', '"rrn"', '"phone"', '"email"', '"address"', "○"))
        assert output["probability"] == round(profile.probability, 6) and output["band"] == profile.band
        assert set(output["services"]) == set(SERVICES)
        for r in profile.services.itertuples():
            assert (output["services"][r.service] is None) == bool(r.received)


# --------------------------------------------------------------------------- what-if


def _same(profile: emp.SeekerProfile, **changes: object) -> emp.WhatIf:
    values = {"desired_wage": int(profile.record["desired_wage"]), "region_flexible": bool(profile.record["region_flexible"]),
              "complete_training": False, "extra_certificates": 0}
    values.update(changes)
    return emp.WhatIf(**values)  # type: ignore[arg-type]


def test_whatif_without_change_reproduces_the_profile(model: EmploymentModel, profiles: list[emp.SeekerProfile]) -> None:
    for profile in profiles:
        result = emp.whatif(model, profile, _same(profile))
        assert result.change == pytest.approx(0.0, abs=1e-12)
        assert result.probability == pytest.approx(profile.probability, abs=1e-12)
        assert result.probability_now == pytest.approx(profile.probability_now, abs=1e-12)
        assert result.base_logit + result.factors["contribution"].sum() == pytest.approx(
            float(logit(result.probability)), abs=1e-6)
        # an untouched what-if is the profile's input: the same hash, so it is not audit-logged twice
        assert result.input_hash == profile.input_hash
        changed = emp.whatif(model, profile, _same(profile, region_flexible=not profile.record["region_flexible"]))
        assert changed.input_hash != profile.input_hash


@PROPERTY
@given(index=st.integers(0, 5), wages=st.lists(st.integers(50, 3000), min_size=2, max_size=2, unique=True),
       flexible=st.booleans())
def test_lowering_the_desired_wage_never_lowers_the_probability(
    model: EmploymentModel, profiles: list[emp.SeekerProfile], index: int, wages: list[int], flexible: bool
) -> None:
    profile = profiles[index % len(profiles)]
    low, high = sorted(w * 10_000 for w in wages)
    p_low = emp.whatif(model, profile, _same(profile, desired_wage=low, region_flexible=flexible))
    p_high = emp.whatif(model, profile, _same(profile, desired_wage=high, region_flexible=flexible))
    assert p_low.probability >= p_high.probability - 1e-12
    assert p_low.probability_now >= p_high.probability_now - 1e-12
    assert p_low.change == pytest.approx(p_low.probability - profile.probability, abs=1e-12)


def test_lowering_the_wage_far_below_the_market_raises_the_probability(
    model: EmploymentModel, profiles: list[emp.SeekerProfile]
) -> None:
    raised = [emp.whatif(model, p, _same(p, desired_wage=emp.MIN_DESIRED_WAGE)).change for p in profiles]
    assert min(raised) >= -1e-12 and max(raised) > 0.01


def test_region_flexibility_never_lowers_the_probability(model: EmploymentModel, profiles: list[emp.SeekerProfile]) -> None:
    gains = []
    for profile in profiles:
        for wage in (1_500_000, int(profile.record["desired_wage"]), 6_000_000):
            rigid = emp.whatif(model, profile, _same(profile, desired_wage=wage, region_flexible=False))
            flexible = emp.whatif(model, profile, _same(profile, desired_wage=wage, region_flexible=True))
            assert flexible.probability >= rigid.probability - 1e-12
            gains.append(flexible.probability - rigid.probability)
    assert max(gains) > 0


def test_completing_training_adds_exactly_the_training_effect(
    model: EmploymentModel, profiles: list[emp.SeekerProfile]
) -> None:
    checked = 0
    for profile in profiles:
        result = emp.whatif(model, profile, _same(profile, complete_training=True))
        row = profile.services.set_index("service").loc["training"]
        if row["received"]:
            assert result.change == pytest.approx(0.0, abs=1e-12)  # already completed: nothing changes
        else:
            assert result.change == pytest.approx(float(row["effect"]), abs=1e-9)
            checked += 1
    assert checked >= 3


def test_extra_certificates_never_lower_the_probability(
    engine: Engine, model: EmploymentModel, bands: emp.RiskBands, scored: pd.DataFrame
) -> None:
    for seeker in scored["id"].head(10).astype(int):
        profile = emp.seeker_profile(engine, model, seeker, bands)
        base = emp.whatif(model, profile, _same(profile)).probability
        for extra in range(1, emp.MAX_EXTRA_CERTIFICATES + 1):
            assert emp.whatif(model, profile, _same(profile, extra_certificates=extra)).probability >= base - 1e-12


def test_extra_relevant_certificates_alone_never_lower_the_model_probability(
    model: EmploymentModel, scored: pd.DataFrame
) -> None:
    """The monotone constraint the what-if relies on: more *relevant* certificates never hurt."""
    x = model.features(scored)
    base = model.predict_proba(x)
    for extra in (1, 2, 3):
        more = x.assign(n_relevant_certificates=x["n_relevant_certificates"] + extra)
        assert (model.predict_proba(more) >= base - 1e-12).all()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"desired_wage": 100}, "희망임금은 월 50만원~3,000만원이어야 합니다 \\(입력값: 100원\\)"),
        ({"desired_wage": 499_999}, "희망임금은 월"),
        ({"desired_wage": 30_000_001}, "희망임금은 월"),
        ({"extra_certificates": 7}, "추가 자격증은 0~3개여야 합니다 \\(입력값: 7\\)"),
        ({"extra_certificates": -1}, "추가 자격증은 0~3개여야 합니다"),
    ],
)
def test_invalid_whatif_is_refused_in_korean(changes: dict, message: str) -> None:
    values = {"desired_wage": 2_500_000, "region_flexible": False, "complete_training": False, "extra_certificates": 0}
    values.update(changes)
    with pytest.raises(emp.InvalidWhatIf, match=message):
        emp.WhatIf(**values)  # type: ignore[arg-type]


def test_whatif_limits_themselves_are_valid() -> None:
    assert emp.WhatIf(emp.MIN_DESIRED_WAGE, False, False, 0).desired_wage == 500_000
    assert emp.WhatIf(emp.MAX_DESIRED_WAGE, True, True, emp.MAX_EXTRA_CERTIFICATES).extra_certificates == 3


# --------------------------------------------------------------------------- policy views


def test_band_shares_sum_to_one_and_count_the_bands(scored: pd.DataFrame) -> None:
    for bands in (emp.RiskBands(), emp.RiskBands(high_below=0.25, low_from=0.3)):
        for column in ("probability", "probability_now"):
            shares = emp.band_shares(scored, bands, column=column)
            labels = pd.Series(bands.bands(scored[column].to_numpy()))
            assert list(shares["band"]) == list(emp.RISK_BANDS)
            assert list(shares["n"]) == [int((labels == b).sum()) for b in emp.RISK_BANDS]
            assert shares["n"].sum() == len(scored) and shares["share"].sum() == pytest.approx(1.0)
    now = emp.band_shares(scored, emp.RiskBands(), column="probability_now")
    at_registration = emp.band_shares(scored, emp.RiskBands())
    assert now.loc[0, "n"] > at_registration.loc[0, "n"]  # still searching: more seekers look high-risk
    empty = emp.band_shares(scored.iloc[:0], emp.RiskBands())
    assert list(empty["n"]) == [0, 0, 0] and list(empty["share"]) == [0.0, 0.0, 0.0]


def test_caseload_aggregates_by_region_and_occupation(scored: pd.DataFrame) -> None:
    region = emp.caseload_aggregates(scored, "region")
    assert list(region.columns) == ["group", "n", "mean_probability", "high_risk_share", "mean_days"]
    assert region["n"].sum() == len(scored) and set(region["group"]) == set(scored["desired_region"])
    assert (np.diff(region["mean_probability"].to_numpy()) >= 0).all()
    top = region.iloc[0]
    rows = scored[scored["desired_region"] == top["group"]]
    assert top["n"] == len(rows)
    assert top["mean_probability"] == pytest.approx(rows["probability"].mean())
    assert top["high_risk_share"] == pytest.approx((rows["final_band"] == "고위험").mean())
    assert top["mean_days"] == pytest.approx(rows["days_since_registration"].mean())
    occupation = emp.caseload_aggregates(scored, "occupation")
    assert occupation["n"].sum() == len(scored) and 1 < len(occupation) <= 10
    assert occupation["high_risk_share"].between(0, 1).all()
    assert "보건·의료직" in set(occupation["group"]) or "경영·사무·금융·보험직" in set(occupation["group"])
    with pytest.raises(ValueError, match="집계 기준은 region, occupation 중 하나여야 합니다 \\(입력값: sex\\)"):
        emp.caseload_aggregates(scored, "sex")


def test_fairness_reports_cover_both_models_and_four_attributes(model: EmploymentModel) -> None:
    bands = emp.RiskBands()
    reports = emp.fairness_reports(model, bands, tolerance=0.05, min_group_size=10)
    assert set(reports) == {"main", "age_blind"}
    frame = model.audit_frame
    for name, column in (("main", "probability"), ("age_blind", "probability_age_blind")):
        report = reports[name]
        assert set(report.by_group["attribute"]) == {"sex", "age_band", "disability", "region"}
        sizes = report.by_group.groupby("attribute")["n"].sum()
        assert (sizes == len(frame)).all()
        assert report.overall["n"] == len(frame)
        assert report.overall["high_risk_share"] == pytest.approx((frame[column] < bands.high_below).mean())
        assert report.overall["mean_probability"] == pytest.approx(frame[column].mean())
        assert report.tolerance == 0.05 and report.min_group_size == 10
    assert not reports["main"].overall["mean_probability"] == reports["age_blind"].overall["mean_probability"]


def test_threshold_tradeoff_rows_per_threshold(model: EmploymentModel) -> None:
    thresholds = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5]
    table = emp.threshold_tradeoff(model, thresholds, min_group_size=10)
    assert list(table["threshold"]) == thresholds
    shares = table["high_risk_share"].to_numpy()
    assert (np.diff(shares) >= 0).all() and shares[-1] > shares[0]
    p = model.audit_frame["probability"].to_numpy()
    np.testing.assert_allclose(shares, [(p < t).mean() for t in thresholds])
    assert table["recall"].dropna().between(0, 1).all()


def _reference_date_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reference date with nobody open (the one function every caseload computation reads)."""
    monkeypatch.setattr("app.db.repositories.world.load_reference_date", lambda engine: dt.date(2099, 1, 1))


def test_empty_caseload_keeps_the_table_working(engine: Engine, model: EmploymentModel, bands: emp.RiskBands,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanity of the degenerate case: a caseload date with nobody open still gives usable shares."""
    _reference_date_later(monkeypatch)
    scored = emp.score_caseload(engine, model, bands)
    assert scored.empty
    assert list(emp.band_shares(scored, bands)["n"]) == [0, 0, 0]


def test_empty_caseload_has_the_documented_columns(engine: Engine, model: EmploymentModel, bands: emp.RiskBands,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _reference_date_later(monkeypatch)
    scored = emp.score_caseload(engine, model, bands)
    for column in ("probability", "probability_now", "band", "masked_name", "override_band", "final_band",
                   "desired_occupation", "desired_region"):
        assert column in scored.columns
    assert emp.caseload_table(scored).empty
    assert emp.filter_caseload(scored, emp.CaseloadFilter(bands=("고위험",))).empty
    assert emp.caseload_aggregates(scored, "region").empty


# --------------------------------------------------------------------------- sentences

RECORD = {"age": 45, "education": "고졸", "career_years": 6.0, "last_keco": "304", "desired_keco": "304",
          "desired_wage": 3_000_000, "desired_region_code": "11", "benefit_status": True, "region_flexible": False}
FEATURES_ROW = {"same_occupation": 1.0, "log_region_demand": 0.3, "log_occupation_demand": -0.4,
                "n_relevant_certificates": 2.0, "n_certificates": 3.0, "n_skills": 4.0, "svc_training": 1.0,
                "svc_matching": 0.0, "svc_nes": 0.0, "svc_counselling": 0.0}
OTHER_RECORD = dict(RECORD, career_years=0.0, benefit_status=False, region_flexible=True, desired_wage=2_000_000)
OTHER_FEATURES = dict(FEATURES_ROW, same_occupation=0.0, log_region_demand=-0.3, log_occupation_demand=0.05,
                      n_relevant_certificates=0.0, n_certificates=2.0)
MARKET = 2_500_000.0


@pytest.mark.parametrize(
    ("factor", "contribution", "other", "expected"),
    [
        # desired wage 20% above the market: the fact is the cause only when it lowers the chance
        ("희망임금(시장 대비)", -0.2, False,
         "희망임금(월 300만원)이 희망 직종·지역 시장임금(월 250만원)보다 20% 높아 취업확률을 낮춥니다"),
        ("희망임금(시장 대비)", 0.2, False, "희망임금 수준(시장임금 대비 +20%)이 취업확률을 높입니다"),
        ("희망임금(시장 대비)", 0.04, True,
         "희망임금(월 200만원)이 희망 직종·지역 시장임금(월 250만원)보다 20% 낮아 취업확률을 조금 높입니다"),
        ("희망임금(시장 대비)", -0.5, True, "희망임금 수준(시장임금 대비 -20%)이 취업확률을 크게 낮춥니다"),
        ("연령", 0.2, False, "연령(45세)이 취업확률을 높입니다"),
        ("연령", -0.4, False, "연령(45세)이 취업확률을 크게 낮춥니다"),
        ("학력", -0.02, False, "학력(고졸)이 취업확률을 조금 낮춥니다"),
        ("경력", 0.2, False, "경력 6년 (희망 직종과 같은 직종 경력)이 있어 취업확률을 높입니다"),
        ("경력", -0.2, False, "경력 6년 (희망 직종과 같은 직종 경력)이 취업확률을 낮춥니다"),
        ("경력", -0.2, True, "경력이 없어 취업확률을 낮춥니다"),
        ("경력", 0.2, True, "경력이 없는 점이 취업확률을 높입니다"),
        ("지역 구인 수요", 0.2, False, "희망 지역(서울)의 구직자 대비 구인 수요가 전국 평균보다 많아 취업확률을 높입니다"),
        ("지역 구인 수요", -0.2, False, "희망 지역(서울)의 구인 수요가 취업확률을 낮춥니다"),
        ("지역 구인 수요", -0.2, True, "희망 지역(서울)의 구직자 대비 구인 수요가 전국 평균보다 적어 취업확률을 낮춥니다"),
        ("지역 구인 수요", 0.2, True, "희망 지역(서울)의 구인 수요가 취업확률을 높입니다"),
        ("희망 직종 수요", -0.2, False,
         "희망 직종(간호사)의 구직자 대비 구인 수요가 전국 평균보다 적어 취업확률을 낮춥니다"),
        ("희망 직종 수요", 0.2, False, "희망 직종(간호사)의 구인 수요가 취업확률을 높입니다"),
        ("희망 직종 수요", 0.2, True, "희망 직종(간호사)의 구인 수요(전국 평균 수준)가 취업확률을 높입니다"),
        ("자격증", 0.2, False, "희망 직종 관련 자격증 2개가 있어 취업확률을 높입니다"),
        ("자격증", -0.2, False, "희망 직종 관련 자격증 2개가 취업확률을 낮춥니다"),
        ("자격증", -0.2, True, "희망 직종 관련 자격증이 없어 취업확률을 낮춥니다"),
        ("자격증", 0.2, True, "자격증 2개(희망 직종 관련 없음)가 취업확률을 높입니다"),
        ("보유 기술", 0.2, False, "보유 기술 4개가 취업확률을 높입니다"),
        ("구직급여 수급", -0.2, False, "구직급여를 받고 있어 취업확률을 낮춥니다"),
        ("구직급여 수급", 0.2, False, "구직급여 수급 여부가 취업확률을 높입니다"),
        ("구직급여 수급", 0.2, True, "구직급여를 받지 않아 취업확률을 높입니다"),
        ("구직급여 수급", -0.2, True, "구직급여 수급 여부가 취업확률을 낮춥니다"),
        ("근무지역 유연성", -0.2, False, "희망 지역에서만 일자리를 찾아 취업확률을 낮춥니다"),
        ("근무지역 유연성", 0.2, False, "근무지역 조건이 취업확률을 높입니다"),
        ("근무지역 유연성", 0.2, True, "다른 지역 근무도 가능해 취업확률을 높입니다"),
        ("근무지역 유연성", -0.2, True, "근무지역 조건이 취업확률을 낮춥니다"),
        ("희망 직종군", -0.2, False, "희망 직종군(보건·의료직)의 특성이 취업확률을 낮춥니다"),
        ("직업훈련", 0.2, False, "직업훈련을 수료해 취업확률을 높입니다"),
        ("직업훈련", -0.2, False, "직업훈련 수료가 취업확률을 낮춥니다"),
        ("취업알선", -0.2, False, "집중 취업알선 미참여가 취업확률을 낮춥니다"),
        ("직업상담", 0.2, False, "심층 직업상담 미참여가 취업확률을 높입니다"),
    ],
)
def test_factor_sentence_gives_the_fact_as_cause_only_when_it_agrees(
    factor: str, contribution: float, other: bool, expected: str
) -> None:
    record, features = (OTHER_RECORD, OTHER_FEATURES) if other else (RECORD, FEATURES_ROW)
    assert factor_sentence(factor, contribution, record, features, MARKET) == expected


def test_factor_sentence_for_a_wage_near_the_market_and_negligible_effects() -> None:
    near = dict(RECORD, desired_wage=2_550_000)
    assert "시장임금(월 250만원)과 비슷한 희망임금(월 255만원)이" in factor_sentence("희망임금(시장 대비)", -0.2, near, FEATURES_ROW, MARKET)
    for factor in FACTOR_ORDER:
        for value in (0.001, -0.004):
            sentence = factor_sentence(factor, value, RECORD, FEATURES_ROW, MARKET)
            assert sentence.endswith("취업확률에 거의 영향을 주지 않습니다"), sentence
            assert "높아" not in sentence and "있어" not in sentence and "찾아" not in sentence
    # the size adverbs follow the contribution
    assert factor_sentence("연령", 0.3, RECORD, FEATURES_ROW, MARKET).endswith("크게 높입니다")
    assert factor_sentence("연령", 0.049, RECORD, FEATURES_ROW, MARKET).endswith("조금 높입니다")
    assert factor_sentence("연령", -0.1, RECORD, FEATURES_ROW, MARKET).endswith("취업확률을 낮춥니다")


def test_service_sentence_for_a_service_not_received_reads_naturally() -> None:
    sentence = factor_sentence("국민취업지원제도", -0.2, RECORD, FEATURES_ROW, MARKET)
    assert "참여 미참여" not in sentence


def test_group_contributions_sum_features_into_korean_factors() -> None:
    values = pd.DataFrame([np.arange(len(FEATURES), dtype=float) / 100, np.ones(len(FEATURES))], columns=list(FEATURES))
    grouped = group_contributions(values)
    assert list(grouped.columns) == list(FACTOR_ORDER)
    np.testing.assert_allclose(grouped.sum(axis=1), values.sum(axis=1))
    career = values[["career_years", "has_last_job", "same_occupation"]].sum(axis=1)
    np.testing.assert_allclose(grouped["경력"], career)
    np.testing.assert_allclose(grouped["자격증"], values[["n_relevant_certificates", "n_certificates"]].sum(axis=1))
    table = factor_table(pd.Series({"연령": 0.1, "학력": -0.3, "경력": 0.2}), RECORD, FEATURES_ROW, MARKET)
    assert list(table["factor"]) == ["학력", "경력", "연령"] and table["sentence"].str.endswith("니다").all()


def test_effect_reason_names_the_two_largest_factors() -> None:
    reason = effect_reason("training", pd.Series({"연령": 0.01, "학력": -0.004, "경력": 0.003, "자격증": 0.001}), RECORD)
    assert reason == "연령(45세)이 효과를 키웁니다 (+1.0%p) · 학력(고졸)이 효과를 줄입니다 (-0.4%p)"
    assert effect_reason("matching", pd.Series({"연령": 0.001}), RECORD) == (
        "집중 취업알선의 예상 효과가 비슷한 구직자들의 평균 수준입니다")


def test_override_reason_masks_the_seekers_own_name(store: Engine, scored: pd.DataFrame) -> None:
    """A counsellor writes the seeker's name without a label: it is masked as on the profile page."""
    from sqlalchemy import text

    seeker = int(scored["id"].iloc[3])
    with store.connect() as conn:
        name = conn.execute(text("SELECT name FROM seekers WHERE id = :i"), {"i": seeker}).scalar_one()
    _override(store, seeker, "중위험", "고위험", reason=f"{name}가 허리 디스크로 단시간만 가능")
    stored = emp.load_overrides(store, seeker)["reason"].iloc[0]
    assert name not in stored
    assert stored.endswith("가 허리 디스크로 단시간만 가능")


# --------------------------------------------------------------------------- one reference date (issue 14, item 5)


def test_caseload_days_count_from_the_one_reference_date(engine: Engine, model: EmploymentModel,
                                                         scored: pd.DataFrame) -> None:
    from app.db.repositories.world import load_reference_date
    from app.services.overview import compute_world_overview

    reference = load_reference_date(engine)
    assert emp.reference_date(engine) == reference == pd.Timestamp(model.as_of).date()
    registered = pd.to_datetime(scored["registered_on"]).dt.date
    assert [(reference - r).days for r in registered] == scored["days_since_registration"].astype(int).tolist()
    # 홈 shows the same date the caseload counts from
    assert compute_world_overview(engine).as_of == reference


def test_every_elapsed_day_moves_with_the_reference_date(engine: Engine, model: EmploymentModel, bands: emp.RiskBands,
                                                         scored: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caseload, a profile and 홈 all read load_reference_date: move it and every one follows."""
    from app.db.repositories import world as world_repo
    from app.services.overview import compute_world_overview

    earlier = world_repo.load_reference_date(engine) - dt.timedelta(days=10)
    monkeypatch.setattr(world_repo, "load_reference_date", lambda _engine: earlier)
    moved = emp.score_caseload(engine, model, bands)
    assert set(moved["id"]) != set(scored["id"])  # ten days earlier: another open caseload
    registered = pd.to_datetime(moved["registered_on"]).dt.date
    assert [(earlier - r).days for r in registered] == moved["days_since_registration"].astype(int).tolist()
    one = int(moved["id"].iloc[0])
    profile = emp.seeker_profile(engine, model, one, bands)
    assert profile.days_since_registration == int(moved["days_since_registration"].iloc[0])
    assert compute_world_overview(engine).as_of == earlier


def test_profile_notes_are_not_dated_after_the_reference_date(engine: Engine, model: EmploymentModel,
                                                              bands: emp.RiskBands, scored: pd.DataFrame) -> None:
    reference = emp.reference_date(engine)
    with engine.connect() as conn:
        late = conn.execute(text("SELECT seeker_id FROM counsellor_notes WHERE written_on > :d"),
                            {"d": reference.isoformat()}).scalars().all()
    in_caseload = [int(i) for i in late if int(i) in set(scored["id"].astype(int))]
    assert in_caseload  # the small world has notes written after the reference date
    profile = emp.seeker_profile(engine, model, in_caseload[0], bands)
    assert all(dt.date.fromisoformat(day[:10]) <= reference for day, _ in profile.documents.notes)


# --------------------------------------------------------------------------- precomputed at build (issue 14, item 4)


def test_precomputed_scores_equal_live_scores(model: EmploymentModel, scored: pd.DataFrame) -> None:
    assert model.precomputed is not None and len(model.precomputed) > 0
    records = scored.head(40)
    x = model.features(records)
    predicted, values, base = model.predict_explained(x)
    live = model.predict(x)
    live_values, live_base = model.explain(x)
    np.testing.assert_allclose(predicted.to_numpy(float), live.to_numpy(float), atol=1e-12)
    np.testing.assert_allclose(values.to_numpy(float), live_values.to_numpy(float), atol=1e-12)
    np.testing.assert_allclose(base, live_base, atol=1e-12)
    # a changed input (a what-if) is not in the store: computed live, mixed with stored rows
    changed = x.copy()
    changed.loc[changed.index[:3], "log_wage_gap"] -= 0.3
    predicted, values, _ = model.predict_explained(changed)
    np.testing.assert_allclose(predicted.to_numpy(float), model.predict(changed).to_numpy(float), atol=1e-12)
    np.testing.assert_allclose(values.to_numpy(float), model.explain(changed)[0].to_numpy(float), atol=1e-12)


def test_policy_views_are_read_from_the_build(model: EmploymentModel, bands: emp.RiskBands,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from app.config import get_settings

    settings = get_settings()
    assert model.cutoff_curve is not None and model.fairness_grid
    stored = emp.fairness_reports(model, bands, tolerance=settings.fairness_tolerance,
                                  min_group_size=settings.fairness_min_group)
    curve = emp.threshold_tradeoff(model, [0.1, 0.2, 0.3], min_group_size=settings.fairness_min_group)
    # the same figures as computed live (the precomputed grid switched off)
    monkeypatch.setattr(model, "fairness_grid", None)
    monkeypatch.setattr(model, "cutoff_curve", None)
    live = emp.fairness_reports(model, bands, tolerance=settings.fairness_tolerance,
                                min_group_size=settings.fairness_min_group)
    pd.testing.assert_frame_equal(stored["main"].by_group, live["main"].by_group)
    pd.testing.assert_frame_equal(stored["age_blind"].gaps, live["age_blind"].gaps)
    live_curve = emp.threshold_tradeoff(model, [0.1, 0.2, 0.3], min_group_size=settings.fairness_min_group)
    pd.testing.assert_frame_equal(curve, live_curve)


def test_apply_bands_changes_no_score(engine: Engine, model: EmploymentModel, scored: pd.DataFrame) -> None:
    scores = emp.caseload_scores(engine, model)
    wide = emp.apply_bands(scores, emp.RiskBands(high_below=0.3, low_from=0.5), {int(scores["id"].iloc[0]): "저위험"})
    assert (wide["probability"].to_numpy() == scored.set_index("id").loc[wide["id"], "probability"].to_numpy()).all()
    assert wide["final_band"].iloc[0] == "저위험" and wide["override_band"].iloc[0] == "저위험"
    assert list(wide["band"]) == list(emp.RiskBands(high_below=0.3, low_from=0.5).bands(wide["probability"].to_numpy()))


# --------------------------------------------------------------------------- guardrails (issue 14, item 9)


def test_actionable_and_fixed_factors_split_the_model_factors() -> None:
    assert emp.ACTIONABLE_FACTORS.isdisjoint(emp.FIXED_FACTORS)
    assert set(emp.ACTIONABLE_FACTORS) | set(emp.FIXED_FACTORS) == set(FACTOR_ORDER)
    assert "연령" in emp.FIXED_FACTORS and "희망임금(시장 대비)" in emp.ACTIONABLE_FACTORS
    assert {"직업훈련", "취업알선", "국민취업지원제도", "직업상담"} <= emp.ACTIONABLE_FACTORS


def test_caseload_main_actionable_factor_is_the_most_negative_actionable_one(scored: pd.DataFrame,
                                                                             model: EmploymentModel) -> None:
    x = model.features(scored.head(20))
    grouped = group_contributions(model.explain(x)[0])
    actionable = [c for c in grouped.columns if c in emp.ACTIONABLE_FACTORS]
    fixed = [c for c in grouped.columns if c not in emp.ACTIONABLE_FACTORS]
    for i in range(20):
        row = grouped.iloc[i]
        assert scored["main_actionable_factor"].iloc[i] == (row[actionable].idxmin() if row[actionable].min() < 0 else "")
        assert scored["main_fixed_factor"].iloc[i] == (row[fixed].idxmin() if row[fixed].min() < 0 else "")
        assert scored["actionable_effect"].iloc[i] == pytest.approx(min(row[actionable].min(), 0.0))
    assert scored["main_actionable_factor"].isin(list(emp.ACTIONABLE_FACTORS) + [""]).all()


def test_caseload_sorts_by_the_actionable_factor(scored: pd.DataFrame) -> None:
    ordered = emp.sort_caseload(scored, "actionable")
    assert (np.diff(ordered["actionable_effect"].to_numpy(float)) >= 0).all()
    assert (emp.sort_caseload(scored, "risk")["probability"].diff().dropna() >= 0).all()
    assert (emp.sort_caseload(scored, "days")["days_since_registration"].diff().dropna() <= 0).all()
    table = emp.caseload_table(ordered)
    assert list(table.columns[:4]) == list(emp.CASELOAD_KEY_COLUMNS)
    assert table["주요 조치 가능 요인"].iloc[0] != "없음"
    with pytest.raises(ValueError, match="정렬 기준"):
        emp.sort_caseload(scored, "age")


def test_cutoff_tradeoff_recall_precision_and_workload(model: EmploymentModel, scored: pd.DataFrame) -> None:
    frame = model.audit_frame
    p, employed = frame["probability"].to_numpy(), frame["employed"].to_numpy(int)
    at = emp.cutoff_tradeoff(model, scored, 0.2)
    not_employed = employed == 0
    assert at.recall == pytest.approx(((p < 0.2) & not_employed).sum() / not_employed.sum())
    assert at.precision == pytest.approx(((p < 0.2) & not_employed).sum() / (p < 0.2).sum())
    assert at.caseload_high == int((scored["probability"] < 0.2).sum()) and at.caseload_total == len(scored)
    assert at.n_held_out == len(frame) and at.n_not_employed == int(not_employed.sum())
    assert at.low_recall == (at.recall < emp.RECALL_FLOOR)
    wide = emp.cutoff_tradeoff(model, scored, 0.6)
    assert wide.recall >= at.recall and wide.caseload_high >= at.caseload_high
    assert not wide.low_recall
    table = emp.cutoff_table(model, scored, [0.1, 0.3], chosen=0.23, min_group_size=10)
    assert list(table["threshold"]) == [0.1, 0.23, 0.3] and table["chosen"].tolist() == [False, True, False]
    assert table.loc[table["chosen"], "recall"].iloc[0] == pytest.approx(emp.cutoff_tradeoff(model, scored, 0.23).recall)
