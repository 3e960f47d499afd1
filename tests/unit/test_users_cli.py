"""``python -m app users``: list, add, reset-password, disable, enable (exit codes, messages, file)."""

from __future__ import annotations

import io
import shutil
import stat
from pathlib import Path

import pytest

from app import auth
from app.cli import main
from app.cli import users as users_cli
from app.config import get_settings
from app.services import login
from tests.conftest import DEMO_PASSWORDS, copy_world_database


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, world_url: str, users_file: Path, tmp_path: Path) -> Path:
    """Settings pointed at a private copy of the accounts file and of the world; yields the file."""
    path = tmp_path / "cfg" / "users.yaml"
    path.parent.mkdir()
    shutil.copy(users_file, path)
    monkeypatch.setenv("GOYONG_USERS_FILE", str(path))
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{copy_world_database(world_url, tmp_path / 'w.db')}")
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str, *, terminal: bool = False) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    monkeypatch.setattr(users_cli, "_stdin_is_terminal", lambda: terminal)


def test_list_shows_accounts_without_password_material(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "아이디\t표시 이름\t역할\t구인기업 ID\t구직자 ID\t상태"
    assert lines[-1] == "계정 9개"
    assert any(line.startswith("policy1\t정책·운영 담당자\t정책·운영\t\t\t사용") for line in lines)
    assert any(line.startswith("seeker1\t구직자 1\t구직자\t\t") and line.endswith("\t사용") for line in lines)
    assert "$2" not in out and all(p not in out for p in DEMO_PASSWORDS.values())


def test_add_with_password_from_stdin_then_log_in(cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _stdin(monkeypatch, "Counsel-three-33\n")
    code = main(["users", "add", "counsellor3", "--role", "counsellor", "--name", "직업상담사 3", "--password-stdin"])
    out = capsys.readouterr().out
    assert code == 0 and "계정을 추가했습니다: counsellor3 (직업상담사)" in out
    assert "Counsel-three-33" not in out
    assert auth.verify_login("counsellor3", "Counsel-three-33", cli_env).display_name == "직업상담사 3"
    assert stat.S_IMODE(cli_env.stat().st_mode) == 0o600


def test_add_employer_needs_an_existing_employer(cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys, employer_ids) -> None:
    before = cli_env.read_bytes()
    _stdin(monkeypatch, "Employer-four-44\n")
    assert main(["users", "add", "employer4", "--role", "employer", "--employer-id", "999999", "--password-stdin"]) == 2
    assert "구인기업 ID 999999" in capsys.readouterr().err
    assert main(["users", "add", "employer4", "--role", "employer", "--password-stdin"]) == 2
    assert "--employer-id" in capsys.readouterr().err
    assert cli_env.read_bytes() == before
    existing = employer_ids["employer2"]
    assert main(["users", "add", "employer4", "--role", "employer", "--employer-id", str(existing), "--password-stdin"]) == 0
    assert auth.verify_login("employer4", "Employer-four-44", cli_env).scoped_employer_id == existing


def test_generated_password_is_printed_once_and_works(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "reset-password", "policy1", "--generate"]) == 0
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].rsplit(": ", 1)[1]
    assert len(password) == 16 and password not in cli_env.read_text(encoding="utf-8")
    assert auth.verify_login("policy1", password, cli_env) is not None
    assert auth.verify_login("policy1", DEMO_PASSWORDS["policy1"], cli_env) is None


def test_prompt_asks_twice_and_refuses_a_mismatch(cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _stdin(monkeypatch, "", terminal=True)
    answers = iter(["First-password-1", "Other-password-2"])
    monkeypatch.setattr(users_cli.getpass, "getpass", lambda prompt: next(answers))
    before = cli_env.read_bytes()
    assert main(["users", "reset-password", "counsellor1"]) == 2
    assert "두 비밀번호가 다릅니다" in capsys.readouterr().err
    assert cli_env.read_bytes() == before
    answers = iter(["Same-password-77", "Same-password-77"])
    assert main(["users", "reset-password", "counsellor1"]) == 0
    assert auth.verify_login("counsellor1", "Same-password-77", cli_env) is not None


def test_no_terminal_and_no_password_option_is_refused(cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _stdin(monkeypatch, "", terminal=False)
    assert main(["users", "add", "policy9", "--role", "policy"]) == 2
    assert "--generate 또는 --password-stdin" in capsys.readouterr().err
    assert "policy9" not in cli_env.read_text(encoding="utf-8")


def test_password_is_never_taken_from_argv(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "add", "policy9", "--role", "policy", "--password", "Visible-in-history"]) == 2
    assert "policy9" not in cli_env.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["add", "Policy 9", "--role", "policy", "--password-stdin"], "Long-enough-9\n", "아이디는"),
        (["add", "policy1", "--role", "policy", "--password-stdin"], "Long-enough-9\n", "이미 있는"),
        (["add", "policy9", "--role", "policy", "--password-stdin"], "short\n", "10자 이상"),
        (["reset-password", "ghost", "--password-stdin"], "Long-enough-9\n", "없는 계정"),
        (["disable", "ghost"], "", "없는 계정"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str, message: str
) -> None:
    before = cli_env.read_bytes()
    _stdin(monkeypatch, stdin)
    assert main(["users", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "Long-enough-9" not in err
    assert cli_env.read_bytes() == before


def test_disable_and_enable(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "disable", "employer3"]) == 0
    assert "계정 사용을 중지했습니다: employer3" in capsys.readouterr().out
    assert auth.verify_login("employer3", DEMO_PASSWORDS["employer3"], cli_env) is None
    assert main(["users", "list"]) == 0
    assert any(line.startswith("employer3\t") and line.endswith("\t사용 중지") for line in capsys.readouterr().out.splitlines())
    assert main(["users", "disable", "employer3"]) == 0
    assert "이미 사용 중지된 계정" in capsys.readouterr().out
    assert main(["users", "enable", "employer3"]) == 0
    assert auth.verify_login("employer3", DEMO_PASSWORDS["employer3"], cli_env) is not None


def test_reset_lifts_a_lock_and_list_shows_it(cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    from app.db.engine import make_engine

    engine = make_engine(get_settings().db_url)
    for i in range(5):
        login.attempt_login(engine, cli_env, "counsellor2", f"wrong-{i}", client_key="t")
    assert main(["users", "list"]) == 0
    assert any(line.startswith("counsellor2\t") and "로그인 잠김(15분)" in line for line in capsys.readouterr().out.splitlines())
    _stdin(monkeypatch, "Unlocked-pass-55\n")
    assert main(["users", "reset-password", "counsellor2", "--password-stdin"]) == 0
    assert login.attempt_login(engine, cli_env, "counsellor2", "Unlocked-pass-55", client_key="t").user is not None
    engine.dispose()


def test_missing_users_file_exits_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GOYONG_USERS_FILE", str(tmp_path / "none.yaml"))
    get_settings.cache_clear()
    try:
        assert main(["users", "list"]) == 1
        assert "계정 파일이 없습니다" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_help_is_korean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "--help"]) == 0
    out = capsys.readouterr().out
    assert "로그인 계정 관리" in out and "reset-password" in out


def _account_rows() -> list[tuple]:
    from sqlalchemy import create_engine, text

    engine = create_engine(get_settings().db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "select username, role, action, input_hash, output from audit_log "
                "where action like 'account.%' order by id"))]
    finally:
        engine.dispose()


def test_every_account_change_is_audited_without_password_material(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass
    import json

    _stdin(monkeypatch, "Counsel-three-33\n")
    assert main(["users", "add", "counsellor3", "--role", "counsellor", "--name", "홍길동", "--password-stdin"]) == 0
    assert main(["users", "reset-password", "counsellor3", "--generate"]) == 0
    generated = capsys.readouterr().out.strip().splitlines()[-1].rsplit(": ", 1)[1]
    assert main(["users", "disable", "counsellor3"]) == 0
    assert main(["users", "disable", "counsellor3"]) == 0  # nothing changed, still an administrator's act
    assert main(["users", "enable", "counsellor3"]) == 0
    rows = _account_rows()
    operator = getpass.getuser()[:40]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (operator, "cli", "account.add"), (operator, "cli", "account.reset_password"),
        (operator, "cli", "account.disable"), (operator, "cli", "account.disable"), (operator, "cli", "account.enable"),
    ]
    assert {r[3] for r in rows} == {login.account_key("counsellor3")}
    outputs = [json.loads(r[4]) if isinstance(r[4], str) else r[4] for r in rows]
    assert outputs[0] == {"account": "counsellor3", "role": "counsellor", "employer_id": None, "password_source": "entered"}
    assert outputs[1] == {"account": "counsellor3", "password_source": "generated"}
    assert [o["changed"] for o in outputs[2:]] == [True, False, True]
    dumped = str(rows)
    assert "Counsel-three-33" not in dumped and generated not in dumped and "$2" not in dumped
    assert "홍길동" not in dumped  # a display name may be a person's name


def test_a_change_without_a_database_to_record_it_is_refused(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{tmp_path / 'missing.db'}")
    get_settings.cache_clear()
    before = cli_env.read_bytes()
    assert main(["users", "disable", "employer3"]) == 1
    assert "데이터베이스가 없어 실행하지 않았습니다" in capsys.readouterr().err
    _stdin(monkeypatch, "Long-enough-99\n")
    assert main(["users", "reset-password", "employer3", "--password-stdin"]) == 1
    assert cli_env.read_bytes() == before and not (tmp_path / "missing.db").exists()


def test_a_change_whose_record_fails_says_so_and_exits_1(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services import audit

    def unavailable(*_args: object, **_kwargs: object) -> None:
        raise audit.AuditUnavailable()

    monkeypatch.setattr(audit, "_write_durably", unavailable)
    assert main(["users", "disable", "employer3"]) == 1
    assert "감사 로그에 기록하지 못했습니다" in capsys.readouterr().err
    assert auth.verify_login("employer3", DEMO_PASSWORDS["employer3"], cli_env) is None  # the change itself stands


def test_add_seeker_needs_an_existing_seeker(cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys, seeker_ids) -> None:
    before = cli_env.read_bytes()
    _stdin(monkeypatch, "Seeker-four-444\n")
    assert main(["users", "add", "seeker4", "--role", "seeker", "--seeker-id", "99999999", "--password-stdin"]) == 2
    assert "구직자 ID 99999999" in capsys.readouterr().err
    assert main(["users", "add", "seeker4", "--role", "seeker", "--password-stdin"]) == 2
    assert "--seeker-id" in capsys.readouterr().err
    assert main(["users", "add", "counsellor9", "--role", "counsellor", "--seeker-id", "5", "--password-stdin"]) == 2
    assert "구직자 계정에만" in capsys.readouterr().err
    assert cli_env.read_bytes() == before
    existing = seeker_ids["seeker2"]
    assert main(["users", "add", "seeker4", "--role", "seeker", "--seeker-id", str(existing), "--password-stdin"]) == 0
    user = auth.verify_login("seeker4", "Seeker-four-444", cli_env)
    assert user is not None and user.scoped_seeker_id == existing and user.scoped_employer_id is None
