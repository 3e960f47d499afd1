"""Command line of the login accounts: ``python -m app users {list,add,reset-password,disable,enable}``.

``python -m app users list``
    one line per account: 아이디, 표시 이름, 역할, 구인기업 ID, 구직자 ID, 상태 (tab-separated, header first);
    상태 is ``사용`` or ``사용 중지``, with ``· 로그인 잠김(N분)`` while failed logins lock it.
``python -m app users add ID --role employer|counsellor|policy|seeker [--name 이름] [--employer-id N] [--seeker-id N]``
    a new account; an employer account needs the id of an employer in the database, a seeker
    account (구직자) the id of a seeker in it.
``python -m app users reset-password ID``
    a new password for an existing account; its sessions end and its login lock is cleared.
``python -m app users disable ID`` / ``enable ID``
    refuse (and end the open sessions of) or allow the account's logins again.

Passwords never come from the command line (shell history, ``ps``): ``add`` and ``reset-password``
ask twice at a terminal prompt (``getpass``), or read one line from standard input with
``--password-stdin``, or make a random one with ``--generate`` and print it once. The accounts file
is rewritten atomically with mode 600.

Every change (``add``, ``reset-password``, ``disable``, ``enable``) is recorded in the audit log:
the operator's login name, role ``cli``, action ``account.<change>``, the account id and
non-personal facts (role, employer id, whether anything changed), never a password. A change is
refused (exit 1, nothing changed) when the configured database does not exist; when the record
still cannot be written after the change (neither the table nor the spool takes it) the command
says so and exits 1.

Exit codes: 0 done, 2 bad input (nothing changed), 1 the accounts file or the database is not
ready (or the change could not be recorded).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app import access, accounts, auth
from app.cli.runner import run_command_line
from app.config import get_settings
from app.errors import GoyongError, InvalidInput, NotFound

PASSWORD_SOURCES = "--generate 또는 --password-stdin"
_CLI_ACTOR = "cli"


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_password(args: argparse.Namespace, username: str) -> tuple[str, bool]:
    """The new password and whether it was generated (and must be printed once)."""
    if args.generate:
        return auth.generate_password(), True
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r"), False
    if not _stdin_is_terminal():
        raise InvalidInput(f"비밀번호를 물어볼 터미널이 없습니다. {PASSWORD_SOURCES}을 쓰세요.")
    first = getpass.getpass(f"{username}의 새 비밀번호: ")
    auth.check_new_password(first, username)  # say what is wrong before asking again
    if getpass.getpass("한 번 더 입력하세요: ") != first:
        raise InvalidInput("두 비밀번호가 다릅니다. 아무것도 바꾸지 않았습니다.")
    return first, False


def _announce_password(username: str, password: str) -> None:
    print(f"{username}의 새 비밀번호 (다시 보여 주지 않으니 지금 전달하세요): {password}")


def _engine() -> Engine:
    from app.db.engine import make_engine

    return make_engine(get_settings().db_url)


def _check_employer(employer_id: int) -> None:
    from app.db.repositories.employers import load_employer

    engine = _engine()
    try:
        found = load_employer(engine, employer_id)
    except SQLAlchemyError as err:
        raise auth.UsersFileError(
            "데이터베이스에서 구인기업을 확인할 수 없습니다. `python -m app build`를 먼저 실행하세요."
        ) from err
    finally:
        engine.dispose()
    if found is None:
        raise InvalidInput(f"구인기업 ID {employer_id}이(가) 데이터베이스에 없습니다.")


def _check_seeker(seeker_id: int) -> None:
    from app.db.repositories.seekers import load_masked_names

    engine = _engine()
    try:
        found = load_masked_names(engine, [seeker_id])
    except SQLAlchemyError as err:
        raise auth.UsersFileError(
            "데이터베이스에서 구직자를 확인할 수 없습니다. `python -m app build`를 먼저 실행하세요."
        ) from err
    finally:
        engine.dispose()
    if not found:
        raise InvalidInput(f"구직자 ID {seeker_id}이(가) 데이터베이스에 없습니다.")


def _unlock(username: str) -> None:
    # A forgotten password usually comes after failed attempts: the reset lifts the lock too.
    from app.services.login import unlock_account

    engine = _engine()
    try:
        unlock_account(engine, username, by=_CLI_ACTOR)
    except SQLAlchemyError:
        print("참고: 데이터베이스에 잠금 해제를 기록하지 못했습니다. 잠김은 15분 뒤 저절로 풀립니다.", file=sys.stderr)
    finally:
        engine.dispose()


def _require_audit() -> None:
    """Refuse a change before anything happens when there is no database to record it in."""
    from app.services.audit import prepare_command_audit

    engine = _engine()
    try:
        prepare_command_audit(engine)
    finally:
        engine.dispose()


def _record_change(change: str, username: str, **details: object) -> int:
    """Audit an account change; the exit code (1 when the record could not be written)."""
    from app.services.audit import AuditUnavailable, record_account_change
    from app.services.login import account_key

    engine = _engine()
    try:
        record_account_change(engine, change=change, account=username, account_hash=account_key(username),
                              details=details)
    except AuditUnavailable:
        print("참고: 계정은 바뀌었지만 감사 로그에 기록하지 못했습니다. 관리자에게 알려 주세요.", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _lock_notes(usernames: list[str]) -> dict[str, str]:
    from app.services.login import locked_minutes

    engine = _engine()
    try:
        return {u: f" · 로그인 잠김({m}분)" for u in usernames if (m := locked_minutes(engine, u))}
    except SQLAlchemyError:
        return {}  # no database yet: nothing can be locked either
    finally:
        engine.dispose()


def cmd_list(_args: argparse.Namespace) -> int:
    """Print every account (no password material)."""
    accounts = auth.list_accounts(get_settings().users_file)
    locks = _lock_notes([a.user.username for a in accounts])
    print("아이디\t표시 이름\t역할\t구인기업 ID\t구직자 ID\t상태")
    for info in accounts:
        user = info.user
        status = ("사용 중지" if info.disabled else "사용") + locks.get(user.username, "")
        employer = "" if user.employer_id is None else str(user.employer_id)
        seeker = "" if user.seeker_id is None else str(user.seeker_id)
        print(f"{user.username}\t{user.display_name}\t{user.role_label}\t{employer}\t{seeker}\t{status}")
    print(f"계정 {len(accounts)}개")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Add an account."""
    user = auth.User(args.username, args.name or args.username, args.role, args.employer_id, args.seeker_id)
    # every rule but the password first, so a typo in the role does not cost a password prompt
    accounts.check_new_user(user)
    if user.username in {a.user.username for a in _existing_accounts()}:
        raise InvalidInput(f"이미 있는 아이디입니다: {user.username}")
    if user.role == "employer" and user.employer_id is not None:
        _check_employer(user.employer_id)
    if user.role == "seeker" and user.seeker_id is not None:
        _check_seeker(user.seeker_id)
    _require_audit()
    password, generated = _read_password(args, user.username)
    accounts.add_account(get_settings().users_file, user, password)
    print(f"계정을 추가했습니다: {user.username} ({user.role_label})")
    if generated:
        _announce_password(user.username, password)
    seeker = {} if user.seeker_id is None else {"seeker_id": user.seeker_id}
    return _record_change("add", user.username, role=user.role, employer_id=user.employer_id, **seeker,
                          password_source="generated" if generated else "entered")


def _existing_accounts() -> list[auth.AccountInfo]:
    path = get_settings().users_file
    return auth.list_accounts(path) if path.exists() else []


def cmd_reset_password(args: argparse.Namespace) -> int:
    """Give an existing account a new password and lift its login lock."""
    path = get_settings().users_file
    if args.username not in {a.user.username for a in auth.list_accounts(path)}:
        raise auth.UnknownAccountError(f"없는 계정입니다: {args.username}")
    _require_audit()
    password, generated = _read_password(args, args.username)
    accounts.set_password(path, args.username, password)
    _unlock(args.username)
    print(f"비밀번호를 바꿨습니다: {args.username} (열려 있던 세션은 끝납니다)")
    if generated:
        _announce_password(args.username, password)
    return _record_change("reset_password", args.username, password_source="generated" if generated else "entered")


def _toggle(disabled: bool) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        path = get_settings().users_file
        if args.username not in {a.user.username for a in auth.list_accounts(path)}:
            raise auth.UnknownAccountError(f"없는 계정입니다: {args.username}")
        _require_audit()
        changed = accounts.set_disabled(path, args.username, disabled)
        if not disabled:
            _unlock(args.username)
        if disabled:
            print(f"계정 사용을 중지했습니다: {args.username} (열려 있던 세션도 끝납니다)" if changed
                  else f"이미 사용 중지된 계정입니다: {args.username}")
        else:
            print(f"계정을 다시 사용하게 했습니다: {args.username}" if changed
                  else f"이미 사용 중인 계정입니다: {args.username}")
        return _record_change("disable" if disabled else "enable", args.username, changed=changed)

    return run


def _password_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--generate", action="store_true", help="임의의 비밀번호를 만들어 한 번만 보여 줍니다")
    source.add_argument("--password-stdin", action="store_true",
                        help="표준 입력의 첫 줄을 비밀번호로 씁니다 (스크립트용; 명령줄 인자로는 받지 않습니다)")


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (InvalidInput, NotFound) as err:
            print(err.user_message, file=sys.stderr)
            return 2
        except GoyongError as err:  # NotReady: the accounts file or the database
            print(err.user_message, file=sys.stderr)
            return 1
        except (KeyboardInterrupt, EOFError):
            print("\n취소했습니다. 아무것도 바꾸지 않았습니다.", file=sys.stderr)
            return 2

    return guarded


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m app users``."""
    parser = argparse.ArgumentParser(
        prog="python -m app users",
        description="로그인 계정 관리 (계정 파일: GOYONG_USERS_FILE). 비밀번호는 명령줄 인자로 받지 않습니다.",
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="{list,add,reset-password,disable,enable}")

    listing = sub.add_parser("list", help="계정 목록을 보여 줍니다 (비밀번호 정보 없음)")
    listing.set_defaults(func=_guarded(cmd_list))

    add = sub.add_parser("add", help="계정을 추가합니다")
    add.add_argument("username", help="아이디 (영문 소문자로 시작하는 3~32자)")
    add.add_argument("--role", required=True, choices=list(access.ROLE_LABELS), help="역할")
    add.add_argument("--name", default="", help="화면에 보일 이름 (기본값: 아이디)")
    add.add_argument("--employer-id", type=int, default=None, help="구인기업 계정이 대리하는 구인기업 ID (필수)")
    add.add_argument("--seeker-id", type=int, default=None, help="구직자 계정의 본인 구직자 ID (필수)")
    _password_options(add)
    add.set_defaults(func=_guarded(cmd_add))

    reset = sub.add_parser("reset-password", help="비밀번호를 새로 정하고 로그인 잠금을 풉니다")
    reset.add_argument("username", help="아이디")
    _password_options(reset)
    reset.set_defaults(func=_guarded(cmd_reset_password))

    disable = sub.add_parser("disable", help="계정 사용을 중지합니다 (열린 세션도 끝남)")
    disable.add_argument("username", help="아이디")
    disable.set_defaults(func=_guarded(_toggle(True)))

    enable = sub.add_parser("enable", help="중지한 계정을 다시 사용하게 합니다")
    enable.add_argument("username", help="아이디")
    enable.set_defaults(func=_guarded(_toggle(False)))
    return parser


def main_users(argv: list[str] | None = None) -> int:
    """Run ``python -m app users …``; returns the exit code.

    Args:
        argv: Arguments after ``users`` (``None`` means ``sys.argv[1:]``; a leading ``"users"`` is
            tolerated).

    Returns:
        0 on success; 2 on bad input or usage (nothing changed); 1 when the accounts file is
        missing or broken or the database is needed and not ready.
    """
    return run_command_line(argv, "users", build_parser())
