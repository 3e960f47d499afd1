"""The copilot's services on a private copy of the small built world: contexts, roles, the whole
preparation, the stored outputs beside the counsellor's edits, summaries saved with their audit rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app.auth import User
from app.db.engine import make_engine
from app.reference.tables import load_reference
from app.services import copilot, employment
from tests.conftest import copy_world_database

COUNSELLOR = User("counsellor-copilot", "상담사", "counsellor")


@pytest.fixture(scope="module")
def built_copy(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    url, models = hiring_built
    path = copy_world_database(url, tmp_path_factory.mktemp("copilot") / "w.db")
    engine = make_engine(f"sqlite:///{path}")
    yield engine, models
    engine.dispose()


@pytest.fixture(scope="module")
def world(built_copy: tuple[Engine, Path]):  # noqa: ANN201
    engine, models = built_copy
    model = employment.load_employment_model(models)
    bands = employment.load_risk_bands(engine)
    reference = load_reference()
    ids = employment.caseload_scores(engine, model)["id"].astype(int).tolist()
    return engine, model, bands, reference, ids


def _count(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def test_the_whole_preparation_passes_the_check_for_every_caseload_seeker(world) -> None:  # noqa: ANN001
    engine, model, bands, reference, ids = world
    graph = copilot.occupation_graph(engine, reference)
    market = copilot.market_context(engine, model)
    assert len(ids) >= 30
    barriers = 0
    for seeker_id in ids[:40]:
        context = copilot.counsellor_context(engine, model, seeker_id, bands, reference)
        assert context.employment is not None and 0 < context.employment.probability < 1
        for task in copilot.preparation_tasks(context, reference, graph, market):
            output = copilot.run(task, None, reference).output
            assert output.removed == 0, (task.name, [s.removed for s in output.statements if s.removed])
            assert output.shown
            if task.name == "diagnosis":
                barriers += len(output.of_kind("barrier"))
                assert output.of_kind("risk")[0].sources == ("model.employment",)
    assert barriers >= 40  # seekers of the open caseload have barriers to name


def test_a_seeker_outside_the_caseload_has_no_counsellor_context(world) -> None:  # noqa: ANN001
    engine, model, bands, reference, ids = world
    with engine.connect() as conn:
        listed = ",".join(str(int(i)) for i in ids)  # integers of the caseload, not user input
        outside = conn.execute(text(f"SELECT id FROM seekers WHERE id NOT IN ({listed}) LIMIT 1")).scalar_one()
    with pytest.raises(employment.SeekerNotFound):
        copilot.counsellor_context(engine, model, int(outside), bands, reference)
    own = copilot.own_context(engine, int(outside), reference)
    assert own.employment is None and own.desired_occupation


@pytest.mark.parametrize("role", ["employer", "policy", "seeker"])
def test_only_counsellors_confirm_and_save(world, role: str) -> None:  # noqa: ANN001
    engine, _, _, _, ids = world
    user = User(f"{role}-copilot", role, role, employer_id=1 if role == "employer" else None,
                seeker_id=ids[0] if role == "seeker" else None)
    with pytest.raises(copilot.CopilotAccessDenied):
        copilot.require_counsellor(user)
    with pytest.raises(copilot.CopilotAccessDenied):
        copilot.confirm_output(engine, user, ids[0], 1, {"text": "x"})


def test_own_seeker_id_is_the_accounts_seeker() -> None:
    assert copilot.own_seeker_id(User("s", "구직자", "seeker", seeker_id=17)) == 17
    with pytest.raises(copilot.CopilotAccessDenied):
        copilot.own_seeker_id(User("s", "구직자", "seeker"))
    with pytest.raises(copilot.CopilotAccessDenied):
        copilot.own_seeker_id(COUNSELLOR)


def test_an_output_is_kept_once_a_day_and_the_edit_is_stored_beside_it_with_an_audit_row(world) -> None:  # noqa: ANN001
    engine, model, bands, reference, ids = world
    seeker_id = ids[1]
    context = copilot.counsellor_context(engine, model, seeker_id, bands, reference)
    result = copilot.run(copilot.diagnosis(context, reference), None, reference)
    record_id = copilot.record_shown(engine, COUNSELLOR, seeker_id, result.output, result.input_hash)
    assert copilot.record_shown(engine, COUNSELLOR, seeker_id, result.output, result.input_hash) == record_id
    audits = _count(engine, "SELECT COUNT(*) FROM audit_log WHERE action = 'copilot.confirm'")
    with engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM seekers WHERE id = :i"), {"i": seeker_id}).scalar_one()
    copilot.confirm_output(engine, COUNSELLOR, seeker_id, record_id, {"text": f"{name} 님은 010-2222-3333로 연락. 수정본"})
    with engine.connect() as conn:
        original, edited, status = conn.execute(
            text("SELECT original, edited, status FROM copilot_records WHERE id = :i"), {"i": record_id}).one()
    assert status == "confirmed"
    assert json.loads(original) == json.loads(json.dumps(result.output.to_record(), ensure_ascii=False))
    assert "수정본" in edited and name not in edited and "010-2222-3333" not in edited
    assert _count(engine, "SELECT COUNT(*) FROM audit_log WHERE action = 'copilot.confirm'") == audits + 1
    with pytest.raises(copilot.CopilotRecordNotFound):
        copilot.confirm_output(engine, COUNSELLOR, ids[2], record_id, {"text": "다른 구직자"})


def test_a_summary_is_saved_after_the_counsellor_confirms_and_read_back(world) -> None:  # noqa: ANN001
    engine, model, bands, reference, ids = world
    seeker_id = ids[3]
    context = copilot.counsellor_context(engine, model, seeker_id, bands, reference)
    notes = "구직자는 사무보조 일자리를 희망함. 이력서를 다음 주 금요일까지 보완하기로 함. 2주 후 다음 상담 예정."
    day = context.as_of - dt.timedelta(days=3)
    result = copilot.run(copilot.session_summary(notes, day, context), None, reference)
    fields = copilot.summary_fields(result.output)
    assert [i["text"] for i in fields["request"]] == ["사무보조 일자리를 희망함"]
    fields["next_step"][0]["text"] += " (상담사 보완)"
    checked = copilot.validate_edited_summary(fields)
    record_id = copilot.save_summary(engine, COUNSELLOR, seeker_id, result.output, checked, session_date=day,
                                     input_hash=result.input_hash)
    saved = copilot.saved_summaries(engine, seeker_id)
    assert saved[0]["session_date"] == day and saved[0]["confirmed_by"] == COUNSELLOR.username
    assert saved[0]["fields"]["next_step"][0]["text"].endswith("(상담사 보완)")
    assert _count(engine, "SELECT COUNT(*) FROM audit_log WHERE action = 'copilot.summary_save' AND output LIKE :r",
                  r=f'%"record_id": {record_id}%') == 1


@pytest.mark.parametrize(("notes", "shift", "message"), [
    ("   ", 0, "요약할 상담 메모를 적어 주세요."),
    ("상담함.\x07", 0, "제어 문자"),
    ("상담함.", 1, "이후일 수 없습니다"),
])
def test_bad_summary_input_is_refused_in_korean(world, notes: str, shift: int, message: str) -> None:  # noqa: ANN001
    engine, model, bands, reference, ids = world
    context = copilot.counsellor_context(engine, model, ids[0], bands, reference)
    with pytest.raises(copilot.InvalidSummary, match=message):
        copilot.session_summary(notes, context.as_of + dt.timedelta(days=shift), context)


def test_the_roadmap_table_lists_every_step_in_korean(world) -> None:  # noqa: ANN001
    engine, model, bands, reference, ids = world
    graph = copilot.occupation_graph(engine, reference)
    market = copilot.market_context(engine, model)
    context = copilot.counsellor_context(engine, model, ids[0], bands, reference)
    output = copilot.run(copilot.roadmap(context, reference, graph, market), None, reference).output
    table = copilot.roadmap_table(output)
    assert list(table.columns) == list(copilot.ROADMAP_TABLE_COLUMNS)
    assert len(table) == sum(len(p["steps"]) for p in output.data["paths"]) >= 2
    assert table["중위 임금"].str.match(r"^월 [\d,억 ]+만원$").all()
