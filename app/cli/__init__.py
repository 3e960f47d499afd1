"""Command line: ``python -m app {build,world,reference,import,hiring,employment,verify,users,mask,monitor} …``.

Every command prints Korean messages, exits 0 on success and non-zero (2) on bad input, and never
shows a traceback for an input problem.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable

from tqdm import tqdm

from app import threads
from app.config import get_settings
from app.errors import GoyongError


def _progress_bar(description: str) -> tuple[Callable[[str, float], None], tqdm]:
    bar = tqdm(total=100, desc=description, unit="%", bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}")

    def report(step: str, fraction: float) -> None:
        bar.set_description_str(f"{description} — {step}")
        bar.n = round(100 * min(max(fraction, 0.0), 1.0))
        bar.refresh()

    return report, bar


def cmd_world(args: argparse.Namespace) -> int:
    """Generate a world into the configured database."""
    from app.db.engine import make_engine
    from app.world.generate import generate_world

    settings = get_settings()
    engine = make_engine(args.db_url or settings.db_url)
    report, bar = _progress_bar("세계 생성")
    try:
        summary = generate_world(engine, size=args.size, seed=args.seed, progress=report)
    except GoyongError as exc:  # e.g. a malformed 주민등록번호 key
        bar.close()
        print(exc.user_message, file=sys.stderr)
        return 1
    bar.close()
    print(f"세계 생성 완료: 크기 {summary.size}, 시드 {summary.seed}, {summary.seconds:.1f}초")
    for table, count in summary.rows.items():
        print(f"  {table}: {count:,}행")
    for key, value in summary.calibration.items():
        print(f"  {key}: {value:.4f}")
    print(f"  fingerprint: {summary.fingerprint}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build the world (if missing) and every registered artifact."""
    from app.build import run_build
    from app.db.engine import make_engine

    settings = get_settings()
    engine = make_engine(settings.db_url)
    started = time.perf_counter()
    report, bar = _progress_bar("빌드")
    try:
        result = run_build(
            engine,
            settings.models_dir,
            size=args.size or settings.world_size,
            seed=args.seed if args.seed is not None else settings.world_seed,
            force=args.force,
            report=report,
            logs_dir=settings.service_logs_dir,
            logs_size=settings.service_logs_size,
        )
    except GoyongError as exc:  # e.g. a schema migration that needs the operator first
        bar.close()
        print(exc.user_message, file=sys.stderr)
        return 1
    bar.close()
    for line in result.migrations:
        print(f"데이터베이스 변경: {line}")
    _ensure_users()
    print(f"빌드 완료 ({time.perf_counter() - started:.1f}초): 세계 {'새로 생성' if result.world_generated else '기존 유지'}, "
          f"모델 {len(result.built)}개 빌드, {len(result.skipped)}개 최신 상태")
    print(f"  manifest: {result.manifest_path}")
    print(f"  서비스 이용 로그: {settings.service_logs_dir} ({'새로 생성' if result.logs_generated else '최신 상태'})")
    return 0


def _ensure_users() -> None:
    """Create the demo login accounts when the users file is missing (prints each password once)."""
    try:
        from app.demo_accounts import CREDENTIALS_FILE_NAME, ensure_users_file
    except ImportError:  # the shell's auth module is optional for headless builds
        return
    from app.db.engine import make_engine
    from app.db.repositories.employers import load_employer_ids
    from app.db.repositories.seekers import load_demo_seeker_ids

    settings = get_settings()
    engine = make_engine(settings.db_url)
    try:
        ids = load_employer_ids(engine, limit=3)
        seeker_ids = load_demo_seeker_ids(engine, count=3)
    finally:
        engine.dispose()
    if len(ids) < 3:  # not reached after a build; guards a world with fewer than three employers
        print("구인기업이 3곳 미만이라 데모 계정을 만들지 않았습니다. `python -m app users add`로 계정을 만드세요.")
        return
    passwords = ensure_users_file(settings.users_file, employer_ids=ids,
                                  seeker_ids=seeker_ids if len(seeker_ids) == 3 else ())
    if passwords:
        print(f"데모 계정을 만들었습니다 ({settings.users_file}). 계정마다 비밀번호가 다릅니다 "
              f"(다시 보여 주지 않습니다; {settings.users_file.parent / CREDENTIALS_FILE_NAME} 에도 있습니다):")
        for username, password in passwords.items():
            print(f"  {username}\t{password}")


_DELEGATED: dict[str, tuple[str, str]] = {
    "reference": ("app.reference.build", "main_reference"),
    "import": ("app.cli.imports", "main_import"),
    "hiring": ("app.cli.hiring", "main_hiring"),
    "employment": ("app.cli.employment", "main_employment"),
    "verify": ("app.cli.verify", "main_verify"),
    "users": ("app.cli.users", "main_users"),
    "mask": ("app.cli.mask", "main_mask"),
    "match": ("app.cli.match", "main_match"),
    "interest": ("app.cli.interest", "main_interest"),
    "occupations": ("app.cli.occupations", "main_occupations"),
    "training": ("app.cli.training", "main_training"),
    "logs": ("app.cli.service_logs", "main_logs"),
    "monitor": ("app.cli.monitor", "main_monitor"),
}
"""Commands that parse their own options: word -> (module, entry function taking the rest of argv).
Imported only when used, so ``python -m app build`` never loads the scoring commands' libraries."""


def run_delegated(word: str, rest: list[str]) -> int:
    """Run a command of :data:`_DELEGATED` with the arguments after its word."""
    module, function = _DELEGATED[word]
    return int(getattr(importlib.import_module(module), function)(rest))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m app``."""
    parser = argparse.ArgumentParser(prog="python -m app", description="고용AI 워크벤치 명령줄 도구")
    sub = parser.add_subparsers(dest="command", required=True)

    world = sub.add_parser("world", help="합성 세계를 생성해 데이터베이스에 기록합니다")
    world.add_argument("--size", choices=["small", "demo", "large"], default="demo")
    world.add_argument("--seed", type=int, default=get_settings().world_seed)
    world.add_argument("--db-url", default=None, help="기본값: GOYONG_DB_URL 설정")
    world.set_defaults(func=cmd_world)

    build = sub.add_parser("build", help="세계(없을 때)와 모든 모델을 빌드합니다")
    build.add_argument("--force", action="store_true", help="모든 것을 다시 빌드합니다")
    build.add_argument("--size", choices=["small", "demo", "large"], default=None)
    build.add_argument("--seed", type=int, default=None)
    build.set_defaults(func=cmd_build)

    reference = sub.add_parser("reference", help="참조 테이블을 공개 자료에서 다시 만듭니다")
    reference.add_argument("rest", nargs=argparse.REMAINDER)
    reference.set_defaults(func=lambda a: run_delegated("reference", a.rest))

    importer = sub.add_parser("import", help="실제 공고·구직자 CSV를 가져옵니다")
    importer.add_argument("kind", choices=["postings", "seekers"])
    importer.add_argument("rest", nargs=argparse.REMAINDER)
    importer.set_defaults(func=lambda a: run_delegated("import", [a.kind, *a.rest]))

    hiring = sub.add_parser("hiring", help="채용성공 예측모델: 공고 CSV 채점 (hiring score --input … --output …)")
    hiring.add_argument("rest", nargs=argparse.REMAINDER)
    hiring.set_defaults(func=lambda a: run_delegated("hiring", a.rest))

    employment = sub.add_parser("employment", help="취업성공 예측모델: 구직자 CSV 채점 (employment score --input … --output …)")
    employment.add_argument("rest", nargs=argparse.REMAINDER)
    employment.set_defaults(func=lambda a: run_delegated("employment", a.rest))

    verify = sub.add_parser("verify", help="구인광고 AI 검증: 광고 CSV 검증 (verify --input … --output …), 분류 모델 학습 (verify train …)")
    verify.add_argument("rest", nargs=argparse.REMAINDER)
    verify.set_defaults(func=lambda a: run_delegated("verify", a.rest))

    users = sub.add_parser("users", help="로그인 계정 관리: list, add, reset-password, disable, enable")
    users.add_argument("rest", nargs=argparse.REMAINDER)
    users.set_defaults(func=lambda a: run_delegated("users", a.rest))
    mask = sub.add_parser("mask", help="개인정보 마스킹: JSONL 텍스트의 개인정보를 가립니다 (mask --input … --output …)")
    mask.add_argument("rest", nargs=argparse.REMAINDER)
    mask.set_defaults(func=lambda a: run_delegated("mask", a.rest))
    match = sub.add_parser("match", help="AI 인재추천: 후보자↔공고 추천 (match --candidates … --jobs … --for … --top K --output …)")
    match.add_argument("rest", nargs=argparse.REMAINDER)
    match.set_defaults(func=lambda a: run_delegated("match", a.rest))
    logs = sub.add_parser("logs", help="서비스 이용 로그: 생성 (logs generate --size … --out DIR), 병목 분석 (logs analyse DIR --out …)")
    logs.add_argument("rest", nargs=argparse.REMAINDER)
    logs.set_defaults(func=lambda a: run_delegated("logs", a.rest))
    monitor = sub.add_parser("monitor", help="성과·모델 모니터링 보고서를 날짜별로 씁니다 (monitor --out DIR --date YYYY-MM-DD)")
    monitor.add_argument("rest", nargs=argparse.REMAINDER)
    monitor.set_defaults(func=lambda a: run_delegated("monitor", a.rest))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    threads.limit_loaded_pools()
    argv = list(sys.argv[1:] if argv is None else argv)
    # reference/import/hiring/employment/verify/users/mask/match own their option parsing: hand them everything after the word.
    if argv and argv[0] in _DELEGATED:
        return run_delegated(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    return int(args.func(args))
