"""Apply a what-if, a saved scenario or a plan to the posting itself (AI가 추천한 내용으로 공고를
수정하고, 수정된 공고를 등록).

The changed conditions become a **new version** of the posting: its conditions and its text (the
pay, hours and employment-type lines of 근무 조건, the career and education items of 자격 요건,
the welfare items of 복리후생) are rewritten to match, and the job-ad verifier checks the new text
**before** anything is published:

* the verifier passes it → it becomes the posting's current version (the ``postings`` row gets
  the new text and ``updated_at``, so the review queue sees it) and the version before is kept as
  이전 버전;
* the verifier flags it (검토 필요 or 차단) → the version waits (검토 대기) and the version before
  stays current; policy staff approve or reject it (:func:`decide_pending_version`).

Every version is kept (``posting_versions``); version 1 is the posting as it was before its first
change. The whole apply is one transaction: bad input or a posting changed meanwhile changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import UnitOfWork, unit_of_work
from app.db.repositories import employers as employer_repo
from app.db.repositories import posting_versions as version_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import scenarios as scenario_repo
from app.db.repositories.postings import SECTION_COLUMNS
from app.errors import AccessDenied, InvalidInput, NotFound
from app.reference.names import welfare_names
from app.services.hiring.conditions import (
    InvalidConditions,
    PostingAccessDenied,
    PostingConditions,
    validate_conditions,
)
from app.services.hiring.scoring import Prediction
from app.services.hiring.store import PostingNotFound, ScenarioNotFound
from app.text.korean import format_kst_datetime, format_wage
from app.verify.decision import DECISION_LABELS, Verdict
from app.verify.verifier import AdVerifier

SOURCE_KINDS: Mapping[str, str] = {"original": "최초 게시본", "whatif": "조건 바꿔 보기", "scenario": "저장한 시나리오",
                                   "plan": "목표 확률 달성 방안"}
"""Where a version came from (Korean labels)."""
VERSION_STATUSES: Mapping[str, str] = {"current": "게시 중", "pending": "검토 대기", "superseded": "이전 버전",
                                       "rejected": "반려"}
"""Status of a version (Korean labels)."""
CHANGED_FIELDS: tuple[str, ...] = ("wage_type", "wage_amount", "weekly_hours", "employment_type", "career",
                                   "min_career_years", "education", "welfare_codes")
"""The conditions a version may change (occupation, region, firm size stay the posting's)."""
FIXED_FIELDS: tuple[str, ...] = ("keco_code", "region_code", "size_code")


class VersionNotFound(NotFound):
    """No such pending version."""


class PostingChanged(InvalidInput):
    """The posting changed while the new version was being verified (nothing was written)."""


@dataclass(frozen=True)
class AppliedVersion:
    """The outcome of :func:`apply_to_posting`.

    Attributes:
        version_id: Row id of the new version.
        version: Its number (1 is the posting as first published).
        status: ``current`` (published) or ``pending`` (검토 대기).
        decision: The verifier's ``pass`` | ``review`` | ``block``.
        reasons: Korean reasons of the verdict (empty when it passed).
        changes: Korean lines of what changed.
    """

    version_id: int
    version: int
    status: str
    decision: str
    reasons: str
    changes: tuple[str, ...]

    @property
    def message(self) -> str:
        """One Korean sentence for the employer."""
        if self.status == "current":
            return f"공고를 {self.version}번째 버전으로 수정했습니다. 검증을 통과해 바로 게시됩니다."
        return (f"{self.version}번째 버전을 만들었지만 검증 결과가 ‘{DECISION_LABELS.get(self.decision, self.decision)}’"
                f"이라 담당자 검토를 기다립니다(검토 대기). 그동안은 이전 버전이 게시됩니다.")


# --------------------------------------------------------------------------- the text of a version

_WAGE_LINE = re.compile(r"보수|임금|급여|월급|시급|일급|연봉")
_HOURS_LINE = re.compile(r"근무\s*시간|근로\s*시간")
_WEEKLY_HOURS = re.compile(r"주\s*\d+(?:\.\d+)?\s*시간")
_EMPLOYMENT_LINE = re.compile(r"고용\s*형태|근무\s*형태|채용\s*형태")
_EDUCATION_ITEM = re.compile(r"학력|고졸|대졸|초대졸|전문대|석사|박사|중졸|고등학교|대학")
_CAREER_ITEM = re.compile(r"경력|신입")
_LABEL_SPLIT = re.compile(r"^(?P<head>[^:：]*[:：])\s*(?P<value>.*)$")


def _education_text(education: str) -> str:
    return "학력 무관" if education == "무관" else f"학력 {education} 이상"


def _career_text(c: PostingConditions) -> str:
    if c.career == "경력":
        return f"경력 {c.min_career_years}년 이상"
    return "신입 지원 가능" if c.career == "신입" else "경력 무관"


def _set_value(line: str, value: str) -> str:
    """``"② 보수 : 월 426만원"`` with a new value after the label (the whole line when it has none)."""
    match = _LABEL_SPLIT.match(line)
    return f"{match.group('head')} {value}" if match else value


def _rewrite_conditions(text: str, old: PostingConditions, new: PostingConditions) -> str:
    lines = text.splitlines() if text.strip() else []
    wage = format_wage(new.wage_type, new.wage_amount, style="label")
    wage_changed = (old.wage_type, old.wage_amount) != (new.wage_type, new.wage_amount)
    found = {"wage": False, "hours": False, "employment": False}
    out = []
    for line in lines:
        if _WAGE_LINE.search(line) and re.search(r"\d", line) and not found["wage"]:
            found["wage"] = True
            line = _set_value(line, wage) if wage_changed else line
        elif _HOURS_LINE.search(line) and not found["hours"]:
            found["hours"] = True
            if old.weekly_hours != new.weekly_hours:
                weekly = f"주 {new.weekly_hours:g}시간"
                line = _WEEKLY_HOURS.sub(weekly, line) if _WEEKLY_HOURS.search(line) else f"{line} ({weekly})"
        elif _EMPLOYMENT_LINE.search(line) and not found["employment"]:
            found["employment"] = True
            if old.employment_type != new.employment_type:
                line = _set_value(line, new.employment_type)
        out.append(line)
    # the posting did not state it: the changed condition is added, so the text says what the record says
    if not found["wage"] and wage_changed:
        out.append(f"- 임금: {wage}")
    if not found["hours"] and old.weekly_hours != new.weekly_hours:
        out.append(f"- 근무 시간: 주 {new.weekly_hours:g}시간")
    if not found["employment"] and old.employment_type != new.employment_type:
        out.append(f"- 고용 형태: {new.employment_type}")
    return "\n".join(out)


def _rewrite_items(text: str, drop: re.Pattern[str] | None, added: list[str], *, joiner: str = " / ") -> str:
    """Drop the items matching ``drop`` (items are lines, or ``joiner``/comma-separated parts of one
    line) and add ``added`` in the section's own style."""
    lines = [line for line in text.splitlines() if line.strip()]
    kept: list[str] = []
    for line in lines:
        separator = joiner if joiner in line else (", " if ", " in line else None)
        if separator is None:
            if drop is None or not drop.search(line):
                kept.append(line)
            continue
        parts = [part for part in line.split(separator) if drop is None or not drop.search(part)]
        if parts:
            kept.append(separator.join(parts))
    if not added:
        return "\n".join(kept)
    numbered_line = re.compile(r"^\s*(?:\d+[.)]|[-·•*]|[①-⑳])\s*")
    if len(kept) == 1 and not numbered_line.match(kept[0]):  # one list line: extend it
        separator = joiner if joiner in kept[0] else ", "
        return separator.join([kept[0], *added])
    number = re.compile(r"^\s*(\d+)([.)])\s*")
    if kept and all(number.match(line) for line in kept):  # a numbered list: number it again without gaps
        mark = number.match(kept[0]).group(2)  # type: ignore[union-attr]
        items = [number.sub("", line, count=1) for line in kept] + list(added)
        return "\n".join(f"{i}{mark} {item}" for i, item in enumerate(items, start=1))
    return "\n".join([*kept, *(f"- {item}" for item in added)])


def _welfare_pattern(names: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(n) for n in names)) if names else None


def rewrite_posting_text(
    title: str, sections: Mapping[str, str], body: str, old: PostingConditions, new: PostingConditions
) -> tuple[dict[str, str], str]:
    """The posting's sections and full text rewritten for ``new`` conditions.

    Args:
        title: The posting's title (unchanged).
        sections: Section name (:data:`SECTION_COLUMNS`) → text as stored.
        body: The full text as stored (sections appear in it verbatim).
        old: The conditions the text states now.
        new: The conditions of the new version.

    Returns:
        (new sections, new body). A section that changed is replaced in the body where it stands;
        one the posting did not have is added at the end with its 【heading】.
    """
    result = {name: str(sections.get(name) or "") for name in SECTION_COLUMNS}
    result["conditions"] = _rewrite_conditions(result["conditions"], old, new)
    requirement_drops = []
    requirement_adds = []
    if (old.career, old.min_career_years) != (new.career, new.min_career_years):
        requirement_drops.append(_CAREER_ITEM.pattern)
        requirement_adds.append(_career_text(new))
    if old.education != new.education:
        requirement_drops.append(_EDUCATION_ITEM.pattern)
        requirement_adds.append(_education_text(new.education))
    if requirement_adds:
        result["requirements"] = _rewrite_items(result["requirements"], re.compile("|".join(requirement_drops)),
                                                requirement_adds)
    removed = welfare_names([c for c in old.welfare_codes if c not in new.welfare_codes])
    added = welfare_names([c for c in new.welfare_codes if c not in old.welfare_codes])
    if removed or added:
        result["benefits"] = _rewrite_items(result["benefits"], _welfare_pattern(removed), added, joiner=", ")
    new_body = body
    headings = {"conditions": "근무 조건", "requirements": "자격 요건", "benefits": "복리후생"}
    for name, heading in headings.items():
        before, after = str(sections.get(name) or ""), result[name]
        if before == after:
            continue
        if before.strip() and before in new_body:
            new_body = new_body.replace(before, after, 1)
        else:
            new_body = f"{new_body.rstrip()}\n\n【{heading}】\n{after}"
    return result, new_body


def describe_changes(old: PostingConditions, new: PostingConditions) -> tuple[str, ...]:
    """Korean lines of what changed, e.g. ``"임금: 월급 250만원 → 월급 270만원"``."""
    lines = []
    if (old.wage_type, old.wage_amount) != (new.wage_type, new.wage_amount):
        lines.append(f"임금: {format_wage(old.wage_type, old.wage_amount, style='label')} → "
                     f"{format_wage(new.wage_type, new.wage_amount, style='label')}")
    if old.weekly_hours != new.weekly_hours:
        lines.append(f"근로시간: 주 {old.weekly_hours:g}시간 → 주 {new.weekly_hours:g}시간")
    if old.employment_type != new.employment_type:
        lines.append(f"고용형태: {old.employment_type} → {new.employment_type}")
    if (old.career, old.min_career_years) != (new.career, new.min_career_years):
        lines.append(f"경력: {_career_text(old)} → {_career_text(new)}")
    if old.education != new.education:
        lines.append(f"{_education_text(old.education)} → {_education_text(new.education)}")
    added = welfare_names([c for c in new.welfare_codes if c not in old.welfare_codes])
    removed = welfare_names([c for c in old.welfare_codes if c not in new.welfare_codes])
    if added:
        lines.append("복리후생 추가: " + ", ".join(added))
    if removed:
        lines.append("복리후생 삭제: " + ", ".join(removed))
    return tuple(lines)


# --------------------------------------------------------------------------- apply


def _conditions_of(content: Mapping[str, object]) -> PostingConditions:
    return validate_conditions({
        **{name: content[name] for name in ("keco_code", "region_code", "size_code", "wage_type", "wage_amount",
                                            "weekly_hours", "employment_type", "career", "min_career_years",
                                            "education", "welfare_codes")},
        "open_month": content["open_date"].month,  # type: ignore[union-attr]
        "body_chars": min(len(str(content["body"] or "")), 20_000),
    })


def _fingerprint(content: Mapping[str, object]) -> str:
    """What must not change between reading the posting and writing its new version."""
    fields = {name: content[name] for name in posting_repo.EDITABLE_COLUMNS}
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _verify(verifier: AdVerifier, posting_id: int, content: Mapping[str, object], title: str, body: str,
            conditions: PostingConditions) -> Verdict:
    ad = pd.DataFrame([{
        "id": str(posting_id), "posting_id": int(posting_id), "title": title, "body": body,
        "wage_type": conditions.wage_type, "wage": int(conditions.wage_amount),
        "hours_per_week": float(conditions.weekly_hours), "year": int(content["year"]),  # type: ignore[arg-type]
        "employer_name": str(content["employer_name"] or ""), "contact": str(content["contact"] or ""),
        "region": str(content["region_code"]),
    }])
    # a stored posting: its own earlier text is not a duplicate of it (exclude_self)
    return verifier.verify(ad, explain=False, exclude_self=True)[0]


def _read_owned(uow: UnitOfWork, posting_id: int, employer_id: int) -> dict[str, object]:
    content = posting_repo.load_posting_content(uow, posting_id)
    if content is None:
        raise PostingNotFound(f"공고를 찾을 수 없습니다 (공고 번호 {posting_id})")
    if int(content["employer_id"]) != int(employer_id):  # type: ignore[arg-type]
        raise PostingAccessDenied("다른 기업의 공고는 수정할 수 없습니다.")
    return content


def _version_values(content: Mapping[str, object], conditions: PostingConditions, sections: Mapping[str, str],
                    body: str) -> dict[str, object]:
    return {
        "title": content["title"], **dict(sections), "body": body, "wage_type": conditions.wage_type,
        "wage_amount": int(conditions.wage_amount), "wage_monthly": int(conditions.wage_monthly),
        "weekly_hours": float(conditions.weekly_hours), "employment_type": conditions.employment_type,
        "career": conditions.career, "min_career_years": int(conditions.min_career_years),
        "education": conditions.education, "welfare_codes": ";".join(conditions.welfare_codes),
    }


def apply_to_posting(
    engine: Engine,
    verifier: AdVerifier,
    *,
    posting_id: int,
    employer_id: int | None,
    username: str,
    conditions: PostingConditions,
    source_kind: str,
    source_label: str = "",
    source_id: int | None = None,
    prediction: Prediction | None = None,
) -> AppliedVersion:
    """Make ``conditions`` a new version of the employer's posting, verified before it is published.

    Args:
        engine: Product database.
        verifier: The job-ad verifier with the rules in force.
        posting_id: The posting to change.
        employer_id: The logged-in employer (``None``: staff, refused — only the owner edits).
        username: Who applies it (kept with the version).
        conditions: The new conditions (occupation, region and firm size must be the posting's).
        source_kind: ``whatif`` | ``scenario`` | ``plan`` (:data:`SOURCE_KINDS`).
        source_label: Korean name of the source (scenario name, "방안 1").
        source_id: The scenario id when ``source_kind`` is ``scenario``.
        prediction: The model's estimate for ``conditions`` (kept with the version).

    Returns:
        :class:`AppliedVersion` (published, or waiting for review).

    Raises:
        PostingAccessDenied: No employer account, or another employer's posting.
        PostingNotFound: No such posting.
        InvalidConditions: Unknown source, other occupation/region/size, nothing changed, or a
            prediction made for other conditions.
        PostingChanged: The posting changed while the new text was verified (nothing written).
    """
    if employer_id is None:
        raise PostingAccessDenied("공고 수정은 구인기업 계정에서만 할 수 있습니다.")
    if source_kind not in SOURCE_KINDS or source_kind == "original":
        raise InvalidConditions({"_": f"알 수 없는 적용 출처입니다: {str(source_kind)[:20]}"})
    if not isinstance(conditions, PostingConditions):
        raise InvalidConditions({"_": "공고 조건이 올바르지 않습니다."})
    if prediction is not None and prediction.input_hash != conditions.input_hash():
        raise InvalidConditions({"_": "예측 결과가 적용하려는 조건과 맞지 않습니다. 다시 계산한 뒤 적용하세요."})
    with unit_of_work(engine) as uow:  # read-only here: the posting as it is now
        content = _read_owned(uow, posting_id, employer_id)
    old = _conditions_of(content)
    moved = [name for name in FIXED_FIELDS if getattr(old, name) != getattr(conditions, name)]
    if moved:
        raise InvalidConditions({"_": "직종·지역·기업 규모는 공고 수정으로 바꿀 수 없습니다. 새 공고로 등록하세요."})
    changes = describe_changes(old, conditions)
    if not changes:
        raise InvalidConditions({"_": "게시 중인 조건과 같아 새 버전을 만들 내용이 없습니다."})
    sections = {name: str(content[name] or "") for name in SECTION_COLUMNS}
    new_sections, new_body = rewrite_posting_text(str(content["title"]), sections, str(content["body"] or ""), old,
                                                  conditions)
    verdict = _verify(verifier, posting_id, content, str(content["title"]), new_body, conditions)
    status = "current" if verdict.decision == "pass" else "pending"
    rule_ids = ";".join(dict.fromkeys(h.rule_id for h in verdict.hits))
    with unit_of_work(engine) as uow:
        now = _read_owned(uow, posting_id, employer_id)
        if _fingerprint(now) != _fingerprint(content):
            raise PostingChanged("공고가 그 사이 바뀌었습니다. 화면을 새로 고친 뒤 다시 적용하세요.")
        number = version_repo.newest_version_number(uow, posting_id)
        if number == 0:  # the first change: keep the posting as it was as version 1
            number = 1
            version_repo.add_version(
                uow, posting_id=posting_id, version=1, username=str(username), source_kind="original",
                source_id=None, source_label=SOURCE_KINDS["original"], conditions=old.to_dict(),
                title=str(content["title"]), sections=sections, body=str(content["body"] or ""), changes="",
                decision="", score=0.0, rule_ids="", status="current", probability=None, model_version="",
            )
        version_id = version_repo.add_version(
            uow, posting_id=posting_id, version=number + 1, username=str(username), source_kind=source_kind,
            source_id=source_id, source_label=str(source_label or SOURCE_KINDS[source_kind]),
            conditions=conditions.to_dict(), title=str(content["title"]), sections=new_sections, body=new_body,
            changes=" · ".join(changes), decision=verdict.decision, score=float(verdict.score), rule_ids=rule_ids,
            status=status, probability=None if prediction is None else float(prediction.probability),
            model_version="" if prediction is None else prediction.model_version,
        )
        # an older version still waiting is replaced by this one either way
        version_repo.set_status(uow, posting_id=posting_id, from_statuses=("pending",), to_status="superseded",
                                except_id=version_id)
        if status == "current":
            version_repo.set_status(uow, posting_id=posting_id, from_statuses=("current",), to_status="superseded",
                                    except_id=version_id)
            posting_repo.update_posting_content(uow, posting_id, _version_values(content, conditions, new_sections,
                                                                                 new_body))
    return AppliedVersion(version_id=version_id, version=number + 1, status=status, decision=verdict.decision,
                          reasons=_korean_reasons(verdict), changes=changes)


def _korean_reasons(verdict: Verdict) -> str:
    """The verdict's findings as Korean rule names with their law (no rule ids on screen)."""
    if verdict.decision == "pass":
        return ""
    names = dict.fromkeys(f"{h.name}({h.law} {h.article})".replace(" )", ")") for h in verdict.hits)
    if not names and verdict.ml_probability is not None:
        return "AI 분류 모델이 차별·위법 소지가 있는 문구로 보았습니다"
    return ", ".join(names)


def apply_scenario(
    engine: Engine,
    verifier: AdVerifier,
    *,
    scenario_id: int,
    posting_id: int,
    employer_id: int | None,
    username: str,
) -> AppliedVersion:
    """Apply one of the employer's saved scenarios to the posting (see :func:`apply_to_posting`).

    Raises:
        ScenarioNotFound: No such scenario among the employer's own.
        (and what :func:`apply_to_posting` raises)
    """
    if employer_id is None:
        raise PostingAccessDenied("공고 수정은 구인기업 계정에서만 할 수 있습니다.")
    scenarios = scenario_repo.load_scenarios(engine, employer_id)
    row = scenarios[scenarios["id"] == int(scenario_id)]
    if row.empty:
        raise ScenarioNotFound(f"시나리오를 찾을 수 없습니다 (번호 {scenario_id})")
    record = row.iloc[0]
    return apply_to_posting(
        engine, verifier, posting_id=posting_id, employer_id=employer_id, username=username,
        conditions=validate_conditions(record["conditions"]), source_kind="scenario",
        source_label=str(record["name"]), source_id=int(scenario_id),
    )


def decide_pending_version(engine: Engine, *, version_id: int, reviewer_role: str, approve: bool,
                           posting_id: int | None = None) -> str:
    """Policy staff publish (``approve``) or reject a version waiting for review.

    Returns:
        The version's new status (``current`` or ``rejected``).

    Raises:
        AccessDenied: Not policy staff.
        VersionNotFound: No such version waiting (or not of ``posting_id``).
    """
    if reviewer_role != "policy":
        raise AccessDenied("검토 대기 공고는 정책·운영 담당자만 처리할 수 있습니다.")
    with unit_of_work(engine) as uow:
        version = version_repo.load_version(uow, version_id)
        if version is None or version["status"] != "pending" or (
                posting_id is not None and int(version["posting_id"]) != int(posting_id)):  # type: ignore[arg-type]
            raise VersionNotFound("검토 대기 중인 공고 버전을 찾을 수 없습니다.")
        pid = int(version["posting_id"])  # type: ignore[arg-type]
        if not approve:
            version_repo.set_version_status(uow, version_id, "rejected")
            return "rejected"
        content = posting_repo.load_posting_content(uow, pid)
        if content is None:
            raise VersionNotFound("검토 대기 중인 공고 버전을 찾을 수 없습니다.")
        conditions = validate_conditions(version["conditions"])  # type: ignore[arg-type]
        sections = dict(version["sections"])  # type: ignore[arg-type]
        version_repo.set_status(uow, posting_id=pid, from_statuses=("current",), to_status="superseded")
        version_repo.set_version_status(uow, version_id, "current")
        posting_repo.update_posting_content(uow, pid, _version_values(content, conditions, sections,
                                                                      str(version["body"])))
    return "current"


# --------------------------------------------------------------------------- history and queue status


def load_versions(engine: Engine, posting_id: int, *, employer_id: int | None) -> pd.DataFrame:
    """The posting's versions, newest first (``employer_id``: only the owner; ``None``: staff).

    Raises:
        PostingAccessDenied: Another employer's posting.
    """
    if employer_id is not None:
        with unit_of_work(engine) as uow:
            owner = posting_repo.posting_owner(uow, posting_id)
        if owner is not None and owner != int(employer_id):
            raise PostingAccessDenied()
    return version_repo.load_versions(engine, posting_id)


def version_table(versions: pd.DataFrame) -> pd.DataFrame:
    """Display table of :func:`load_versions` (Korean columns, newest first; KST times)."""
    return pd.DataFrame({
        "버전": versions["version"].astype(int),
        "상태": versions["status"].map(VERSION_STATUSES).fillna("-"),
        "검증 결과": versions["decision"].map(lambda d: DECISION_LABELS.get(str(d), "-") if d else "-"),
        "바뀐 내용": [str(c) if c else "-" for c in versions["changes"]],
        "출처": [f"{SOURCE_KINDS.get(str(k), '-')}" + (f" ‘{lbl}’" if lbl and lbl != SOURCE_KINDS.get(str(k)) else "")
               for k, lbl in zip(versions["source_kind"], versions["source_label"], strict=True)],
        "채용확률(적용 시)": ["-" if p is None or pd.isna(p) else f"{float(p) * 100:.0f}%" for p in versions["probability"]],
        "수정한 사람": versions["username"].astype(str),
        "시각(KST)": [format_kst_datetime(v) for v in versions["at"]],
    })


def pending_versions(engine: Engine, posting_ids: list[int] | None = None) -> pd.DataFrame:
    """Versions waiting for review (of ``posting_ids``, or all), oldest first."""
    return version_repo.load_versions_with_status(engine, "pending", posting_ids)


@dataclass(frozen=True)
class QueueStatus:
    """Whether the posting waits in the verification queue, in Korean.

    Attributes:
        waiting: The posting (or a new version of it) is flagged and not yet reviewed.
        message: Korean sentence for the employer (empty when not waiting).
    """

    waiting: bool
    message: str


def verification_status(engine: Engine, posting_id: int, *, build_checks: pd.DataFrame | None,
                        reviews: pd.DataFrame) -> QueueStatus:
    """Whether the posting is in the ad-verification queue (flagged, not yet reviewed).

    Args:
        engine: Product database.
        posting_id: The posting.
        build_checks: The build's verdicts of stored postings (``posting_id, decision, reasons``),
            or ``None`` when the verifier is not built.
        reviews: The posting's review decisions (newest first; ``posting_id, decision``).
    """
    pending = version_repo.load_versions_with_status(engine, "pending", [posting_id])
    if not pending.empty:
        row = pending.iloc[-1]
        label = DECISION_LABELS.get(str(row["decision"]), str(row["decision"]))
        return QueueStatus(True, f"{int(row['version'])}번째 버전이 검증에서 ‘{label}’ 판정을 받아 담당자 검토를 "
                                 "기다립니다(검토 대기). 검토가 끝날 때까지 이전 버전이 게시됩니다.")
    versions = version_repo.load_versions_with_status(engine, "current", [posting_id])
    current = versions.iloc[-1] if len(versions) else None
    if current is not None and str(current["source_kind"]) != "original":
        return QueueStatus(False, "")  # a changed version is current only once verified or approved
    if current is not None and str(current["decision"]):
        decision = str(current["decision"])  # saved after 공고 사전 점검 with its verdict
    elif build_checks is not None and not build_checks.empty:
        match = build_checks[build_checks["posting_id"] == int(posting_id)]
        decision = str(match.iloc[0]["decision"]) if not match.empty else "pass"
    else:
        return QueueStatus(False, "")
    if decision == "pass":
        return QueueStatus(False, "")
    if not reviews.empty:
        return QueueStatus(False, "")  # a reviewer has decided
    label = DECISION_LABELS.get(decision, decision)
    return QueueStatus(True, f"이 공고는 구인광고 AI 검증에서 ‘{label}’ 판정을 받아 검증 대기열에서 담당자 검토를 "
                             "기다리고 있습니다. 검토 결과에 따라 게재가 보류될 수 있습니다.")



# --------------------------------------------------------------------------- a checked draft saved as a posting

SAVE_DAYS = 30


def save_checked_posting(
    engine: Engine,
    *,
    employer_id: int | None,
    username: str,
    title: str,
    body: str,
    wage_type: str,
    wage_amount: int,
    weekly_hours: float,
    contact: str,
    keco_code: str,
    region_code: str,
    employment_type: str,
    decision: str,
    score: float,
    rule_ids: str,
    today: dt.date | None = None,
) -> int:
    """Store a draft checked on 공고 사전 점검 as the employer's posting, with its verdict as version 1.

    A passing draft is published; one sent to review is stored and waits in the verification queue
    (the simulator says so); a blocked one is refused.

    Raises:
        PostingAccessDenied: No employer account (staff may try the checker, not save).
        InvalidConditions: A blocked draft, an empty title or text, or conditions that cannot be
            scored (unknown occupation or region, an implausible wage).
    """
    if employer_id is None:
        raise PostingAccessDenied("공고 저장은 구인기업 계정에서만 할 수 있습니다.")
    if decision == "block":
        raise InvalidConditions({"_": "검증에서 차단된 공고는 저장할 수 없습니다. 제안대로 고친 뒤 다시 점검하세요."})
    if decision not in DECISION_LABELS:
        raise InvalidConditions({"_": "점검 결과가 없습니다. 먼저 ‘점검하기’를 누르세요."})
    clean_title, clean_body = str(title or "").strip(), str(body or "").strip()
    if len(clean_title) < 2 or len(clean_body) < 10:
        raise InvalidConditions({"_": "공고 제목(2자 이상)과 본문(10자 이상)을 적어 주세요."})
    opened = today or dt.date.today()
    with unit_of_work(engine) as uow:
        card = employer_repo.load_employer_card(uow, employer_id)
        if card is None:
            raise PostingAccessDenied("기업 계정 정보를 찾을 수 없습니다. 관리자에게 문의해 주세요.")
        conditions = validate_conditions({
            "keco_code": keco_code, "region_code": region_code, "size_code": card.size_code, "wage_type": wage_type,
            "wage_amount": wage_amount, "weekly_hours": weekly_hours, "employment_type": employment_type,
            "career": "경력무관", "min_career_years": 0, "education": "무관", "open_month": opened.month,
            "n_sections": 1, "body_chars": min(len(clean_body), 20_000),
        })
        sections = {name: "" for name in SECTION_COLUMNS} | {"duties": clean_body}
        posting_id = posting_repo.add_posting(uow, dict(
            employer_id=card.id, keco_code=conditions.keco_code, region_code=conditions.region_code,
            title=clean_title[:200], **sections, body=clean_body, wage_type=conditions.wage_type,
            wage_amount=conditions.wage_amount, wage_monthly=conditions.wage_monthly,
            weekly_hours=conditions.weekly_hours, employment_type=conditions.employment_type,
            career=conditions.career, min_career_years=0, education=conditions.education, welfare_codes="",
            headcount=1, contact=(str(contact or "").strip() or card.phone)[:100], open_date=opened,
            close_date=opened + dt.timedelta(days=SAVE_DAYS), year=opened.year, source="check",
        ))
        version_repo.add_version(
            uow, posting_id=posting_id, version=1, username=str(username), source_kind="original", source_id=None,
            source_label="공고 사전 점검", conditions=conditions.to_dict(), title=clean_title[:200], sections=sections,
            body=clean_body, changes="", decision=decision, score=float(score), rule_ids=str(rule_ids)[:300],
            status="current", probability=None, model_version="",
        )
    return posting_id
