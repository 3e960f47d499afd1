"""Command line: ``python -m app monitor [--out DIR] [--date YYYY-MM-DD] [--fail-on-alert]``.

The scheduled run of 성과·모델 모니터링: computes the KPIs and every model's monitor
(:func:`app.services.monitoring.build_report`) and writes ``DIR/monitoring-YYYY-MM-DD.xlsx`` (every
table, Korean sheet names, formula cells neutralised) and ``DIR/monitoring-YYYY-MM-DD.json`` (the
alerts), then prints the alerts. ``DIR`` defaults to ``reports/`` in the project (git-ignored).

Exit codes: 0 written (alerts or not), 2 bad input (a malformed ``--date``, an unwritable folder),
1 not ready (nothing built, or the run's audit record could not be written), 3 written with at
least one 경보 when ``--fail-on-alert`` is given (for schedulers that mail on a non-zero exit).
The run is recorded in the audit log like every command (``cli.monitor``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from app.config import PROJECT_ROOT, get_settings
from app.errors import GoyongError

DEFAULT_OUT = PROJECT_ROOT / "reports"
"""Where scheduled runs write by default (git-ignored)."""
ALERT_EXIT = 3
"""Exit code of ``--fail-on-alert`` when a 경보 was raised."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"날짜는 YYYY-MM-DD 형식이어야 합니다 (입력값: {text})") from None


def build_parser() -> argparse.ArgumentParser:
    """Parser of ``python -m app monitor``."""
    parser = argparse.ArgumentParser(prog="python -m app monitor",
                                     description="성과지표와 모델 모니터링 보고서를 날짜별 파일로 씁니다")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"보고서 폴더 (기본값: {DEFAULT_OUT})")
    parser.add_argument("--date", type=_date, default=None, help="보고서 날짜 YYYY-MM-DD (기본값: 오늘, 한국 시간)")
    parser.add_argument("--fail-on-alert", action="store_true",
                        help=f"경보가 하나라도 있으면 종료 코드 {ALERT_EXIT}로 끝냅니다 (스케줄러 알림용)")
    return parser


def run_monitor(args: argparse.Namespace) -> int:
    """Compute and write the report; print where it went and the alerts."""
    from app.db.engine import make_engine
    from app.services import audit, monitoring

    settings = get_settings()
    out_dir: Path = args.out
    if out_dir.exists() and not out_dir.is_dir():
        print(f"보고서 폴더 자리에 파일이 있습니다: {out_dir}", file=sys.stderr)
        return 2
    engine = make_engine(settings.db_url)
    started = dt.datetime.now(dt.UTC)
    try:
        audit.prepare_command_audit(engine)
        report = monitoring.build_report(engine, models_dir=settings.models_dir, reference_dir=settings.reference_dir,
                                         tolerance=settings.fairness_tolerance,
                                         min_group_size=settings.fairness_min_group, today=args.date)
    except GoyongError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    try:
        written = monitoring.write_report(report, out_dir)
    except OSError as exc:
        print(f"보고서를 쓸 수 없습니다 ({out_dir}): {exc.strerror or '쓰기 오류'}", file=sys.stderr)
        return 2
    summary = report.summary()
    code = ALERT_EXIT if args.fail_on_alert and summary["alerts"] else 0
    run = audit.CommandRun(
        command="monitor", started=started, finished=dt.datetime.now(dt.UTC), input_sha256=None,
        rows_in=0, rows_out=len(report.alerts), errors=0, exit_code=code,
        models={m.name: m.version for m in report.monitors}, output_path=str(written.workbook),
    )
    try:
        audit.record_command_run(engine, run)
    except GoyongError as exc:
        written.workbook.unlink(missing_ok=True)
        written.summary.unlink(missing_ok=True)
        print(exc.user_message, file=sys.stderr)
        return 1
    print(f"모니터링 보고서를 썼습니다 ({report.seconds:.1f}초): {written.workbook}")
    print(f"  요약: {written.summary}")
    print(f"  경보 {summary['alerts']}건, 주의 {summary['warnings']}건")
    for line in summary["messages"]:
        print(f"  {line}")
    for title in report.missing:
        print(f"  만들어지지 않은 모델: {title}")
    return code


def main_monitor(argv: list[str] | None = None) -> int:
    """Run ``python -m app monitor …``; returns the exit code (see the module docstring)."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["monitor"]:
        args_in = args_in[1:]
    try:
        args = build_parser().parse_args(args_in)
    except SystemExit as exit_:  # argparse exits on bad usage (2) or --help (0)
        return int(exit_.code or 0)
    return run_monitor(args)
