"""훈련 추천 (counsellors), 나에게 맞는 훈련 (seekers) and 훈련 추천 현황 (policy) through AppTest, on a
private copy of the small world with every artifact built.

A counsellor sees a caseload seeker's skill gap and courses ranked by expected uplift with the AI
notice, each list written to the audit log before it is drawn and stored as recommendations shown;
adds a course to the plan once (a second add is refused in Korean); a filter that leaves no course
says so. A seeker sees only their own recommendations and asks their counsellor about a course (the
question stored masked), which the counsellor then sees and answers. Policy staff see the summary
once recommendations were recorded. Other roles are refused; nothing internal is on screen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from app.auth import User
from app.db.engine import make_engine
from app.reference.tables import load_reference
from app.services import audit, training
from app.text.markdown import escape_markdown
from tests.ui.helpers import TIMEOUT, chart_titles, db_rows, db_scalar, point_settings_at_built_copy, run_page, texts
from tests.ui.test_korean_only import _visible_text, internal_identifiers

COUNSELLOR_PAGE = "../../pages/training.py"
SEEKER_PAGE = "../../pages/seeker_training.py"
POLICY_PAGE = "../../pages/training_policy.py"
NO_COURSE = "조건에 맞는 과정이 없습니다. 과정 조건을 넓혀 보세요."
GAP_CHART = "희망 직종에 필요한 역량과 보유 현황"
COMPONENTS_CHART = "추천 과정별 기대 효과의 구성 (수료 시 취업확률 변화, %p)"
POLICY_CHART = "가장 많이 추천된 과정 (추천 받은 구직자와 실제 수강한 구직자)"
QUESTION = "일하면서 들을 수 있나요? 010-1234-5678로 연락 주세요"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], users_file: Path,
        tmp_path: Path) -> Iterator[str]:
    """Settings pointed at a private copy of the built world (the pages write audit rows, plans,
    recommendations shown and questions). The copy starts with no recommendations shown: other
    modules' tests may have written some into the shared original before it is copied."""
    url = point_settings_at_built_copy(monkeypatch, hiring_built, users_file, tmp_path / "training.db")
    _clear_recommendations_shown(url)
    yield url


@pytest.fixture
def engine(env: str) -> Iterator[Engine]:
    engine = make_engine(env)
    yield engine
    engine.dispose()


@pytest.fixture
def artifact(hiring_built: tuple[str, Path]) -> training.TrainingArtifact:
    return training.load_training_artifact(hiring_built[1])


def _counsellor(username: str = "counsellor-training") -> dict[str, Any]:
    return {"username": username, "display_name": "상담사", "role": "counsellor", "employer_id": None}


def _seeker(seeker_id: int, username: str = "seeker-training") -> dict[str, Any]:
    return {"username": username, "display_name": "구직자", "role": "seeker", "employer_id": None,
            "seeker_id": seeker_id}


def _user(role: str, username: str | None = None) -> dict[str, Any]:
    return {"username": username or f"{role}-training", "display_name": role, "role": role,
            "employer_id": 1 if role == "employer" else None}


def _as_user(user: dict[str, Any]) -> User:
    return User(user["username"], user["display_name"], user["role"], user.get("employer_id"),
                seeker_id=user.get("seeker_id"))


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _open(page: str, user: dict[str, Any], seeker: int | None = None) -> AppTest:
    at = AppTest.from_file(page, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user
    if seeker is not None:
        at.query_params["seeker"] = str(seeker)
    at.run()
    _no_exception(at)
    return at


def _course_headings(at: AppTest) -> list[str]:
    """The course cards' headings (``#### rank. title``), in order."""
    return [m.value for m in at.markdown if m.value.startswith("#### ")]


def _expected_headings(rec: training.TrainingRecommendations) -> list[str]:
    return [f"#### {int(r['rank'])}. {escape_markdown(str(r['title']))}" for r in rec.courses.to_dict("records")]


def _shown_columns(at: AppTest, column: str) -> list[str]:
    """The columns the (one) table having ``column`` shows (its ``column_order``)."""
    (table,) = [d for d in at.dataframe if column in d.value.columns]
    return list(table.proto.column_order)


def _audit(url: str, username: str, action: str) -> list[tuple]:
    return db_rows(url, "select id, model_name, model_version, output from audit_log where username=:u and action=:a "
                        "order by id", u=username, a=action)


def _clear_recommendations_shown(url: str) -> None:
    """Empty ``training_recommendations`` of the test's private copy of the built world (other
    modules' tests write to the shared original before it is copied)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy import text as sql

    engine = create_engine(url)
    try:
        if inspect(engine).has_table("training_recommendations"):
            with engine.begin() as conn:
                conn.execute(sql("DELETE FROM training_recommendations"))
    finally:
        engine.dispose()


def _shown(url: str, seeker_id: int, role: str) -> list[tuple]:
    return db_rows(url, "select course_id, rank from training_recommendations where seeker_id=:s and shown_to_role=:r "
                        "order by rank", s=seeker_id, r=role)


# --------------------------------------------------------------------------- counsellor


def test_the_counsellor_page_shows_gap_courses_and_notice_logged_first(
        env: str, engine: Engine, artifact: training.TrainingArtifact) -> None:
    user = _counsellor("counsellor-recs")
    at = _open(COUNSELLOR_PAGE, user)
    assert [t.value for t in at.title] == ["훈련 추천"]
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    rec = training.recommend_for_seeker(engine, artifact, _as_user(user), seeker, reference=load_reference())
    assert 0 < len(rec.courses) <= training.DEFAULT_TOP  # only courses expected to help, one round a programme

    # the gap: its sentence and chart, one bar per skill the desired occupation needs
    assert (f"희망 직종 **{escape_markdown(rec.desired_name)}**에 필요한 역량 {len(rec.gap.required)}개 중 "
            f"{len(rec.gap.held)}개를 갖추고 있습니다 (부족 {len(rec.gap.missing)}개).") in texts(at)
    assert chart_titles(at) == [GAP_CHART, COMPONENTS_CHART]
    # the ranked cards, each with its add button, under the AI notice with the model version
    assert _course_headings(at) == _expected_headings(rec)
    (notice,) = [i.value for i in at.info if i.value.startswith("AI 추천 결과입니다")]
    assert f"직업훈련추천 모델 {rec.model_version}" in notice and f"과정 {rec.n_open:,}개 중" in notice
    assert [b.label for b in at.button if b.label == "상담 계획에 추가"] == ["상담 계획에 추가"] * len(rec.courses)
    uplifts = [m.value for m in at.metric if m.label == "기대 효과(취업확률)"]
    assert uplifts == [f"{u * 100:+.1f}%p" for u in rec.courses["uplift"]]

    # logged with the recommender's name and version, the courses in the order shown
    rows = _audit(env, "counsellor-recs", "training.recommend")
    assert len(rows) == 1
    _, model_name, version, output = rows[0]
    assert (model_name, version) == (training.MODEL_NAME, rec.model_version)
    logged = json.loads(output)
    assert logged["seeker_id"] == seeker
    assert [c["course_id"] for c in logged["courses"]] == rec.courses["course_id"].tolist()
    # and one recommendation row per course shown; drawing the page again stores nothing new
    expected = list(zip(rec.courses["course_id"].astype(int), rec.courses["rank"].astype(int), strict=True))
    assert _shown(env, seeker, "counsellor") == expected
    at.run()
    _no_exception(at)
    assert len(_audit(env, "counsellor-recs", "training.recommend")) == 1
    assert _shown(env, seeker, "counsellor") == expected
    assert internal_identifiers(_visible_text(at)) == []


def test_no_audit_row_means_no_recommendation(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    logged = audit.log_model_output

    def recommender_unavailable(*args: Any, **kwargs: Any) -> audit.Durability:
        if kwargs["model_name"] == training.MODEL_NAME:  # the caseload (employment model) is still logged
            raise audit.AuditUnavailable("감사 로그를 기록할 수 없습니다.")
        return logged(*args, **kwargs)

    monkeypatch.setattr(audit, "log_model_output", recommender_unavailable)
    # the built world is shared with other modules' tests, which may have shown this seeker courses
    at = _open(COUNSELLOR_PAGE, _counsellor("counsellor-nolog"))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    assert at.error
    assert not _course_headings(at) and not at.get("plotly_chart") and not at.metric
    assert not [b for b in at.button if b.label == "상담 계획에 추가"]
    assert _audit(env, "counsellor-nolog", "training.recommend") == []
    assert _shown(env, seeker, "counsellor") == []


def test_adding_a_course_to_the_plan_stores_it_once(env: str, engine: Engine) -> None:
    at = _open(COUNSELLOR_PAGE, _counsellor("counsellor-plan"))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    assert "상담 계획에 담긴 직업훈련 과정이 없습니다. 훈련 추천에서 과정을 추가할 수 있습니다." in texts(at)
    first = at.button[[b.label for b in at.button].index("상담 계획에 추가")]
    course = int(first.key.rsplit(".", 1)[1])
    title = db_scalar(env, "select title from courses where id=:c", c=course)
    first.click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == [escape_markdown(f"'{title}' 과정을 상담 계획에 추가했습니다.")]
    plan = next(d.value for d in at.dataframe if "훈련과정" in d.value.columns and "추가한 사람" in d.value.columns)
    assert plan["훈련과정"].tolist() == [title] and plan["추가한 사람"].tolist() == ["counsellor-plan"]
    assert "과정 번호" not in _shown_columns(at, "추가한 사람") and "훈련과정" in _shown_columns(at, "추가한 사람")
    assert db_rows(env, "select course_id, added_by, removed_at from training_plans where seeker_id=:s", s=seeker) == [
        (course, "counsellor-plan", None)]
    (row,) = _audit(env, "counsellor-plan", training.PLAN_ADD_ACTION)
    assert json.loads(row[3])["course_id"] == course and json.loads(row[3])["seeker_id"] == seeker

    at.button(key=f"training.add.{course}").click().run()  # the same course again (a stale screen, a second tab)
    _no_exception(at)
    assert [e.value for e in at.error] == ["이 훈련과정은 이미 이 구직자의 상담 계획에 있습니다."]
    assert not at.success
    assert db_scalar(env, "select count(*) from training_plans where seeker_id=:s", s=seeker) == 1
    assert len(_audit(env, "counsellor-plan", training.PLAN_ADD_ACTION)) == 1
    assert training.plan_counts(engine, [seeker]) == {seeker: 1}


def test_a_filter_that_leaves_no_course_says_so(env: str, engine: Engine) -> None:
    as_of = training.reference_date_of(engine)
    open_fields = {str(code)[:2] for code, in db_rows(env, "select ncs_code from courses where start_date >= :d",
                                                      d=as_of.isoformat())}
    empty_field = next(c for c in load_reference().ncs_fields["ncs_code"].astype(str) if c not in open_fields)
    at = _open(COUNSELLOR_PAGE, _counsellor("counsellor-filter"))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    assert _course_headings(at)
    at.selectbox(key="training.filter.field").set_value(empty_field).run()
    _no_exception(at)
    assert [i.value for i in at.info if i.value == NO_COURSE] == [NO_COURSE]
    assert not _course_headings(at) and not [b for b in at.button if b.label == "상담 계획에 추가"]
    assert chart_titles(at) == [GAP_CHART]  # the gap stays; no components chart of nothing
    rows = _audit(env, "counsellor-filter", "training.recommend")
    assert len(rows) == 2 and json.loads(rows[-1][3])["courses"] == []
    assert db_scalar(env, "select count(*) from training_recommendations where seeker_id=:s", s=seeker) == len(
        json.loads(rows[0][3])["courses"])


# --------------------------------------------------------------------------- seeker, question and answer


def test_a_seeker_sees_only_their_own_recommendations(
        env: str, engine: Engine, artifact: training.TrainingArtifact, seeker_ids: dict[str, int]) -> None:
    mine, other = seeker_ids["seeker1"], seeker_ids["seeker2"]
    user = _seeker(mine, "seeker-own")
    # another seeker's question is never on this seeker's page
    other_rec = training.recommend_for_seeker(engine, artifact, _as_user(_seeker(other)), None, top=5,
                                              reference=load_reference())
    training.record_shown(engine, other, other_rec.courses.rename(columns={"uplift": "score"}),
                          other_rec.model_version, "seeker")
    training.ask_about_course(engine, _as_user(_seeker(other)), int(other_rec.courses["course_id"].iloc[0]),
                              "다른 구직자의 비밀 문의")

    at = _open(SEEKER_PAGE, user, seeker=other)  # a seeker's page ignores a seeker in the URL
    assert [t.value for t in at.title] == ["나에게 맞는 훈련"]
    rec = training.recommend_for_seeker(engine, artifact, _as_user(user), None, top=5, reference=load_reference())
    assert rec.seeker_id == mine
    assert _course_headings(at) == _expected_headings(rec)
    assert any(i.value.startswith(f"AI 추천 결과입니다 · 직업훈련추천 모델 {rec.model_version}") for i in at.info)
    assert chart_titles(at) == [GAP_CHART]
    assert "다른 구직자의 비밀 문의" not in texts(at)
    assert not any("다른 구직자의 비밀 문의" in d.value.to_csv() for d in at.dataframe)
    (row,) = _audit(env, "seeker-own", "training.recommend")
    assert json.loads(row[3])["seeker_id"] == mine and row[1] == training.MODEL_NAME
    assert _shown(env, mine, "seeker") == list(zip(rec.courses["course_id"].astype(int),
                                                   rec.courses["rank"].astype(int), strict=True))
    # plain Korean, no counsellor's component figures or add buttons
    assert "보낸 문의가 없습니다." in texts(at) and "상담 계획에 담긴 과정이 아직 없습니다." in texts(at)
    assert not [b for b in at.button if b.label == "상담 계획에 추가"]
    assert internal_identifiers(_visible_text(at)) == []


def test_a_question_is_stored_masked_and_the_counsellor_answers_it(
        env: str, engine: Engine, artifact: training.TrainingArtifact, seeker_ids: dict[str, int]) -> None:
    seeker = seeker_ids["seeker1"]
    at = _open(SEEKER_PAGE, _seeker(seeker, "seeker-asks"))
    rec = training.recommend_for_seeker(engine, artifact, _as_user(_seeker(seeker)), None, top=5,
                                        reference=load_reference())
    course = int(rec.courses["course_id"].iloc[0])  # the first card's form
    title = db_scalar(env, "select title from courses where id=:c", c=course)
    at.text_area[0].input(QUESTION)
    next(b for b in at.button if b.label == "보내기").click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == [escape_markdown(
        f"'{title}' 과정에 대한 문의를 상담사에게 보냈습니다. 답변은 아래 '내 문의와 답변'에서 볼 수 있습니다.")]
    ((message,),) = db_rows(env, "select message from training_questions where seeker_id=:s and course_id=:c",
                            s=seeker, c=course)
    assert "010-1234-5678" not in message and "5678로 연락 주세요" in message and message.startswith("일하면서 들을 수")
    mine = next(d.value for d in at.dataframe if "문의 내용" in d.value.columns)
    assert mine["문의 내용"].tolist() == [message] and mine["상태"].tolist() == [training.OPEN_LABEL]
    assert not {"문의 번호", "구직자 번호", "과정 번호"} & set(_shown_columns(at, "문의 내용"))
    assert len(_audit(env, "seeker-asks", training.QUESTION_ACTION)) == 1

    counsellor = _open(COUNSELLOR_PAGE, _counsellor("counsellor-answers"), seeker=seeker)
    assert int(counsellor.selectbox(key="employment.seeker_id").value) == seeker
    asked = next(d.value for d in counsellor.dataframe if "문의 내용" in d.value.columns)
    assert asked["문의 내용"].tolist() == [message] and asked["훈련과정"].tolist() == [title]
    assert "010-1234-5678" not in asked.to_csv()
    counsellor.text_area[0].input("네, 야간반이 있습니다.")
    next(b for b in counsellor.button if b.label == "답변 보내기").click().run()
    _no_exception(counsellor)
    assert escape_markdown("문의에 답변했습니다.") in [s.value for s in counsellor.success]
    assert db_rows(env, "select answer, answered_by from training_questions where seeker_id=:s", s=seeker) == [
        ("네, 야간반이 있습니다.", "counsellor-answers")]
    assert len(_audit(env, "counsellor-answers", training.ANSWER_ACTION)) == 1
    assert not [b for b in counsellor.button if b.label == "답변 보내기"]  # nothing left to answer
    assert internal_identifiers(_visible_text(counsellor)) == []

    at = _open(SEEKER_PAGE, _seeker(seeker, "seeker-asks"))
    answered = next(d.value for d in at.dataframe if "문의 내용" in d.value.columns)
    assert answered["상태"].tolist() == ["답변 완료"] and answered["답변"].tolist() == ["네, 야간반이 있습니다."]


# --------------------------------------------------------------------------- policy


def test_the_policy_page_shows_the_summary_once_recommendations_are_recorded(
        env: str, engine: Engine, seeker_ids: dict[str, int]) -> None:
    at = _open(POLICY_PAGE, _user("policy", "policy-before"))
    assert [t.value for t in at.title] == ["훈련 추천 현황"]
    assert [i.value for i in at.info] == ["아직 기록된 추천이 없습니다. 상담사나 구직자가 훈련 추천을 보면 여기에 쌓입니다."]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")

    _open(COUNSELLOR_PAGE, _counsellor("counsellor-for-policy"))
    _open(SEEKER_PAGE, _seeker(seeker_ids["seeker1"], "seeker-for-policy"))
    summary = training.recommendation_summary(engine)
    never = training.recommended_never_taken(engine)
    assert len(summary) > 0
    at = _open(POLICY_PAGE, _user("policy", "policy-after"))
    (notice,) = [i.value for i in at.info]
    assert notice.startswith("AI 추천 집계입니다 · 직업훈련추천 모델 ")
    (row,) = _audit(env, "policy-after", "training.policy")
    assert row[1] == training.MODEL_NAME and row[2] in notice
    assert json.loads(row[3])["courses"] == len(summary)
    assert _audit(env, "policy-before", "training.policy") == []  # nothing of the model shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "추천된 과정": f"{len(summary):,}개",
        "추천 받은 구직자(연인원)": f"{int(summary['seekers_recommended'].sum()):,}명",
        "추천 후 수강": f"{int(summary['enrolled_after'].sum()):,}명",
        "추천만 되고 수강 없는 과정": f"{len(never):,}개",
    }
    table = next(d.value for d in at.dataframe if "추천 횟수" in d.value.columns)
    assert len(table) == len(summary) and "course_id" not in table.columns
    assert table["훈련과정"].tolist() == summary["title"].tolist()
    assert chart_titles(at) == [POLICY_CHART]
    assert [d.proto.label for d in at.get("download_button")] == ["CSV 내려받기"]
    assert internal_identifiers(_visible_text(at)) == []


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("page", "role", "message"), [
    (COUNSELLOR_PAGE, "employer", "이 화면은 직업상담사 전용입니다. 현재 역할: 구인기업"),
    (COUNSELLOR_PAGE, "seeker", "이 화면은 직업상담사 전용입니다. 현재 역할: 구직자"),
    (COUNSELLOR_PAGE, "policy", "이 화면은 직업상담사 전용입니다. 현재 역할: 정책·운영"),
    (SEEKER_PAGE, "employer", "이 화면은 구직자 전용입니다. 현재 역할: 구인기업"),
    (SEEKER_PAGE, "counsellor", "이 화면은 구직자 전용입니다. 현재 역할: 직업상담사"),
    (SEEKER_PAGE, "policy", "이 화면은 구직자 전용입니다. 현재 역할: 정책·운영"),
    (POLICY_PAGE, "employer", "이 화면은 정책·운영 전용입니다. 현재 역할: 구인기업"),
    (POLICY_PAGE, "seeker", "이 화면은 정책·운영 전용입니다. 현재 역할: 구직자"),
    (POLICY_PAGE, "counsellor", "이 화면은 정책·운영 전용입니다. 현재 역할: 직업상담사"),
])
def test_other_roles_are_refused(env: str, seeker_ids: dict[str, int], page: str, role: str, message: str) -> None:
    user = _seeker(seeker_ids["seeker1"]) if role == "seeker" else _user(role)
    at = run_page(page, user)
    _no_exception(at)
    assert [e.value for e in at.error] == [message]
    assert not at.title and not at.button and not at.metric and not at.dataframe
    assert db_scalar(env, "select count(*) from audit_log where username=:u and action='training.recommend'",
                     u=user["username"]) == 0


def test_a_seeker_past_the_caseload_window_is_told_what_to_do(env: str) -> None:
    oldest = int(db_scalar(env, "select id from seekers order by registered_on, id limit 1"))
    at = _open(SEEKER_PAGE, _seeker(oldest, "seeker-old"))
    assert [w.value for w in at.warning] == [
        "훈련 추천은 구직 등록 후 180일 안에 볼 수 있습니다. 훈련 상담은 담당 상담사에게 문의하세요."]
    assert not _course_headings(at) and not at.get("plotly_chart")
    assert _audit(env, "seeker-old", "training.recommend") == []
