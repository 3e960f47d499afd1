"""Command line of the online-service event logs (서비스 이용 병목).

``python -m app logs generate --size large --out DIR [--seed N] [--sessions N]``
    Writes the event logs of the configured world's seekers into ``DIR`` (replaced atomically):
    ``DIR/events/service_code=…/month=YYYY-MM/part-NNNNN.parquet``, ``logs_manifest.json`` and the
    evaluation-only truth file of the planted bottlenecks. Exit 1 when the world has no seekers.

``python -m app logs analyse DIR --out report.csv [--service …] [--device …] [--month-from YYYY-MM] …``
    Ranks the bottlenecks of the logs in ``DIR`` with DuckDB and writes them with their evidence in
    Korean columns (:mod:`app.exports`, formula cells neutralised). A folder without logs, a bad month
    or a missing output folder: a Korean message, exit 2, no traceback and no output file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.analytics.service_logs import LogFilter, analyse_service_logs
from app.cli.runner import check_output_path, run_command_line
from app.config import get_settings
from app.errors import GoyongError, NotReady
from app.exports import write_csv_atomically


def cmd_generate(args: argparse.Namespace) -> int:
    """Generate the logs into ``args.out``."""
    from app.db.engine import make_engine
    from app.db.repositories import world as world_repo
    from app.world.service_logs import generate_service_logs

    settings = get_settings()
    if args.sessions is not None and args.sessions < 1:
        print("--sessions는 1 이상이어야 합니다.", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"출력 폴더의 상위 폴더가 없습니다: {args.out.parent}", file=sys.stderr)
        return 2
    engine = make_engine(settings.db_url)
    try:
        fingerprint = world_repo.read_world_meta(engine).get("fingerprint", "")
        summary = generate_service_logs(engine, args.out, size=args.size, sessions=args.sessions,
                                        seed=args.seed if args.seed is not None else settings.world_seed,
                                        world_fingerprint=fingerprint)
    except GoyongError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"서비스 이용 로그 생성 완료: 세션 {summary.sessions:,}개, 이벤트 {summary.events:,}건, "
          f"파일 {summary.files:,}개, {summary.seconds:.1f}초 ({summary.path})")
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    """Rank the bottlenecks of the logs in ``args.logs`` and write them to ``args.out``."""
    from app.services.service_logs import bottleneck_table  # the same Korean table as the page's export

    problem = check_output_path(args.out)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        flt = LogFilter(services=tuple(args.service), devices=tuple(args.device), age_bands=tuple(args.age_band),
                        month_from=args.month_from, month_to=args.month_to)
        analysis = analyse_service_logs(args.logs, flt, process_map=False)
    except NotReady:
        print(f"서비스 이용 로그가 없는 폴더입니다: {args.logs} (`python -m app logs generate --out …`로 만드세요)",
              file=sys.stderr)
        return 2
    except GoyongError as exc:
        print(exc.user_message, file=sys.stderr)
        return 2
    table = bottleneck_table(analysis.bottlenecks)
    write_csv_atomically(table, args.out)
    print(f"병목 {len(table):,}건을 기록했습니다 ({args.out}); 분석 {sum(analysis.seconds.values()):.1f}초, "
          f"{analysis.months}개월")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m app logs``."""
    parser = argparse.ArgumentParser(prog="python -m app logs", description="서비스 이용 로그: 생성과 병목 분석")
    sub = parser.add_subparsers(dest="action", required=True)
    generate = sub.add_parser("generate", help="세계의 구직자로 서비스 이용 로그(Parquet)를 만듭니다")
    generate.add_argument("--size", choices=["small", "demo", "large"], default="demo")
    generate.add_argument("--out", type=Path, required=True, help="로그 폴더 (있으면 바꿔 씁니다)")
    generate.add_argument("--seed", type=int, default=None, help="기본값: GOYONG_WORLD_SEED")
    generate.add_argument("--sessions", type=int, default=None, help="크기 대신 세션 수")
    generate.set_defaults(func=cmd_generate)
    analyse = sub.add_parser("analyse", help="로그 폴더의 병목을 순위대로 CSV로 씁니다")
    analyse.add_argument("logs", type=Path, help="로그 폴더 (events/ 가 있는 폴더)")
    analyse.add_argument("--out", type=Path, required=True, help="출력 CSV")
    analyse.add_argument("--service", action="append", default=[], help="서비스 (여러 번 가능)")
    analyse.add_argument("--device", action="append", default=[], help="기기: PC, 모바일, 앱")
    analyse.add_argument("--age-band", action="append", default=[], help="연령대, 예: 60세 이상")
    analyse.add_argument("--month-from", default=None, help="시작 월 YYYY-MM")
    analyse.add_argument("--month-to", default=None, help="끝 월 YYYY-MM")
    analyse.set_defaults(func=cmd_analyse)
    return parser


def main_logs(argv: list[str] | None = None) -> int:
    """Run ``python -m app logs …``; returns the exit code (0 ok, 2 bad input, 1 not ready)."""
    return run_command_line(argv, "logs", build_parser())
