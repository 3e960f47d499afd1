"""The seam between the product and its pages: one error base, the logged-in user, the AI notice."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

import app.services.employment as employment
import app.services.hiring as hiring
import app.services.posting as posting
from app import errors, labour, services
from app.auth import User
from app.db.importers.results import ImportValidationError
from app.ml.manifest import ArtifactMissing
from app.verify.rules import InvalidRules
from components.display import ai_notice_text


def _service_modules() -> list[object]:
    """Every first-level module and package of app.services (a new capability is checked too)."""
    root = Path(services.__file__).parent
    names = sorted(p.stem if p.is_file() else p.name for p in root.iterdir()
                   if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file())
    return [importlib.import_module(f"app.services.{name}") for name in names]


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for module in (*_service_modules(), labour):
        for name in getattr(module, "__all__", dir(module)):
            value = getattr(module, name)
            if inspect.isclass(value) and issubclass(value, BaseException):
                found.append(value)
    return [*found, ArtifactMissing, InvalidRules, ImportValidationError]


def test_every_error_a_user_may_see_has_the_one_base_and_a_kind() -> None:
    classes = _exception_classes()
    assert len(classes) >= 15
    kinds = (errors.InvalidInput, errors.NotFound, errors.AccessDenied, errors.NotReady)
    for cls in classes:
        assert issubclass(cls, errors.GoyongError), cls
        assert issubclass(cls, kinds), cls


def test_the_kinds_keep_their_builtin_meaning() -> None:
    assert issubclass(hiring.InvalidConditions, ValueError)
    assert issubclass(hiring.PostingNotFound, LookupError)
    assert issubclass(hiring.PostingAccessDenied, PermissionError)
    assert issubclass(ArtifactMissing, RuntimeError)
    err = employment.SeekerNotFound("구직자 #7을(를) 찾을 수 없습니다.")
    assert err.user_message == str(err) == "구직자 #7을(를) 찾을 수 없습니다."


def test_one_access_error_for_postings() -> None:
    assert posting.PostingAccessDenied is hiring.PostingAccessDenied
    assert not hasattr(posting, "PostingAccessError")


@pytest.mark.parametrize(
    ("role", "employer_id", "scope"),
    [("employer", 12, 12), ("employer", None, 0), ("counsellor", None, None), ("policy", 3, None)],
)
def test_scoped_employer_id_fails_closed(role: str, employer_id: int | None, scope: int | None) -> None:
    user = User(username="u", display_name="사용자", role=role, employer_id=employer_id)
    assert user.scoped_employer_id == scope


def test_user_round_trips_through_a_plain_dict() -> None:
    user = User(username="employer1", display_name="구인기업 담당자 1", role="employer", employer_id=1)
    assert User.from_dict(user.to_dict()) == user
    assert User.from_dict({"username": "p", "display_name": "p", "role": "policy", "employer_id": None}).employer_id is None


def test_ai_notice_text_says_what_which_model_and_who_decides() -> None:
    assert ai_notice_text("AI 예측 결과", "모델 버전 1.1", note="결정은 상담사가 내립니다.") == (
        "AI 예측 결과입니다 · 모델 버전 1.1 · 결정은 상담사가 내립니다."
    )
    assert ai_notice_text("AI 검증 결과", "규칙 버전 3", "모델 버전 1.3") == "AI 검증 결과입니다 · 규칙 버전 3 · 모델 버전 1.3"
