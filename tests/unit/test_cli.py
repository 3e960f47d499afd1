"""The command line: world, build, and refusal of bad arguments."""

from __future__ import annotations

import pytest

from app.cli import main
from app.config import get_settings


@pytest.fixture()
def settings_env(tmp_path, monkeypatch):
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("GOYONG_USERS_FILE", str(tmp_path / "users.yaml"))
    monkeypatch.setenv("GOYONG_WORLD_SIZE", "small")
    monkeypatch.setenv("GOYONG_DEMO_PASSWORD", "test-password-123")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_world_command_prints_counts_and_fingerprint(settings_env, capsys) -> None:
    code = main(["world", "--size", "small", "--seed", "3", "--db-url", f"sqlite:///{settings_env / 'w.db'}"])
    out = capsys.readouterr().out
    assert code == 0
    assert "postings: 400행" in out
    assert "fingerprint:" in out


def test_build_command_writes_manifest_and_is_idempotent(settings_env, capsys) -> None:
    assert main(["build", "--seed", "5"]) == 0
    first = capsys.readouterr().out
    assert "세계 새로 생성" in first
    assert (settings_env / "models" / "manifest.json").exists()
    assert main(["build", "--seed", "5"]) == 0
    second = capsys.readouterr().out
    assert "세계 기존 유지" in second and "모델 0개 빌드" in second


def test_unknown_size_exits_with_usage_error(settings_env) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["world", "--size", "huge"])
    assert exit_info.value.code == 2
