"""The batch path of ``employment score`` (distinct cells checked once, scoring a chunk at a time
with one model run) gives what the row-by-row path gave: the same problems in line order,
the same probabilities, reasons and best services; and the cells it does not scan for personal
data cannot hold any."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine

import app.cli.employment as command
import app.cli.seeker_input as checks
from app.cli.runner import input_rows, row_id
from app.db.repositories.seekers import load_seeker_records
from app.ml.employment import EmploymentModel, load_employment_model
from app.reference.codes import SERVICE_LABELS
from app.services import employment as emp
from app.services.employment.reasons import factor_table, group_contributions
from app.text.pii import find_pii

pytestmark = pytest.mark.filterwarnings("ignore:LightGBM binary classifier:UserWarning")

HEADER = ["id", "age", "education", "career_years", "desired_keco", "desired_wage", "desired_region_code", "benefit_status",
          "last_keco", "region_flexible", "certificate_ids", "skills", "days_since_registration", *checks.SERVICE_COLUMNS]
BAD_ROWS = (
    "B-1,14,대졸,5,304,2500000,11,1,,0,,,0,0,0,0,0",
    "B-2,40,박사,3,999,2500000,99,maybe,,0,,,0,0,0,0,0",
    "B-3,40,고졸,abc,304,2500000.5,11,0,,0,,,181,0,0,0,가끔",
    "B-4,40,고졸",
    "B-5,,고졸,3,304,2500000,11,0,,0,,,0,0,0,0,0",
    f"{'X' * 41},40,고졸,3,304,2500000,11,0,,0,,,0,0,0,0,0",
    "010-1234-5678,40,고졸,3,304,2500000,11,0,,0,,,0,0,0,0,0",
    "B-8,9003052345678,고졸,3,304,2500000,11,0,,0,,엑셀 900305-2345678,0,0,0,0,0",
    "B-9,40,고졸,3,304,2500000,11,0,,0,haneul@example.com,지게차; 성명: 홍길동,0,0,0,0,0",
    "B-10,40,고졸,1e1,304,\"2,500,000\",11,Y,14,yes,,Python; SQL,0,0,0,0,0",  # odd but valid cells
)


@pytest.fixture(scope="module")
def built(hiring_built: tuple[str, Path]) -> tuple[pd.DataFrame, Path, EmploymentModel]:
    """The small world's seekers as input rows, the models and the employment model."""
    url, models = hiring_built
    engine = create_engine(url)
    try:
        seekers = load_seeker_records(engine)
    finally:
        engine.dispose()
    rng = np.random.default_rng(7)
    rows = pd.DataFrame({
        "id": [f"S{i:05d}" if i % 3 else str(10_000_000 + i) for i in range(len(seekers))],
        "age": seekers["age"].to_numpy(),
        "education": seekers["education"].to_numpy(),
        "career_years": seekers["career_years"].to_numpy(),
        "desired_keco": seekers["desired_keco"].to_numpy(),
        "desired_wage": seekers["desired_wage"].to_numpy(),
        "desired_region_code": seekers["desired_region_code"].to_numpy(),
        "benefit_status": seekers["benefit_status"].astype(int).to_numpy(),
        "last_keco": seekers["last_keco"].fillna("").to_numpy(),
        "region_flexible": seekers["region_flexible"].astype(int).to_numpy(),
        "certificate_ids": seekers["certificate_ids"].fillna("").to_numpy(),
        "skills": seekers["skills"].fillna("").to_numpy(),
        "days_since_registration": rng.integers(0, 181, len(seekers)),
        **{column: rng.integers(0, 2, len(seekers)) for column in checks.SERVICE_COLUMNS},
    })[HEADER]
    return rows, models, load_employment_model(models)


def _row_by_row(path: Path) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    """Every row checked cell by cell as it is read: the problems in line order (a row with the
    wrong number of cells where the reader meets it), each row's in the order of its columns."""
    keco, regions = checks.reference_codes()
    column_checks = checks._column_checks(keco, regions)
    errors: list[str] = []
    parsed = []
    for count, (line, cells) in enumerate(input_rows(path, checks.REQUIRED_COLUMNS, checks.OPTIONAL_COLUMNS,
                                                     errors, [])):
        record, problems = checks._row(cells, column_checks)
        leaked, problems = checks._pii_problems(cells, problems)
        if not any(p.column == "id" for p in leaked):
            identifier = row_id(cells, line, str(count + 1), errors, max_chars=checks.MAX_ID_CHARS)
        else:
            identifier = ""
        errors.extend(f"{line}행: [{p.column}] {p}" for p in [*leaked, *problems])
        parsed.append((identifier, record))
    return parsed, errors


def _lines(messages: list[str]) -> list[int]:
    return [int(m.split("행:", 1)[0]) for m in messages]


def _scored_row_by_row(rows: list[tuple[str, dict[str, object]]], model: EmploymentModel) -> pd.DataFrame:
    """The command's output as it was computed before the batch path: a factor table per row and
    every service's effect with its bag."""
    bands = emp.RiskBands()
    records = pd.DataFrame([r for _, r in rows])
    scored = emp.score_records(records, model, bands)
    x = model.features(records)
    grouped = group_contributions(model.explain(x)[0])
    market = model.market.market_wage(records["desired_keco"], records["desired_region_code"])
    effects = model.service_effects(x)
    out = pd.DataFrame({"id": [i for i, _ in rows]})
    for column in ("probability", "probability_low", "probability_high", "probability_now"):
        out[column] = scored[column].round(4).to_numpy()
    out["band"] = scored["band"].to_numpy()
    reasons = []
    for i in range(len(records)):
        features = {k: float(v) for k, v in x.iloc[i].items() if k not in ("education", "desired_major")}
        table = factor_table(grouped.iloc[i], records.iloc[i].to_dict(), features, float(market[i]))
        reasons.append(table["sentence"].head(3).tolist())
    for k in range(3):
        out[f"reason_{k + 1}"] = [r[k] for r in reasons]
    best = effects.dropna(subset=["effect"]).sort_values(["row", "effect"], ascending=[True, False]).drop_duplicates("row")
    best = best.set_index("row").reindex(range(len(records)))
    out["best_service"] = [SERVICE_LABELS.get(s, "") if isinstance(s, str) else "" for s in best["service"]]
    out["best_service_effect"] = np.round(best["effect"].to_numpy(float), 4)
    return out


def _read(out: Path) -> pd.DataFrame:
    return pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False, dtype={"id": str})


def test_scores_reasons_and_services_equal_the_row_by_row_path(tmp_path: Path, built, monkeypatch) -> None:
    rows, models, model = built
    src = tmp_path / "seekers.csv"
    rows.to_csv(src, index=False)
    out = tmp_path / "scored.csv"
    monkeypatch.setattr(checks, "CHUNK_ROWS", 97)  # several chunks, the last one short
    monkeypatch.setattr(command, "thread_count", lambda: 2)  # scored by two worker processes
    assert command.main_employment(["score", "--input", str(src), "--output", str(out), "--models-dir", str(models)]) == 0
    scored = _read(out)
    parsed, errors = _row_by_row(src)
    assert errors == [] and len(scored) == len(rows) == len(parsed)
    expected = _scored_row_by_row(parsed, model)
    assert list(scored["id"]) == list(expected["id"]) == list(rows["id"].astype(str))
    for column in ("probability", "probability_low", "probability_high", "probability_now", "best_service_effect"):
        # an empty best_service_effect (every service received) reads as NaN on both sides
        np.testing.assert_allclose(pd.to_numeric(scored[column], errors="coerce").to_numpy(float),
                                   expected[column].to_numpy(float), rtol=0, atol=1e-9)
    for column in ("band", "reason_1", "reason_2", "reason_3", "best_service"):
        assert list(scored[column]) == list(expected[column]), column
    assert scored["reason_1"].nunique() > 5 and (scored["best_service"] != "").any()  # the comparison has teeth


def test_workers_write_the_file_one_process_writes(tmp_path: Path, built, monkeypatch) -> None:
    rows, models, _ = built
    src = tmp_path / "seekers.csv"
    rows.head(300).to_csv(src, index=False)
    monkeypatch.setattr(checks, "CHUNK_ROWS", 64)
    written = {}
    for workers in (1, 2):
        monkeypatch.setattr(command, "thread_count", lambda workers=workers: workers)
        out = tmp_path / f"scored_{workers}.csv"
        assert command.main_employment(["score", "--input", str(src), "--output", str(out), "--models-dir", str(models)]) == 0
        written[workers] = out.read_bytes()
    assert written[1] == written[2] and written[1].count(b"\n") == 301


def test_one_model_run_gives_the_services_figures(tmp_path: Path, built) -> None:
    rows, _, model = built
    src = tmp_path / "seekers.csv"
    rows.head(200).to_csv(src, index=False)
    parsed, errors = _row_by_row(src)
    assert errors == []
    records = pd.DataFrame([r for _, r in parsed])
    x = model.features(records)
    scored, values = emp.score_explained(records, x, model, emp.RiskBands())
    expected = emp.score_records(records, model, emp.RiskBands())
    for column in ("probability", "probability_low", "probability_high", "probability_now"):
        np.testing.assert_allclose(scored[column], expected[column], rtol=0, atol=1e-12)
    assert list(scored["band"]) == list(expected["band"])
    np.testing.assert_allclose(values.to_numpy(float), model.explain(x)[0].to_numpy(float), rtol=0, atol=1e-12)
    names, effects = emp.best_services(model, x)
    every = model.service_effects(x)
    for i in range(len(records)):
        open_ = every[(every["row"] == i) & ~every["received"]]
        if open_.empty:
            assert names[i] == "" and np.isnan(effects[i])
        else:
            assert names[i] == open_.loc[open_["effect"].idxmax(), "service"]
            assert effects[i] == pytest.approx(open_["effect"].max(), abs=1e-12)


def test_problems_are_the_row_by_row_problems_in_line_order(tmp_path: Path, built, monkeypatch, capsys) -> None:
    rows, models, _ = built
    good = [",".join(str(v) for v in row) for row in rows.head(50).itertuples(index=False)]
    lines = [",".join(HEADER), *itertools.chain.from_iterable(zip(good, BAD_ROWS * 5, strict=False)), *BAD_ROWS]
    src = tmp_path / "bad.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, expected = _row_by_row(src)
    monkeypatch.setattr(checks, "CHUNK_ROWS", 7)  # wrong-width rows fall inside and between chunks
    out = tmp_path / "scored.csv"
    assert command.main_employment(["score", "--input", str(src), "--output", str(out), "--models-dir", str(models)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[:-1] == expected and len(expected) > 40
    assert _lines(err[:-1]) == sorted(_lines(err[:-1]))  # line order, whatever the chunks
    assert any("값이 3개입니다" in m for m in expected)  # the reader's problems are among them
    assert err[-1] == f"오류 {len(expected)}건: 출력 파일을 만들지 않았습니다 ({src})"
    assert not out.exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_the_last_chunk_leaves_no_file(tmp_path: Path, built, monkeypatch, capsys, workers: int) -> None:
    rows, models, _ = built
    good = [",".join(str(v) for v in row) for row in rows.head(300).itertuples(index=False)]
    lines = [",".join(HEADER), *good, BAD_ROWS[0], *good[:5], BAD_ROWS[3], BAD_ROWS[1]]
    src = tmp_path / "bad.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, expected = _row_by_row(src)
    monkeypatch.setattr(checks, "CHUNK_ROWS", 64)  # the first four chunks are scored and written before
    monkeypatch.setattr(command, "thread_count", lambda: workers)
    out = tmp_path / "scored.csv"
    assert command.main_employment(["score", "--input", str(src), "--output", str(out), "--models-dir", str(models)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert err[:-1] == expected and _lines(expected) == [302, 308, 309, 309, 309, 309]
    assert err[-1] == f"오류 {len(expected)}건: 출력 파일을 만들지 않았습니다 ({src})"
    assert captured.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]  # no output, no temporary file


def test_valid_odd_cells_read_as_row_by_row(tmp_path: Path, built) -> None:
    _, models, _ = built
    src = tmp_path / "odd.csv"
    src.write_text(",".join(HEADER) + "\n" + BAD_ROWS[-1] + "\n", encoding="utf-8")
    parsed, errors = _row_by_row(src)
    assert errors == []
    ids, records = next(checks.seeker_chunks(input_rows(src, checks.REQUIRED_COLUMNS, checks.OPTIONAL_COLUMNS, [], []),
                                               *checks.reference_codes(), []))
    assert ids == ["B-10"]
    assert records.iloc[0].to_dict() == parsed[0][1]
    assert parsed[0][1]["career_years"] == 10.0 and parsed[0][1]["last_keco"] == "014"


SAFE = (
    "1", "00012345", "12345678", "01012345", "15881234", "19900305", "90030512", "C0032", "C0032;C0035;C1234",
    "광케이블;선로;케이블;통신", "간호;주사", "공일공일이삼사에", "생년월일;출생;생일", "카카오톡;라인;인스타", "주소;서울;경기",
    "성명;이름;담당자", "오육칠팔구공일이",
)
UNSAFE = (
    "123456789", "010-1234", "S12345678", "C0032;M1234", "간호 주사", "김민수님", "공일공일이삼사오육칠팔", "C0032; C0035",
    "dob19900305", "서울특별시 강남구 테헤란로 12", "Python;SQL",
)


def test_cells_that_skip_the_scan_hold_no_personal_data(built) -> None:
    rows, _, _ = built
    assert all(checks.cannot_hold_pii(text) for text in SAFE)
    assert not any(checks.cannot_hold_pii(text) for text in UNSAFE)
    assert any(find_pii(text) for text in ("010-1234-5678", "공일공 일이삼사 오육칠팔", "김민수 님", "S12345678"))
    world_cells = {*rows["skills"], *rows["certificate_ids"], *rows["id"]} - {""}
    skipped = [text for text in (*SAFE, *world_cells) if checks.cannot_hold_pii(text)]
    assert len(skipped) > len(world_cells) / 2  # most of a batch skips the scan
    rng = np.random.default_rng(3)
    digits = ["".join(map(str, rng.integers(0, 10, int(rng.integers(1, 9))))) for _ in range(2_000)]
    spoken = ["".join(rng.choice(list("공영일이삼사오육륙칠팔구에;"), int(rng.integers(1, 20)))) for _ in range(2_000)]
    for text in (*skipped, *digits, *spoken):
        if checks.cannot_hold_pii(text):
            assert find_pii(text) == [], text
