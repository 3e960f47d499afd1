"""구인광고 검증 대기열, 검증 규칙 관리 (policy) and 공고 사전 점검 (employers and policy) through
AppTest, on a private copy of the small world with the ad verifier built.

What the user sees and may do: the queue's tiles and flagged postings by risk, its filters, one
posting's highlighted text with each finding's law and fix, approve/reject with a comment (stored,
audited, the posting leaves the queue); the rule set, its editor, test box, validated saving and
history (a saved version applies to every page); a draft checked with its verdict, findings and
fixes. Other roles are refused; a missing model is a Korean warning naming the build command.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from app.config import get_settings
from app.db.engine import make_engine
from app.services import ads
from app.services.ads import QueueFilter
from app.text.markdown import escape_markdown
from app.text.pii import mask_pii
from app.verify.highlight import highlighted_markdown
from app.verify.rules import FAMILIES, load_default_rules
from app.verify.verifier import load_ad_verifier, load_stored_ads, load_stored_checks
from components.verify import review_form_key
from tests.conftest import copy_world_database
from tests.ui.helpers import db_rows, db_scalar, frame_with, point_settings_at, texts, user_dict

REVIEW = "../../pages/ad_review.py"
RULES = "../../pages/ad_rules.py"
CHECK = "../../pages/ad_check.py"
TIMEOUT = 120  # the queue's first run loads Kiwi and the model; a new rule set re-verifies every posting
METRICS = ["검토 대기", "자동 통과 비율", "검토 완료", "검토자-모델 일치율"]
MARKUP = "문의: <b>굵게</b> **x** [링크](http://example.com) #태그"
CLEAN_TITLE = "사무 보조 직원 모집"
CLEAN_BODY = "문서 정리와 전화 응대 업무입니다.\n남녀 무관, 경력 무관\n주 5일 근무 (09:00~18:00), 4대보험"
UNLAWFUL_TITLE = "물류센터 상하차 직원 모집"
UNLAWFUL_BODY = "물류센터 상하차 업무입니다.\n남자만 지원 가능합니다.\n주 5일 근무 (09:00~18:00)"


# --------------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def pages_db(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built world without saved rules or reviews (they change every page)."""
    url, _ = hiring_built
    path = tmp_path_factory.mktemp("ad_pages") / "pages.db"
    return copy_world_database(url, path, empty=("ad_reviews", "ad_rule_versions"))


@pytest.fixture
def ad_env(
    monkeypatch: pytest.MonkeyPatch, pages_db: Path, hiring_built: tuple[str, Path], users_file: Path
) -> Iterator[str]:
    """Settings pointed at this module's database (read, and audit rows written) and the built models."""
    yield point_settings_at(monkeypatch, pages_db, hiring_built[1], users_file)
    get_settings.cache_clear()


@pytest.fixture
def private_env(
    monkeypatch: pytest.MonkeyPatch, pages_db: Path, hiring_built: tuple[str, Path], users_file: Path, tmp_path: Path
) -> Iterator[str]:
    """Settings pointed at a fresh copy of the database, for a test that saves reviews or rules."""
    db = tmp_path / "private.db"
    shutil.copyfile(pages_db, db)
    yield point_settings_at(monkeypatch, db, hiring_built[1], users_file)
    get_settings.cache_clear()


def _form_key(posting_id: int, n_reviews: int, widget: str) -> str:
    return f"{review_form_key('ad_review.form', posting_id, n_reviews)}.{widget}"


def _user(role: str, username: str, employer_id: int | None = None) -> dict[str, Any]:
    return {**user_dict(role, employer_id), "username": username}


def _run(page: str, user: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(page, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user
    return at.run()


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _submit(at: AppTest, label: str) -> AppTest:
    (button,) = [b for b in at.button if b.label == label]
    return button.click().run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _markdown(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown]


def _queue_state(url: str, models: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(stored checks, reviews, titles) as the service sees them (what the queue page should show)."""
    engine = make_engine(url)
    try:
        titles = load_stored_ads(engine)[["posting_id", "title", "employer_name", "employer_id"]]
        return load_stored_checks(models), ads.load_reviews(engine), titles
    finally:
        engine.dispose()


def _verdict_of(url: str, models: Path, posting_id: int) -> tuple[pd.Series, Any]:
    engine = make_engine(url)
    try:
        verifier = load_ad_verifier(models).with_rules(ads.active_rules(engine))
        return ads.posting_verdict(engine, verifier, posting_id)
    finally:
        engine.dispose()


def _shown(markdown: str) -> str:
    """Markdown as st.markdown keeps it (dedented and stripped: whitespace-only lines become empty)."""
    return textwrap.dedent(markdown).strip()


def _body_markdown(ad: pd.Series, verdict: Any) -> str:
    """The highlighted body exactly as the page should render it."""
    spans = [(h.start, h.end) for h in verdict.hits if h.field == "body" and h.end > h.start]
    return _shown(highlighted_markdown(str(ad["body"]), spans))


def _raw_markdown_characters(markdown: str) -> set[str]:
    """Markdown-significant characters left unescaped (outside the page's own highlight markers)."""
    plain = markdown.replace(":red-background[**", "").replace("**]", "")
    raw, i = set(), 0
    while i < len(plain):
        if plain[i] == "\\":
            i += 2
            continue
        if plain[i] in "()[].*_#<>`!|~":
            raw.add(plain[i])
        i += 1
    return raw


def _audit(url: str, username: str, action: str) -> list[tuple]:
    return db_rows(url, "select role, model_name, model_version, input_hash, output from audit_log "
                        "where username=:u and action=:a order by id", u=username, a=action)


# --------------------------------------------------------------------------- access and missing model


@pytest.mark.parametrize(
    ("page", "role", "message"),
    [
        (REVIEW, "employer", "이 화면은 정책·운영 전용입니다. 현재 역할: 구인기업"),
        (REVIEW, "counsellor", "이 화면은 정책·운영 전용입니다. 현재 역할: 직업상담사"),
        (RULES, "employer", "이 화면은 정책·운영 전용입니다. 현재 역할: 구인기업"),
        (RULES, "counsellor", "이 화면은 정책·운영 전용입니다. 현재 역할: 직업상담사"),
        (CHECK, "counsellor", "이 화면은 구인기업, 정책·운영 전용입니다. 현재 역할: 직업상담사"),
    ],
)
def test_other_roles_are_refused(ad_env: str, employer_ids: dict[str, int], page: str, role: str, message: str) -> None:
    user = _user(role, f"ad-refused-{role}", employer_ids["employer1"] if role == "employer" else None)
    at = _run(page, user)
    _no_exception(at)
    assert [e.value for e in at.error] == [message]
    assert not at.title and not at.dataframe and not at.metric and not at.button and not at.text_area


def test_not_logged_in_is_asked_to_log_in(ad_env: str) -> None:
    at = AppTest.from_file(REVIEW, default_timeout=TIMEOUT).run()
    _no_exception(at)
    assert [w.value for w in at.warning] == ["로그인이 필요합니다."] and not at.title


@pytest.mark.parametrize(("page", "title"), [(REVIEW, "구인광고 검증 대기열"), (RULES, "검증 규칙 관리"), (CHECK, "공고 사전 점검")])
def test_missing_model_names_the_build_command(app_env: None, page: str, title: str) -> None:
    at = _run(page, _user("policy", "ad-nomodel"))
    _no_exception(at)
    assert [t.value for t in at.title] == [title]
    assert any("'ad_verifier' 모델이 아직 만들어지지 않았습니다" in w.value and "python -m app build" in w.value
               for w in at.warning)
    assert not at.metric and not at.dataframe and not at.button and not at.text_area and not at.text_input


# --------------------------------------------------------------------------- 구인광고 검증 대기열


def test_queue_shows_tiles_flagged_postings_and_the_first_postings_findings(
    ad_env: str, hiring_built: tuple[str, Path]
) -> None:
    models = hiring_built[1]
    at = _run(REVIEW, _user("policy", "ad-queue"))
    _no_exception(at)
    assert [t.value for t in at.title] == ["구인광고 검증 대기열"]
    checks, reviews, titles = _queue_state(ad_env, models)

    # tiles: the service's metrics, formatted
    metrics = ads.queue_metrics(checks, reviews)
    assert [m.label for m in at.metric] == METRICS
    assert _metrics(at) == {"검토 대기": f"{metrics.n_waiting:,}건", "자동 통과 비율": f"{metrics.share_passed:.1%}",
                            "검토 완료": "0건", "검토자-모델 일치율": "-"}
    assert metrics.n_waiting == int((checks["decision"] != "pass").sum()) > 0
    assert any(i.value.startswith("AI 검증 결과입니다 · 규칙 버전 1 · 모델 버전 ") for i in at.info)

    # the table: only flagged postings, highest risk first, as the service orders them
    table = frame_with(at, "위험 점수")
    assert table is not None
    assert list(table.columns) == ["공고 번호", "공고명", "판정", "사유", "위험 점수", "기업", "검토 결과"]
    queue = ads.review_queue(checks, reviews, titles, QueueFilter())
    assert table["공고 번호"].tolist() == queue["posting_id"].tolist()
    flagged = set(checks.loc[checks["decision"] != "pass", "posting_id"])
    assert set(table["공고 번호"]) == flagged and set(table["판정"]) == {"차단", "재검증"}
    assert table["위험 점수"].is_monotonic_decreasing
    assert f"{len(queue):,}건 (위험 점수가 높은 순)" in texts(at)

    # the detail of the first posting: AI note, each finding's law and fix, the highlighted body
    first = int(queue["posting_id"].iloc[0])
    assert [s.value for s in at.subheader] == [f"공고 #{first} 상세"]
    ad, verdict = _verdict_of(ad_env, models, first)
    assert verdict.hits and verdict.decision == queue["decision"].iloc[0]
    assert _verdict_line(at).startswith(f"판정: **{verdict.label}** · 위험 점수 ")
    captions = [c.value for c in at.caption]
    markdown = _markdown(at)
    for hit in verdict.hits:
        assert f"근거: {escape_markdown(hit.citation)} · 분야: {escape_markdown(FAMILIES[hit.family])}" in captions
        assert "수정 제안: " + highlighted_markdown(hit.fix, []) in markdown
        severity = {"block": "차단", "review": "재검증"}[hit.severity]
        assert f"**{escape_markdown(hit.name)}** · {severity}" in markdown
    body = _body_markdown(ad, verdict)
    assert body in markdown and ":red-background[" in body
    # the ad's own text is escaped: its dots and brackets cannot format anything
    assert "\\." in body and _raw_markdown_characters(body) == set()
    assert any(c.startswith(f"기업: {escape_markdown(ad['employer_name'])} · 임금: ") for c in captions)
    assert [b.label for b in at.button] == ["검토 결과 저장"]
    (audited,) = _audit(ad_env, "ad-queue", "verify.review_detail")
    assert audited[:2] == ("policy", "ad_verifier") and json.loads(audited[4])["decision"] == verdict.decision

    # filters: by reason (rule) and by decision narrow the table; the detail follows the first row
    at.multiselect(key="ad_review.filter.rules").set_value(["AGE_DISCRIM"]).run()
    _no_exception(at)
    age = ads.review_queue(checks, reviews, titles, QueueFilter(rule_ids=("AGE_DISCRIM",)))
    narrowed = frame_with(at, "위험 점수")
    assert 0 < len(narrowed) < len(table) and narrowed["공고 번호"].tolist() == age["posting_id"].tolist()
    assert narrowed["사유"].tolist() == ads.queue_table(age, load_default_rules())["사유"].tolist()
    assert (narrowed["판정"] == "재검증").all()
    assert [s.value for s in at.subheader] == [f"공고 #{int(age['posting_id'].iloc[0])} 상세"]
    at.multiselect(key="ad_review.filter.rules").set_value([]).run()
    at.multiselect(key="ad_review.filter.decisions").set_value(["block"]).run()
    blocked = frame_with(at, "위험 점수")
    assert set(blocked["공고 번호"]) == set(checks.loc[checks["decision"] == "block", "posting_id"])


def test_law_filter_offers_each_law_once(ad_env: str) -> None:
    at = _run(REVIEW, _user("policy", "ad-queue-laws"))
    options = at.multiselect(key="ad_review.filter.laws").options
    assert "채용절차법" in options and "최저임금법" in options
    assert all(option == option.strip() for option in options), options


def test_review_form_stores_the_decision_and_the_posting_leaves_the_queue(
    private_env: str, hiring_built: tuple[str, Path]
) -> None:
    models = hiring_built[1]
    username = "ad-reviewer"
    checks, reviews, titles = _queue_state(private_env, models)
    queue = ads.review_queue(checks, reviews, titles, QueueFilter())
    first, second = (int(p) for p in queue["posting_id"].head(2))
    # an ad that tries to format, link or inject: shown literally
    with sqlite3.connect(private_env.removeprefix("sqlite:///")) as conn:
        conn.execute("update postings set body = body || :extra where id = :id", {"extra": "\n" + MARKUP, "id": first})

    at = _run(REVIEW, _user("policy", username))
    _no_exception(at)
    assert [s.value for s in at.subheader] == [f"공고 #{first} 상세"]
    ad, verdict = _verdict_of(private_env, models, first)
    assert str(ad["body"]).endswith(MARKUP)
    body = _body_markdown(ad, verdict)
    assert body in _markdown(at)
    assert body.endswith(r"문의\: \<b\>굵게\</b\> \*\*x\*\* \[링크\]\(http\://example\.com\) \#태그")
    assert "<b>" not in body and "](http" not in body and _raw_markdown_characters(body) == set()

    # nothing chosen: the form starts empty and refuses to save
    assert at.radio(key=_form_key(first, 0, "decision")).value is None
    _submit(at, "검토 결과 저장")
    assert "검토 결과(승인 또는 반려)를 골라 주세요" in [e.value for e in at.error]

    # a reject without a reason: a Korean error and nothing stored
    at.radio(key=_form_key(first, 0, "decision")).set_value("reject")
    _submit(at, "검토 결과 저장")
    _no_exception(at)
    assert "반려할 때는 사유를 5자 이상 적어 주세요" in [e.value for e in at.error]
    assert db_scalar(private_env, "select count(*) from ad_reviews") == 0
    assert not _audit(private_env, username, "verify.review")

    # a valid reject: stored with the reviewer and the masked comment, audited, gone from the queue
    comment = "성별 제한 문구 삭제 요청, 담당 010-1234-5678"
    at.radio(key=_form_key(first, 0, "decision")).set_value("reject")
    at.text_area(key=_form_key(first, 0, "comment")).set_value(comment)
    _submit(at, "검토 결과 저장")
    _no_exception(at)
    assert [s.value for s in at.success] == [f"공고 #{first}을(를) 반려(보류) 처리했습니다."]
    stored = db_rows(private_env, "select posting_id, reviewer, decision, comment, model_decision, model_score, "
                                  "rule_ids, rule_set_version from ad_reviews")
    assert stored == [(first, username, "reject", mask_pii(comment), verdict.decision, pytest.approx(verdict.score),
                       ";".join(dict.fromkeys(h.rule_id for h in verdict.hits)), 1)]
    assert "1234-5678" not in stored[0][3]
    (audited,) = _audit(private_env, username, "verify.review")
    assert audited[:2] == ("policy", "ad_verifier") and audited[2].endswith("/rules1")
    assert json.loads(audited[4]) == {"decision": verdict.decision, "review": "reject"}
    table = frame_with(at, "위험 점수")
    assert first not in set(table["공고 번호"]) and len(table) == len(queue) - 1
    assert table["공고 번호"].tolist() == queue["posting_id"].tolist()[1:]
    assert [s.value for s in at.subheader] == [f"공고 #{second} 상세"]
    assert _metrics(at)["검토 대기"] == f"{len(queue) - 1:,}건"
    assert _metrics(at)["검토 완료"] == "1건" and _metrics(at)["검토자-모델 일치율"] == "100%"
    # the next posting's form is its own and empty
    assert at.radio(key=_form_key(second, 0, "decision")).value is None
    assert at.text_area(key=_form_key(second, 0, "comment")).value == ""

    # reviewed postings come back on request, with their decision and history
    at.toggle(key="ad_review.filter.reviewed").set_value(True).run()
    _no_exception(at)
    table = frame_with(at, "위험 점수")
    assert table["공고 번호"].tolist() == queue["posting_id"].tolist()
    assert table.set_index("공고 번호").loc[first, "검토 결과"] == "반려(보류)"
    assert [s.value for s in at.subheader] == [f"공고 #{first} 상세"] and "**검토 이력**" in _markdown(at)
    history = frame_with(at, "검토자")
    assert history is not None and history[["검토자", "결과", "의견"]].values.tolist() == [
        [username, "반려(보류)", mask_pii(comment)]]


def test_two_reviews_in_a_row_each_carry_their_own_decision_and_comment(
    private_env: str, hiring_built: tuple[str, Path]
) -> None:
    """Rejecting one ad must not pre-fill the next: one click once rejected the next ad with the
    first ad's comment (issue 14, item 1)."""
    username = "ad-two-in-a-row"
    checks, reviews, titles = _queue_state(private_env, hiring_built[1])
    queue = ads.review_queue(checks, reviews, titles, QueueFilter())
    first, second, third = (int(p) for p in queue["posting_id"].head(3))
    at = _run(REVIEW, _user("policy", username))
    assert [s.value for s in at.subheader] == [f"공고 #{first} 상세"]
    assert at.radio(key=_form_key(first, 0, "decision")).value is None  # no decision chosen for the reviewer

    at.radio(key=_form_key(first, 0, "decision")).set_value("reject")
    at.text_area(key=_form_key(first, 0, "comment")).set_value("나이 제한 문구를 지워 주세요")
    _submit(at, "검토 결과 저장")
    _no_exception(at)
    assert [s.value for s in at.subheader] == [f"공고 #{second} 상세"]
    assert at.radio(key=_form_key(second, 0, "decision")).value is None
    assert at.text_area(key=_form_key(second, 0, "comment")).value == ""
    # one click on the empty form stores nothing
    _submit(at, "검토 결과 저장")
    assert "검토 결과(승인 또는 반려)를 골라 주세요" in [e.value for e in at.error]
    assert db_scalar(private_env, "select count(*) from ad_reviews") == 1

    # approving overrules the verifier: refused without a reason, stored with one
    at.radio(key=_form_key(second, 0, "decision")).set_value("approve")
    _submit(at, "검토 결과 저장")
    label = {"block": "차단", "review": "재검증"}[str(queue["decision"].iloc[1])]
    assert f"모델 판정({label})과 다르게 승인하려면 사유를 5자 이상 적어 주세요" in [e.value for e in at.error]
    assert db_scalar(private_env, "select count(*) from ad_reviews") == 1
    at.text_area(key=_form_key(second, 0, "comment")).set_value("업종 특성상 문제없는 표현입니다")
    _submit(at, "검토 결과 저장")
    _no_exception(at)
    assert [s.value for s in at.success] == [f"공고 #{second}을(를) 승인(게재) 처리했습니다."]
    assert [s.value for s in at.subheader] == [f"공고 #{third} 상세"]
    assert at.radio(key=_form_key(third, 0, "decision")).value is None
    assert db_rows(private_env, "select posting_id, decision, comment from ad_reviews order by id") == [
        (first, "reject", "나이 제한 문구를 지워 주세요"), (second, "approve", "업종 특성상 문제없는 표현입니다")]

    # the first ad shown again (reviewed ads on request): a fresh, empty form of its own
    at.toggle(key="ad_review.filter.reviewed").set_value(True).run()
    assert [s.value for s in at.subheader] == [f"공고 #{first} 상세"]
    assert at.radio(key=_form_key(first, 1, "decision")).value is None
    assert at.text_area(key=_form_key(first, 1, "comment")).value == ""


INTERNAL_TEXT = re.compile(
    r"\b(?:" + "|".join(sorted(load_default_rules().by_id(), key=len, reverse=True)) + r")\b|[A-Z]{2,}_[A-Z_]+"
    r"|/(?:NN[GPB]|SN|SL|VV|VA|XSN|JKS|JX|MAG)\b|\bUTC\b|\b(?:body|title)\b|Select all|\bML\(")
"""Rule ids (SEX_DISCRIM), Kiwi morpheme tags ("20/SN"), UTC, field keys, English widget text."""


def _screen_text(at: AppTest) -> str:
    """What the user reads: texts, labels, options, table cells and headers (not the YAML editor,
    which is the rules' own source text)."""
    parts = [texts(at)]
    for widget in (*at.multiselect, *at.selectbox, *at.radio, *at.toggle, *at.text_input):
        parts.append(str(widget.label))
        parts += [str(o) for o in getattr(widget, "options", [])]
    parts += [str(b.label) for b in at.button]
    for frame in (d.value for d in at.dataframe):
        parts += [str(c) for c in frame.columns]
        parts += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return "\n".join(parts)


def test_the_review_and_rules_pages_show_no_internal_identifiers(private_env: str) -> None:
    at = _run(REVIEW, _user("policy", "ad-internal-text"))
    _no_exception(at)
    # a reviewed ad in the history, and the posting with the most reasons in view
    at.radio(key=next(r.key for r in at.radio)).set_value("reject")
    at.text_area(key=next(t.key for t in at.text_area)).set_value("성별 제한 문구 삭제 요청")
    _submit(at, "검토 결과 저장")
    at.toggle(key="ad_review.filter.reviewed").set_value(True).run()
    _no_exception(at)
    shown = _screen_text(at)
    assert "AI 분류 모델" in shown and "검토 이력" in shown
    assert INTERNAL_TEXT.findall(shown) == []

    rules = _run(RULES, _user("policy", "ad-internal-rules"))
    rules.text_area(key="ad_rules.test.body").set_value("남자만 지원, 20세 이하")
    rules.button(key="ad_rules.test.run").click().run()
    rules.text_input(key="ad_rules.note").set_value("성별 규칙 이름을 바꿉니다")
    rules.text_area(key="ad_rules.text").set_value(
        rules.text_area(key="ad_rules.text").value.replace("name: 성별 차별\n", "name: 성별 차별 금지\n", 1))
    rules.button(key="ad_rules.save").click().run()
    _no_exception(rules)
    rules.text_area(key="ad_rules.test.body").set_value("남자만 지원, 20세 이하")
    rules.button(key="ad_rules.test.run").click().run()
    assert frame_with(rules, "발견 문구") is not None and frame_with(rules, "바뀐 규칙") is not None
    assert INTERNAL_TEXT.findall(_screen_text(rules)) == []


# --------------------------------------------------------------------------- 검증 규칙 관리


def test_rules_page_tests_validates_and_saves_a_new_version(private_env: str) -> None:
    username = "ad-rules-editor"
    default = load_default_rules()
    at = _run(RULES, _user("policy", username))
    _no_exception(at)
    assert [t.value for t in at.title] == ["검증 규칙 관리"]
    assert _markdown(at)[0] == (f"**현재 규칙 버전 1** · 규칙 {len(default.rules)}개 · 고정 점검 {len(default.conditions)}개"
                                " · 배포된 기본 규칙 적용 중")
    table = frame_with(at, "패턴")
    assert table is not None and list(table.columns) == ["이름", "근거", "처리", "분야", "패턴", "예외"]
    assert table["이름"].tolist() == [r.name for r in (*default.rules, *default.conditions)]
    sex = table.set_index("이름").loc["성별 차별"]
    assert (sex["근거"], sex["처리"], sex["분야"]) == ("남녀고용평등법 제7조 제1항", "차단", "차별")
    editor = at.text_area(key="ad_rules.text")
    assert editor.value == default.to_yaml() and editor.value.startswith("schema_version: 2\nversion: 1\n")
    assert "아직 저장된 변경이 없습니다" in texts(at)

    # the test box: hits of the text in the editor on a sample sentence
    at.text_area(key="ad_rules.test.body").set_value("남자만 지원")
    at.button(key="ad_rules.test.run").click().run()
    _no_exception(at)
    hits = frame_with(at, "발견 문구")
    assert hits is not None and hits[["규칙", "근거", "위치", "발견 문구"]].values.tolist() == [
        ["성별 차별", "남녀고용평등법 제7조 제1항", "본문", "남자만"]]
    at.text_area(key="ad_rules.test.body").set_value("남녀 무관, 누구나 지원 가능")
    at.button(key="ad_rules.test.run").click().run()
    assert "예시 문장에서 걸린 규칙이 없습니다." in [i.value for i in at.info]

    # an invalid edit is reported by the test box and by saving; nothing is written
    edited = editor.value.replace("name: 성별 차별\n", "name: 성별 차별 금지\n", 1)
    assert edited != editor.value
    at.text_area(key="ad_rules.text").set_value(edited.replace("severity: block", "severity: warn", 1))
    at.button(key="ad_rules.test.run").click().run()
    assert any(e.value.startswith("규칙에 오류가 있습니다:") and "severity" in e.value for e in at.error)
    at.text_area(key="ad_rules.text").set_value(default.to_yaml())
    at.text_input(key="ad_rules.note").set_value("바꾼 것이 없습니다")
    at.button(key="ad_rules.save").click().run()
    assert [e.value for e in at.error] == ["저장하지 않았습니다:\n\n바뀐 규칙이 없습니다"]
    at.text_area(key="ad_rules.text").set_value(edited)
    at.text_input(key="ad_rules.note").set_value("짧음")
    at.button(key="ad_rules.save").click().run()
    assert [e.value for e in at.error] == ["저장하지 않았습니다:\n\n" + escape_markdown("변경 사유를 5~300자로 적어 주세요 (입력: 2자)")]
    assert db_scalar(private_env, "select count(*) from ad_rule_versions") == 0

    # a valid change: version 2 in force, with who, why and which rule
    at.text_input(key="ad_rules.note").set_value("성별 규칙 이름을 바꿉니다")
    at.button(key="ad_rules.save").click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == ["규칙 버전 2을(를) 저장해 적용했습니다."] and not at.error
    assert _markdown(at)[0].startswith("**현재 규칙 버전 2** · ") and f"마지막 변경: {username} (" in _markdown(at)[0]
    assert frame_with(at, "패턴")["이름"].iloc[0] == "성별 차별 금지"
    history = frame_with(at, "바뀐 규칙")
    assert history is not None and list(history.columns) == ["버전", "시각", "담당자", "사유", "바뀐 규칙"]
    assert history[["버전", "담당자", "사유", "바뀐 규칙"]].values.tolist() == [[2, username, "성별 규칙 이름을 바꿉니다", "성별 차별 금지"]]
    assert "UTC" not in texts(at)
    assert at.text_area(key="ad_rules.text").value.startswith("schema_version: 2\nversion: 2\n")  # the editor shows the version in force
    assert at.text_input(key="ad_rules.note").value == ""
    assert at.selectbox(key="ad_rules.view_version").value == 2
    assert at.code[0].value.startswith("schema_version: 2\nversion: 2\n") and "성별 차별 금지" in at.code[0].value
    assert db_rows(private_env, "select version, username, note, changed_rules from ad_rule_versions") == [
        (2, username, "성별 규칙 이름을 바꿉니다", "SEX_DISCRIM")]

    # every page applies the saved version at once: the queue re-verifies under version 2
    queue_page = _run(REVIEW, _user("policy", "ad-rules-queue"))
    _no_exception(queue_page)
    assert any(i.value.startswith("AI 검증 결과입니다 · 규칙 버전 2 · ") for i in queue_page.info)
    checks = load_stored_checks(Path(get_settings().models_dir))
    assert [m.label for m in queue_page.metric] == METRICS
    assert _metrics(queue_page)["검토 대기"] == f"{int((checks['decision'] != 'pass').sum()):,}건"  # only a name changed
    # the first ad of the queue is shown with the rules of version 2: no card carries the old name
    cards = [m for m in _markdown(queue_page) if m.startswith("**") and " · " in m]
    assert cards and not any(m.startswith("**성별 차별** · ") for m in cards)
    assert not any("SEX" in m for m in _markdown(queue_page))


def test_rules_editor_refuses_a_catastrophic_pattern_before_trying_or_saving_it(private_env: str) -> None:
    data = yaml.safe_load(load_default_rules().to_yaml())
    data["rules"][0]["patterns"].append("(a|aa)+$")
    edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    with pytest.raises(ads.InvalidRules) as info:
        ads.parse_rule_set(edited, refuse_backtracking=True)
    problem = str(info.value)
    assert problem.startswith("[rules.0.patterns] 정규식이 특정 문장에서 끝나지 않을 만큼 오래 걸립니다") and "'(a|aa)+$'" in problem
    at = _run(RULES, _user("policy", "ad-rules-redos"))
    at.text_area(key="ad_rules.text").set_value(edited)
    at.text_area(key="ad_rules.test.body").set_value("남자만 지원\n" + "a" * 60 + "!")  # would never finish
    at.button(key="ad_rules.test.run").click().run()
    _no_exception(at)
    # the pattern is quoted literally: markdown would have eaten the backslashes and read $…$ as LaTeX
    assert [e.value for e in at.error] == ["규칙에 오류가 있습니다:\n\n" + escape_markdown(problem)]
    assert frame_with(at, "발견 문구") is None
    at.text_input(key="ad_rules.note").set_value("느린 패턴을 추가합니다")
    at.button(key="ad_rules.save").click().run()
    _no_exception(at)
    assert [e.value for e in at.error] == ["저장하지 않았습니다:\n\n" + escape_markdown(problem)]
    assert db_scalar(private_env, "select count(*) from ad_rule_versions") == 0


def test_rules_table_pairs_each_law_with_its_article(ad_env: str) -> None:
    at = _run(RULES, _user("policy", "ad-rules-citation"))
    table = frame_with(at, "패턴").set_index("이름")
    assert table.loc[load_default_rules().by_id()["APPEARANCE"].name, "근거"] == "남녀고용평등법 제7조 제2항, 채용절차법 제4조의3"


# --------------------------------------------------------------------------- 공고 사전 점검


def _fill_draft(at: AppTest, title: str, body: str, *, wage: int = 2_500_000, hours: float = 40.0,
                contact: str = "02-123-4567", company: str | None = "한빛상사") -> AppTest:
    if company is not None:
        at.text_input(key="ad_check.company").set_value(company)
    at.text_input(key="ad_check.title").set_value(title)
    at.text_area(key="ad_check.body").set_value(body)
    at.selectbox(key="ad_check.wage_type").set_value("monthly")
    at.number_input(key="ad_check.wage").set_value(wage)
    at.number_input(key="ad_check.hours").set_value(hours)
    at.text_input(key="ad_check.contact").set_value(contact)
    return _submit(at, "점검하기")


def _verdict_line(at: AppTest) -> str:
    lines = [e.value for kind in (at.error, at.warning, at.success) for e in kind if e.value.startswith("판정: ")]
    assert len(lines) == 1, lines
    return lines[0]


def test_draft_check_as_employer_shows_verdict_findings_and_fixes(ad_env: str, employer_ids: dict[str, int]) -> None:
    username = "ad-draft-employer"
    employer_id = employer_ids["employer1"]
    assert db_scalar(ad_env, "select count(*) from postings where employer_id=:e", e=employer_id) > 0  # a known name
    at = _run(CHECK, _user("employer", username, employer_id))
    _no_exception(at)
    assert [t.value for t in at.title] == ["공고 사전 점검"]
    assert at.selectbox(key="ad_check.wage_type").value == "monthly"
    assert at.number_input(key="ad_check.wage").value == 2_500_000

    # unlawful wording: blocked, the phrase highlighted, the law and the compliant rewording given
    _fill_draft(at, UNLAWFUL_TITLE, UNLAWFUL_BODY)
    _no_exception(at)
    assert _verdict_line(at).startswith("판정: **차단** · 위험 점수 ") and at.error[0].value.startswith("판정: **차단**")
    sex = load_default_rules().by_id()["SEX_DISCRIM"]
    captions = [c.value for c in at.caption]
    assert "이대로는 게재할 수 없습니다. 아래 제안대로 고친 뒤 다시 점검하세요." in captions
    assert "근거: 남녀고용평등법 제7조 제1항 · 분야: 차별" in captions
    markdown = _markdown(at)
    assert "수정 제안: " + highlighted_markdown(sex.fix, []) in markdown
    assert "발견: :red-background[**남자만**]" in markdown
    body = _shown(highlighted_markdown(UNLAWFUL_BODY, [(UNLAWFUL_BODY.index("남자만"), UNLAWFUL_BODY.index("남자만") + 3)]))
    assert body in markdown and _raw_markdown_characters(body) == set()
    assert any(i.value.startswith("AI 검증 결과입니다 · 규칙 버전 1 · ") for i in at.info)
    (audited,) = _audit(ad_env, username, "verify.draft")
    assert audited[:2] == ("employer", "ad_verifier") and len(audited[3]) == 64
    assert json.loads(audited[4])["decision"] == "block" and json.loads(audited[4])["rules"] == ["SEX_DISCRIM"]
    assert UNLAWFUL_BODY not in audited[4]  # the text itself is not logged

    # a lawful draft paying the minimum wage, with a phone: passes
    _fill_draft(at, CLEAN_TITLE, CLEAN_BODY)
    _no_exception(at)
    assert _verdict_line(at).startswith("판정: **통과** · 위험 점수 ")
    assert "점검을 통과했습니다. 아래 ‘내 공고로 저장’을 누르면 바로 게재됩니다." in [c.value for c in at.caption]
    assert "법령 규칙에 걸린 문구나 조건이 없습니다." in [c.value for c in at.caption]
    assert [json.loads(r[4])["decision"] for r in _audit(ad_env, username, "verify.draft")] == ["block", "pass"]
    _submit(at, "점검하기")  # the same draft again: shown, not logged twice
    assert len(_audit(ad_env, username, "verify.draft")) == 2

    # below the minimum wage of this year (the latest table year is 2026: 2,156,880원 a month)
    _fill_draft(at, CLEAN_TITLE, CLEAN_BODY, wage=2_000_000)
    assert _verdict_line(at).startswith("판정: **차단**")
    assert "근거: 최저임금법 제6조 · 분야: 근로조건" in [c.value for c in at.caption]
    # no phone anywhere: sent to a person, with the fix
    _fill_draft(at, CLEAN_TITLE, CLEAN_BODY, contact="")
    assert _verdict_line(at).startswith("판정: **재검증**")
    assert "저장하면 담당자가 확인한 뒤 게재됩니다. 아래 내용을 먼저 고치면 바로 게재될 수 있습니다." in [c.value for c in at.caption]
    assert "발견: :red-background[**전화번호 없음**]" in _markdown(at)

    # an invalid draft: a Korean error per field, no verdict, nothing logged
    logged = len(_audit(ad_env, username, "verify.draft"))
    _fill_draft(at, "가", "짧음")
    _no_exception(at)
    assert [e.value for e in at.error] == ["공고 제목을(를) 2자 이상 적어 주세요\n공고 본문을(를) 10자 이상 적어 주세요"]
    assert not any(m.value.startswith("판정: ") for m in (*at.success, *at.warning))
    assert len(_audit(ad_env, username, "verify.draft")) == logged


def test_draft_check_works_for_policy_staff(ad_env: str) -> None:
    username = "ad-draft-policy"
    at = _run(CHECK, _user("policy", username))
    _no_exception(at)
    _fill_draft(at, UNLAWFUL_TITLE, UNLAWFUL_BODY)
    _no_exception(at)
    assert _verdict_line(at).startswith("판정: **차단**")
    assert "근거: 남녀고용평등법 제7조 제1항 · 분야: 차별" in [c.value for c in at.caption]
    (audited,) = _audit(ad_env, username, "verify.draft")
    assert audited[:2] == ("policy", "ad_verifier")


def test_lawful_draft_passes_for_policy_staff(ad_env: str) -> None:
    at = _run(CHECK, _user("policy", "ad-draft-policy-clean"))
    _fill_draft(at, CLEAN_TITLE, "한빛상사에서 " + CLEAN_BODY)
    _no_exception(at)
    assert _verdict_line(at).startswith("판정: **통과**"), [m.value for m in at.markdown]


def test_no_page_shows_raw_html(ad_env: str) -> None:
    """Ad text reaches the page only as escaped Markdown: no element is rendered as HTML."""
    at = _run(CHECK, _user("employer", "ad-draft-html", None))
    _fill_draft(at, "<script>alert(1)</script> 모집", "<img src=x onerror=alert(1)> 본문입니다. 문의 02-123-4567")
    _no_exception(at)
    assert not at.get("html")
    markdown = _markdown(at)
    # every "<", "(", "=" … of the ad is backslash-escaped: CommonMark shows it as the character itself
    assert "제목: \\<script\\>alert\\(1\\)\\</script\\> 모집" in markdown
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\> 본문입니다\\. 문의 02\\-123\\-4567" in markdown
