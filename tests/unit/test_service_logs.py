"""서비스 이용 병목: the generated event logs, their DuckDB analysis and the command line.

The planted bottlenecks are found among the top three of their service on a small log; the funnel,
drop-off, error and what-if numbers are checked by hand on a tiny hand-written log; the SQL
directly-follows counts equal pm4py's (a test-time oracle only: pm4py is AGPL and never imported by
``app/``); bad input gets a Korean message and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from app.analytics import service_logs as analytics
from app.analytics.service_logs import LogFilter, analyse_service_logs, compute_funnel, what_if
from app.cli.service_logs import main_logs
from app.db.engine import make_engine
from app.errors import InvalidInput, NotReady
from app.reference.codes import ONLINE_SERVICE_CODES
from app.services import service_logs
from app.threads import duckdb_connect, thread_count
from app.world import service_logs as generator

SMALL_SESSIONS = 6_000


@pytest.fixture(scope="module")
def small_logs(tmp_path_factory: pytest.TempPathFactory, world_url: str) -> Path:
    """A small log of the seed-7 test world."""
    out = tmp_path_factory.mktemp("logs") / "logs"
    engine = make_engine(world_url)
    generator.generate_service_logs(engine, out, size="small", seed=11, sessions=SMALL_SESSIONS)
    engine.dispose()
    return out


@pytest.fixture(scope="module")
def small_analysis(small_logs: Path) -> analytics.LogAnalysis:
    return analyse_service_logs(small_logs)


# --------------------------------------------------------------------------- the generator


def test_the_log_has_the_columns_partitions_and_truth_beside_it(small_logs: Path) -> None:
    manifest = json.loads((small_logs / analytics.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["sessions"] == SMALL_SESSIONS and manifest["logs_version"] == generator.LOGS_VERSION
    assert len(manifest["months"]) == generator.MONTHS
    folders = {p.parent.parent.name for p in (small_logs / "events").rglob("*.parquet")}
    assert folders == {f"service_code={code}" for code in ONLINE_SERVICE_CODES.values()}
    with duckdb_connect() as con:
        frame = con.execute(f"SELECT * FROM {analytics.events_source(small_logs)} LIMIT 5").df()
        counts = con.execute(f"""SELECT count(*), count(DISTINCT session_id),
                                 count(*) FILTER (WHERE status NOT IN ('ok', 'error', 'retry', 'dropout'))
                                 FROM {analytics.events_source(small_logs)}""").fetchone()
        one_final = con.execute(f"""SELECT max(n) FROM (SELECT count(*) FILTER (WHERE status <> 'error') AS n
                                    FROM {analytics.events_source(small_logs)} GROUP BY session_id, step_order)""").fetchone()
    for column in ("session_id", "user_id", "user_type", "service", "step_order", "step", "ts", "duration_s", "device",
                   "age_band", "first_visit", "status", "error_code", "retry_count", "service_code", "month"):
        assert column in frame.columns
    assert counts[0] == manifest["events"] and counts[1] == SMALL_SESSIONS and counts[2] == 0
    assert one_final == (1,)  # exactly one final row per step a session reached
    truth = generator.load_planted(small_logs)
    assert generator.TRUTH_FILE.startswith("evaluation_only") and len(truth) == len(generator.SERVICES)


def test_the_same_seed_gives_the_same_log(tmp_path: Path, world_url: str) -> None:
    engine = make_engine(world_url)
    a = generator.generate_service_logs(engine, tmp_path / "a", seed=3, sessions=800)
    b = generator.generate_service_logs(engine, tmp_path / "b", seed=3, sessions=800)
    c = generator.generate_service_logs(engine, tmp_path / "c", seed=4, sessions=800)
    engine.dispose()
    read = {name: pq.read_table(tmp_path / name / "events").to_pandas().sort_values(["session_id", "event_seq"])
            .reset_index(drop=True) for name in "abc"}
    assert a.events == b.events
    pd.testing.assert_frame_equal(read["a"], read["b"])
    assert not read["a"]["duration_s"].equals(read["c"]["duration_s"]) or a.events != c.events


def test_build_regenerates_only_stale_logs(tmp_path: Path, world_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(world_url)
    monkeypatch.setitem(generator.SIZES, "small", 300)
    out = tmp_path / "logs"
    assert generator.ensure_service_logs(engine, out, size="small", seed=1, world_fingerprint="w1") is not None
    assert generator.ensure_service_logs(engine, out, size="small", seed=1, world_fingerprint="w1") is None
    assert generator.ensure_service_logs(engine, out, size="small", seed=1, world_fingerprint="w2") is not None
    monkeypatch.setattr(generator, "LOGS_VERSION", "test")
    assert generator.ensure_service_logs(engine, out, size="small", seed=1, world_fingerprint="w2") is not None
    engine.dispose()
    assert not out.with_name("logs.writing").exists() and not out.with_name("logs.old").exists()


# --------------------------------------------------------------------------- planted bottlenecks are found


def test_planted_bottlenecks_are_in_the_top_three_of_their_service(small_logs: Path,
                                                                    small_analysis: analytics.LogAnalysis) -> None:
    ranked = small_analysis.bottlenecks.to_dict("records")
    assert generator.planted_recall(ranked, generator.load_planted(small_logs)) == 1.0
    top = small_analysis.bottlenecks.iloc[0]
    assert top["excess_per_month"] > 0 and top["z"] >= analytics.MIN_Z


def test_the_evidence_names_the_planted_symptoms(small_analysis: analytics.LogAnalysis) -> None:
    ranked = small_analysis.bottlenecks
    upload = ranked[(ranked["step"] == "증빙 첨부") & (ranked["service"] == "실업급여 신청")
                    & (ranked["dimension"] == "all")].iloc[0]
    assert upload["symptom"] == "오류·재시도" and upload["top_error_code"] == "E-UPLOAD-413"
    slow = ranked[(ranked["step"] == "소득·재산 정보 입력") & (ranked["value"] == "60세 이상")].iloc[0]
    assert slow["symptom"] == "지연" and slow["time_ratio"] > 2
    sentence = service_logs.evidence_sentence(slow)
    assert "60세 이상 이탈률" in sentence and "배" in sentence


def test_a_segment_filter_changes_the_numbers(small_logs: Path, small_analysis: analytics.LogAnalysis) -> None:
    mobile = analyse_service_logs(small_logs, LogFilter(devices=("모바일",)), process_map=False)
    assert mobile.funnel["reached"].sum() < small_analysis.funnel["reached"].sum()
    assert set(mobile.cube["device"]) == {"모바일"}
    # the mobile video drop-off is the service's top step once only mobile users are looked at
    card = mobile.funnel[(mobile.funnel["service"] == "내일배움카드 신청") & ~mobile.funnel["is_final"]]
    assert card.sort_values("drop_rate").iloc[-1]["step"] == "사전 동영상 시청"


# --------------------------------------------------------------------------- the process map equals pm4py's


def test_directly_follows_counts_equal_pm4py(small_logs: Path, small_analysis: analytics.LogAnalysis) -> None:
    pm4py = pytest.importorskip("pm4py")
    with duckdb_connect() as con:
        events = con.execute(f"""SELECT session_id, step::VARCHAR AS step, ts, event_seq
                                 FROM {analytics.events_source(small_logs)}""").df()
    events = events.sort_values(["session_id", "ts", "event_seq"], kind="stable")
    log = pm4py.format_dataframe(events, case_id="session_id", activity_key="step", timestamp_key="ts")
    dfg, starts, ends = pm4py.discover_dfg(log)
    ours = small_analysis.dfg.groupby(["source", "target"])["count"].sum()
    inner = {(s, t): int(n) for (s, t), n in ours.items() if s != "시작" and t != "종료"}
    assert inner == {k: int(v) for k, v in dfg.items()}
    assert {t: int(n) for (s, t), n in ours.items() if s == "시작"} == {k: int(v) for k, v in starts.items()}
    assert {s: int(n) for (s, t), n in ours.items() if t == "종료"} == {k: int(v) for k, v in ends.items()}


def test_the_process_map_is_the_same_folder_by_folder(small_logs: Path, small_analysis: analytics.LogAnalysis,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analytics, "WINDOW_BATCH_BYTES", 1)  # one window query per partition folder
    assert len(analytics.partition_sources(small_logs, LogFilter())) == 60
    with duckdb_connect() as con:
        folder_by_folder = analytics.directly_follows(con, small_logs, LogFilter())
        kept = json.loads((small_logs / analytics.MANIFEST_FILE).read_text(encoding="utf-8"))["months"][3:5]
        months = LogFilter(month_from=kept[0], month_to=kept[1])
        two_months = analytics.directly_follows(con, small_logs, months)
    pd.testing.assert_frame_equal(folder_by_folder, small_analysis.dfg)
    month_funnel = analyse_service_logs(small_logs, months, process_map=False).funnel
    started = two_months[two_months["source"] == "시작"]["count"].sum()
    assert started == month_funnel.groupby("service")["reached"].first().sum() > 0
    assert started < small_analysis.funnel.groupby("service")["reached"].first().sum()


# --------------------------------------------------------------------------- hand-written tiny log


def _write_tiny_log(folder: Path) -> None:
    """Three steps of one service, four sessions (KST naive timestamps):

    s1: A ok, B ok, C ok                      (completes)
    s2: A ok, B error, B retry, C ok          (completes after one failed attempt)
    s3: A ok, B dropout                       (abandons at B)
    s4: A error, A dropout                    (abandons at A after an error)
    """
    rows = [
        (1, "A", 1, "ok", None, 0, 10.0), (1, "B", 2, "ok", None, 0, 20.0), (1, "C", 3, "ok", None, 0, 5.0),
        (2, "A", 1, "ok", None, 0, 12.0), (2, "B", 2, "error", "E-UPLOAD-413", 0, 30.0),
        (2, "B", 2, "retry", None, 1, 40.0), (2, "C", 3, "ok", None, 0, 6.0),
        (3, "A", 1, "ok", None, 0, 14.0), (3, "B", 2, "dropout", None, 0, 8.0),
        (4, "A", 1, "error", "E-AUTH-401", 0, 9.0), (4, "A", 1, "dropout", None, 1, 3.0),
    ]
    start = dt.datetime(2026, 3, 2, 9)
    seq: dict[int, int] = {}
    records = []
    for session, step, order, status, code, retries, seconds in rows:
        n = seq.get(session, 0)
        seq[session] = n + 1
        records.append({"session_id": session, "user_id": 100 + session, "user_type": "구직자", "service": "테스트 신청",
                        "step_order": order, "step": step, "event_seq": n,
                        "ts": start + dt.timedelta(hours=session, minutes=n), "duration_s": seconds,
                        "device": "모바일" if session % 2 else "PC", "age_band": "30대", "region": "서울",
                        "first_visit": session == 4, "status": status, "error_code": code, "retry_count": retries})
    frame = pd.DataFrame(records)
    target = folder / "events" / "service_code=test" / "month=2026-03"
    target.mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), target / "part-00000.parquet")


@pytest.fixture
def tiny(tmp_path: Path) -> analytics.LogAnalysis:
    _write_tiny_log(tmp_path)
    return analyse_service_logs(tmp_path)


def test_funnel_numbers_by_hand(tiny: analytics.LogAnalysis) -> None:
    funnel = tiny.funnel.set_index("step")
    assert funnel["reached"].to_dict() == {"A": 4, "B": 3, "C": 2}
    assert funnel["dropped"].to_dict() == {"A": 1, "B": 1, "C": 0}
    assert funnel.loc["A", "drop_rate"] == pytest.approx(0.25)
    assert funnel.loc["B", "drop_rate"] == pytest.approx(1 / 3)
    assert funnel.loc["C", "share_of_start"] == pytest.approx(0.5)
    assert funnel["error_sessions"].to_dict() == {"A": 1, "B": 1, "C": 0}
    assert funnel.loc["B", "retries_per_session"] == pytest.approx(1 / 3)
    assert funnel.loc["B", "mean_seconds"] == pytest.approx((20 + 30 + 40 + 8) / 3)
    assert bool(funnel.loc["C", "is_final"]) and tiny.months == 1
    times = tiny.step_times[(tiny.step_times["dimension"] == "all")].set_index("step")
    assert times.loc["B", "median_s"] == pytest.approx(30.0, rel=0.02)  # successful attempts 20 and 40
    assert times.loc["A", "attempts"] == 3
    errors = tiny.errors.set_index("error_code")
    assert errors.loc["E-UPLOAD-413", "per_100_sessions"] == pytest.approx(100 / 3)
    assert errors.loc["E-AUTH-401", "error_label"] == "본인인증 실패"
    assert tiny.monthly[["started", "completed"]].iloc[0].tolist() == [4, 2]


def test_headline_figures_by_hand(tiny: analytics.LogAnalysis) -> None:
    from app.services.service_logs import headline

    figures = headline(tiny)
    assert (figures.months, figures.sessions, figures.completed) == (1, 4, 2)
    assert figures.completion_rate == pytest.approx(0.5) and figures.completed_per_month == pytest.approx(2.0)


def test_directly_follows_by_hand(tiny: analytics.LogAnalysis) -> None:
    edges = {(r.source, r.target): r.count for r in tiny.dfg.itertuples()}
    assert edges == {("시작", "A"): 4, ("A", "B"): 3, ("B", "C"): 2, ("B", "B"): 1, ("A", "A"): 1,
                     ("C", "종료"): 2, ("B", "종료"): 1, ("A", "종료"): 1}


def test_what_if_carries_the_saved_sessions_through_later_steps() -> None:
    cube = pd.DataFrame({
        "service": "신청", "step_order": [1, 2, 3, 4], "step": ["a", "b", "c", "완료"], "month": "2026-01",
        "device": "PC", "age_band": "30대", "visit": "재방문", "user_type": "구직자",
        "reached": [1000, 900, 540, 486], "dropped": [100, 360, 54, 0], "error_sessions": 0, "error_events": 0,
        "total_seconds": 0.0,
    })
    funnel = compute_funnel(cube)
    # rates 0.10, 0.40, 0.10: median 0.10; fixing b saves 900 × 0.30 = 270 at b, of whom 90 % complete
    result = what_if(funnel, "신청", 2, months=3)
    assert result.target_rate == pytest.approx(0.10)
    assert result.downstream_pass == pytest.approx(0.9)
    assert result.extra_per_month == pytest.approx(900 * 0.30 * 0.9 / 3)
    assert result.completed_per_month == pytest.approx(486 / 3)
    assert what_if(funnel, "신청", 1, months=3).extra_per_month == 0.0  # already at the median
    assert what_if(funnel, "신청", 2, months=1, target_rate=0.2).extra_per_month == pytest.approx(900 * 0.2 * 0.9)
    assert "월 약 81건" in service_logs.what_if_sentence(result)
    with pytest.raises(InvalidInput, match="단계가 없습니다"):
        what_if(funnel, "신청", 9, months=1)


def test_a_segment_slower_everywhere_does_not_flag_every_step() -> None:
    rows = []
    for order, step, others_rate, seg_extra in ((1, "a", 0.05, 0.05), (2, "b", 0.05, 0.05), (3, "c", 0.05, 0.25),
                                                (4, "d", 0.05, 0.05), (5, "끝", 0.0, 0.0)):
        for device, rate in (("PC", others_rate), ("모바일", others_rate + seg_extra)):
            rows.append({"service": "신청", "step_order": order, "step": step, "month": "2026-01", "device": device,
                         "age_band": "30대", "visit": "재방문", "user_type": "구직자", "reached": 2000,
                         "dropped": int(2000 * rate), "error_sessions": 0, "error_events": 0, "total_seconds": 0.0})
    ranked = analytics.rank_bottlenecks(pd.DataFrame(rows), months=1)
    mobile = ranked[ranked["value"] == "모바일"]
    assert mobile["step"].tolist() == ["c"]  # the usual +5 %p gap is not a bottleneck; step c's +25 %p is
    assert mobile.iloc[0]["excess_lost"] == pytest.approx(2000 * 0.20)


# --------------------------------------------------------------------------- threads, roles and bad input


def test_duckdb_takes_the_configured_threads_and_memory_limit() -> None:
    with duckdb_connect() as con:
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == thread_count()
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0].endswith("iB")


def test_only_policy_staff_analyse_the_logs(small_logs: Path) -> None:
    for role in ("counsellor", "employer", "seeker", None):
        with pytest.raises(service_logs.ServiceLogsAccessDenied, match="정책·운영 담당자만"):
            service_logs.analyse(role, small_logs, LogFilter())
        with pytest.raises(service_logs.ServiceLogsAccessDenied):
            service_logs.load_log_status(role, small_logs)
    assert service_logs.load_log_status("policy", small_logs).sessions == SMALL_SESSIONS


def test_bad_input_gets_a_korean_message(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        LogFilter(month_from="2026-3")
    with pytest.raises(InvalidInput, match="시작 월"):
        LogFilter(month_from="2026-05", month_to="2026-01")
    with pytest.raises(NotReady, match="python -m app build"):
        analyse_service_logs(tmp_path)
    with pytest.raises(NotReady, match="python -m app build"):
        service_logs.load_log_status("policy", tmp_path)
    with pytest.raises(InvalidInput, match="로그 크기"):
        generator.generate_service_logs(None, tmp_path / "x", size="huge")  # type: ignore[arg-type]


def test_cli_analyse_writes_the_korean_table(small_logs: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "report.csv"
    assert main_logs(["analyse", str(small_logs), "--out", str(out), "--device", "모바일"]) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == list(service_logs.BOTTLENECK_LABELS.values())
    assert (table["순위"] == np.arange(1, len(table) + 1)).all()
    assert "병목" in capsys.readouterr().out


def test_cli_bad_input_exits_2_in_korean(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main_logs(["analyse", str(tmp_path / "none"), "--out", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert "서비스 이용 로그가 없는 폴더" in err and "Traceback" not in err
    assert not (tmp_path / "r.csv").exists()
    assert main_logs(["analyse", str(tmp_path), "--out", str(tmp_path / "no" / "r.csv")]) == 2
    assert main_logs(["generate", "--out", str(tmp_path / "g"), "--sessions", "0"]) == 2
    assert "1 이상" in capsys.readouterr().err


def test_step_times_from_histograms_match_exact_quantiles(small_logs: Path,
                                                          small_analysis: analytics.LogAnalysis) -> None:
    with duckdb_connect() as con:
        exact = con.execute(f"""SELECT service, step_order, device AS value, count(*) AS attempts,
                                       quantile_cont(duration_s, 0.5) AS median_s, quantile_cont(duration_s, 0.9) AS p90_s
                                FROM {analytics.events_source(small_logs)} WHERE status IN ('ok', 'retry')
                                GROUP BY ALL""").df()
    ours = small_analysis.step_times[small_analysis.step_times["dimension"] == "device"]
    both = exact.merge(ours, on=["service", "step_order", "value"], suffixes=("", "_hist"))
    assert len(both) == len(exact) > 60
    assert (both["attempts"] == both["attempts_hist"]).all()
    assert np.allclose(both["median_s_hist"], both["median_s"], rtol=0.02)
    assert np.allclose(both["p90_s_hist"], both["p90_s"], rtol=0.02)


def test_the_build_writes_the_configured_logs_once(tmp_path: Path, world_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from app.build import run_build
    from app.db.repositories import world as world_repo
    from app.ml import registry
    from tests.conftest import copy_world_database

    db = copy_world_database(world_url, tmp_path / "w.db")
    engine = make_engine(f"sqlite:///{db}")
    meta = world_repo.read_world_meta(engine)
    monkeypatch.setattr(registry, "ARTIFACTS", ())  # the logs only: no model is built here
    monkeypatch.setitem(generator.SIZES, "small", 400)
    logs = tmp_path / "logs"
    kwargs = {"size": meta["size"], "seed": int(meta["seed"]), "logs_dir": logs, "logs_size": "small"}
    first = run_build(engine, tmp_path / "models", **kwargs)
    second = run_build(engine, tmp_path / "models", **kwargs)
    engine.dispose()
    assert first.logs_generated and not second.logs_generated and not first.world_generated
    manifest = json.loads((logs / analytics.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["world_fingerprint"] == meta["fingerprint"] and manifest["sessions"] == 400
