"""Command line of the training recommender (AI 직업훈련추천; the contract other tools rely on).

``python -m app training recommend --seekers seekers.csv --courses courses.csv --top 10 --output recs.csv``

* ``seekers.csv``: ``id, desired_occupation, region, age, education, career_months, certificates,
  text`` (optional ``benefit_status``). ``desired_occupation`` is a KECO 소분류 code, a 세분류 code or
  an occupation name; the other cells may be empty (unknown).
* ``courses.csv``: ``id, title, ncs_code, region, online, hours, fee, start_date, text``; optional
  ``employment_rate_6m, employment_rate_3m, completion_rate, satisfaction, capacity, institution,
  course_type, skills, keco_code`` (rates as 0–1, 0–100 or ``"76%"``).
* Output ``recs.csv``: ``seeker_id, rank, course_id, score, reasons`` (reasons in Korean, one cell,
  items separated by ``" · "``), written atomically through :mod:`app.exports`.
* Both files are checked in full before anything is scored: every problem as
  ``"<file> N행: [column] …"`` on stderr, exit code 2 and no output file. A missing model: exit 1
  naming the build command. Personal data in the free text (``text``, ``certificates``) is masked
  (:func:`app.text.pii.mask_pii`) before anything reads it, and never quoted in a message.

The run writes one run record to the audit log (SHA-256 of the seekers file, counts, the model's
version, exit code, output path; no content). Formats: ``docs/training.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app import bounds
from app.cli.runner import (
    RunRecord,
    check_output_path,
    deliver_result,
    input_rows,
    number_cell,
    report_input_errors,
    run_command_line,
    run_recorded,
    top_argument,
)
from app.config import get_settings
from app.db.repositories.courses import COURSE_FRAME_COLUMNS, SEEKER_FRAME_COLUMNS
from app.errors import NotReady
from app.ml.course_match import resolve_occupation
from app.ml.training_recommender import TrainingRecommender, load_training_recommender
from app.reference.codes import SEEKER_EDUCATION
from app.reference.names import normalise_region_code
from app.reference.tables import Reference, load_reference
from app.text.pii import mask_pii

SEEKER_COLUMNS: tuple[str, ...] = ("id", "desired_occupation", "region", "age", "education", "career_months",
                                   "certificates", "text")
SEEKER_OPTIONAL: tuple[str, ...] = ("benefit_status",)
COURSE_COLUMNS: tuple[str, ...] = ("id", "title", "ncs_code", "region", "online", "hours", "fee", "start_date", "text")
RATE_COLUMNS: tuple[str, ...] = ("employment_rate_6m", "employment_rate_3m", "completion_rate")
COURSE_OPTIONAL: tuple[str, ...] = (*RATE_COLUMNS, "satisfaction", "capacity", "institution", "course_type", "skills",
                                    "keco_code")
OUTPUT_COLUMNS: tuple[str, ...] = ("seeker_id", "rank", "course_id", "score", "reasons")
REASON_SEPARATOR = " · "
MAX_ID = 100
MAX_NAME = 200
"""Longest title, institution, occupation or certificate list (a longer one is a shifted column)."""
MIN_AGE, MAX_AGE = 15, 90
MAX_HOURS = 10_000
MAX_FEE = 100_000_000
MAX_CAPACITY = 10_000
DEFAULT_TOP = 10
MAX_TOP = 100
EDUCATION_ALIASES: dict[str, str] = {"중졸": "중졸이하", "초졸": "중졸이하", "무학": "중졸이하", "고등학교졸업": "고졸",
                                     "전문대": "전문대졸", "대학교졸업": "대졸", "대학원졸": "석사", "박사": "석사"}
"""Other ways people write a level of :data:`SEEKER_EDUCATION` (박사 counts as the top level, 석사)."""
_TRUE = frozenset({"1", "true", "y", "yes", "예", "원격", "온라인"})
_FALSE = frozenset({"0", "false", "n", "no", "아니오", "아니요", "집체", "오프라인"})
_REGION_ALIASES: dict[str, str] = {"강원도": "51", "전라북도": "45", "제주도": "50", "세종시": "36"}
"""Former or everyday names of 시도 that are neither the short nor the current full name."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shown(value: str, limit: int = 40) -> str:
    """A cell as it may be quoted in a message: masked, and cut to ``limit`` characters."""
    masked = mask_pii(value)
    return masked if len(masked) <= limit else masked[:limit] + "…"


class _Cell(ValueError):
    """One cell's problem (the message; the column is known where it is raised)."""


def region_code_of(text: str, ref: Reference) -> str:
    """The 2-digit 시도 code of a region as written: a code, a short or full 시도 name, or an address
    beginning with one ("서울 관악구"); a 시군구 name alone when only one 시도 has it ("수원시").

    Raises:
        _Cell: Nothing to read a 시도 from.
    """
    value = text.strip()
    first = value.split()[0] if value else ""
    for candidate in (first, first.removesuffix("시"), _REGION_ALIASES.get(first, "")):
        try:
            return normalise_region_code(candidate)
        except ValueError:
            continue
    districts = ref.districts
    for name_column in ("name", "short"):
        codes = set(districts.loc[districts[name_column] == first, "region_code"].astype(str))
        if len(codes) == 1:
            return codes.pop()
    raise _Cell(f"시·도를 알 수 없습니다 (입력값: {_shown(value)}; 예: 11, 서울, 서울특별시, 서울 관악구)")


def _number(value: str, low: float, high: float, what: str, *, integer: bool = False) -> float:
    parsed = number_cell(value, low=low, high=high)
    if parsed is None or (integer and parsed != int(parsed)):
        kind = "정수" if integer else "숫자"
        raise _Cell(f"{low:,.0f}~{high:,.0f} 사이의 {kind}여야 합니다 ({what}; 입력값: {_shown(value)})")
    return parsed


def _flag(value: str, allowed: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Cell(f"{allowed} 중 하나여야 합니다 (입력값: {_shown(value)})")


def _date(value: str) -> pd.Timestamp:
    if _DATE.fullmatch(value):
        try:
            return pd.Timestamp(dt.date.fromisoformat(value))
        except ValueError:
            pass
    raise _Cell(f"YYYY-MM-DD 형식의 날짜여야 합니다 (입력값: {_shown(value)})")


def _listed(value: str) -> str:
    """A ``;``- or ``,``-joined list as ``;``-joined, masked."""
    return ";".join(part.strip() for part in re.split(r"[;,]", mask_pii(value)) if part.strip())


@dataclass
class _Rows:
    """What one file's check collects: its rows (as canonical records), problems and notes."""

    label: str
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_line: dict[str, int] = field(default_factory=dict)

    def row(self, line: int, cells: dict[str, str]) -> Callable[[str, Callable[[str], Any], Any], Any]:
        """A reader of this row's cells: ``take(column, parse, default)`` parses a non-empty cell
        (``default`` for an empty one; ``None`` as default makes the cell required) and records
        its problem as a line-numbered error."""

        def take(column: str, parse: Callable[[str], Any], default: Any) -> Any:
            value = cells.get(column, "")
            if not value:
                if default is None:
                    self.errors.append(f"{self.label} {line}행: [{column}] 값이 비어 있습니다")
                return default
            try:
                return parse(value)
            except _Cell as problem:
                self.errors.append(f"{self.label} {line}행: [{column}] {problem}")
                return default

        return take

    def identify(self, line: int, cells: dict[str, str]) -> str:
        """The row's id, checked: present, not too long, not repeated."""
        identifier = cells.get("id", "")
        where = f"{self.label} {line}행: [id]"
        if not identifier:
            self.errors.append(f"{where} 값이 비어 있습니다")
        elif len(identifier) > MAX_ID:
            self.errors.append(f"{where} id는 {MAX_ID}자 이하여야 합니다 ({len(identifier)}자)")
        elif identifier in self.first_line:
            self.errors.append(f"{where} {self.first_line[identifier]}행과 같은 id입니다")
        else:
            self.first_line[identifier] = line
        return identifier

    def read(self, path: Path, required: Sequence[str], optional: Sequence[str],
             parse_row: Callable[[int, dict[str, str]], dict[str, Any]]) -> None:
        """Check every row of ``path``; file-level problems (header, encoding) are named after the file."""
        file_errors: list[str] = []
        for line, cells in input_rows(path, required, optional, file_errors, self.notes):
            self.records.append(parse_row(line, cells))
        self.errors[:0] = [f"{self.label} {e}" if re.match(r"\d+행", e) else f"{self.label}: {e}" for e in file_errors]
        self.notes[:] = [note if note.startswith(self.label) else f"{self.label}: {note}" for note in self.notes]


def _text(limit: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > limit:
            raise _Cell(f"{limit:,}자 이하여야 합니다 ({len(value):,}자)")
        return value
    return parse


def _education(value: str) -> str:
    level = EDUCATION_ALIASES.get(value.replace(" ", ""), value.replace(" ", ""))
    if level not in SEEKER_EDUCATION:
        raise _Cell(f"학력은 {', '.join(SEEKER_EDUCATION)} 중 하나여야 합니다 (입력값: {_shown(value)})")
    return level


def _occupation(ref: Reference) -> Callable[[str], str]:
    def parse(value: str) -> str:
        code = resolve_occupation(value, ref)
        if code is None:
            raise _Cell(f"직업을 찾을 수 없습니다 (입력값: {_shown(value)}; KECO 소분류 코드 3자리, 세분류 코드 4자리 "
                        "또는 직업명, 예: 133, 소프트웨어 개발자)")
        return code
    return parse


def read_seekers(path: Path, ref: Reference) -> _Rows:
    """Check the seekers file and convert it to canonical seeker records (see the module notes)."""
    rows = _Rows(path.name)

    def parse_row(line: int, cells: dict[str, str]) -> dict[str, Any]:
        take = rows.row(line, cells)
        identifier = rows.identify(line, cells)
        age = take("age", lambda v: _number(v, MIN_AGE, MAX_AGE, "나이", integer=True), np.nan)
        months = take("career_months", lambda v: _number(v, 0, bounds.MAX_CAREER_YEARS * 12, "개월"), np.nan)
        if np.isfinite(age) and np.isfinite(months):
            # a career longer than the years since 15 is a recording slip in real registers (part-time
            # work counted twice, an age at another date), not a bad file: counted as the years possible
            months = min(months, max(age - MIN_AGE, 0) * 12)
        return {
            "seeker_id": identifier,
            "desired_keco": take("desired_occupation", _occupation(ref), None) or "",
            "region_code": take("region", lambda v: region_code_of(v, ref), ""),
            "age": float(age),
            "education": take("education", _education, ""),
            "career_years": float(months) / 12,
            "certificates": take("certificates", lambda v: _listed(_text(MAX_NAME * 5)(v)), ""),
            "skills_text": take("text", lambda v: mask_pii(_text(bounds.MAX_TEXT_CHARS)(v)), ""),
            "benefit_status": float(take("benefit_status", lambda v: _flag(v, "1/0, true/false, Y/N"), False)),
        }

    rows.read(path, SEEKER_COLUMNS, SEEKER_OPTIONAL, parse_row)
    return rows


def _rate(value: str) -> tuple[float, bool]:
    """A rate cell as ``(number, written with %)``: 0–100 with a ``%``, else 0–100 (scale decided per column)."""
    percent = value.endswith("%")
    parsed = number_cell(value.removesuffix("%"), low=0, high=100)
    if parsed is None:
        raise _Cell(f"0~1 비율, 0~100 또는 '76%' 형식이어야 합니다 (입력값: {_shown(value)})")
    return parsed, percent


def _ncs(value: str) -> str:
    code = value.replace(" ", "")
    if not code.isdigit() or not 1 <= len(code) <= 10:
        raise _Cell(f"NCS 코드는 숫자 2~10자리여야 합니다 (입력값: {_shown(value)})")
    if len(code) % 2:
        code = "0" + code  # NCS codes have two digits a level: a spreadsheet dropped the leading zero
    if not "01" <= code[:2] <= "24":
        raise _Cell(f"NCS 대분류(앞 두 자리)는 01~24여야 합니다 (입력값: {_shown(value)})")
    return code


def read_courses(path: Path, ref: Reference) -> _Rows:
    """Check the courses file and convert it to canonical course records (see the module notes)."""
    rows = _Rows(path.name)
    rate_cells: dict[str, list[tuple[int, float, bool]]] = {c: [] for c in RATE_COLUMNS}

    def parse_row(line: int, cells: dict[str, str]) -> dict[str, Any]:
        take = rows.row(line, cells)
        identifier = rows.identify(line, cells)
        title = take("title", _text(MAX_NAME), None) or ""
        online = take("online", lambda v: _flag(v, "1/0, true/false, Y/N, 원격/집체"), None)
        region = take("region", lambda v: region_code_of(v, ref), "" if online else None)
        skills = take("skills", lambda v: _listed(_text(bounds.MAX_TEXT_CHARS)(v)), "")
        text = take("text", lambda v: mask_pii(_text(bounds.MAX_TEXT_CHARS)(v)), "")
        record = {
            "course_id": identifier, "title": mask_pii(title),
            "ncs_code": take("ncs_code", _ncs, ""),
            "region_code": "" if online else (region or ""),
            "online": bool(online),
            "hours": take("hours", lambda v: _number(v, 1, MAX_HOURS, "시간"), np.nan),
            "fee": take("fee", lambda v: _number(v, 0, MAX_FEE, "원"), np.nan),
            "start_date": take("start_date", _date, pd.NaT),
            "text": " ".join(p for p in (mask_pii(title), text, skills.replace(";", " ")) if p),
            "skills": skills,
            "course_type": take("course_type", _text(20), ""),
            "keco_code": take("keco_code", _occupation(ref), ""),
            "capacity": take("capacity", lambda v: _number(v, 1, MAX_CAPACITY, "명", integer=True), np.nan),
            "institution": mask_pii(take("institution", _text(MAX_NAME), "")),
            "satisfaction": take("satisfaction", lambda v: _number(v.removesuffix("%"), 0, 100, "점"), np.nan),
        }
        for column in RATE_COLUMNS:
            parsed = take(column, _rate, (np.nan, False))
            rate_cells[column].append((line, *parsed))
        return record

    rows.read(path, COURSE_COLUMNS, COURSE_OPTIONAL, parse_row)
    for column, cells in rate_cells.items():
        # one scale per column: any bare value above 1 means the column is in percent
        in_percent = any(v > 1 and not pct for _, v, pct in cells if np.isfinite(v))
        if in_percent:
            rows.notes.append(f"{rows.label}: [{column}] 1보다 큰 값이 있어 0~100(%) 값으로 읽었습니다")
            # a fraction such as 0.9 among percentages is 90% or 0.9%: the file must say which
            rows.errors += [f"{rows.label} {line}행: [{column}] 이 열은 0~100(%) 값인데 0~1 비율({v:g})이 섞여 있습니다"
                            for line, v, pct in cells if not pct and 0 < v < 1]
        for record, (_, value, pct) in zip(rows.records, cells, strict=True):
            record[column] = value / 100 if pct or in_percent else value
    return rows


def seeker_frame(rows: _Rows) -> pd.DataFrame:
    """The canonical seeker frame (:data:`app.db.repositories.courses.SEEKER_FRAME_COLUMNS`) of checked rows."""
    frame = pd.DataFrame(rows.records, columns=list(SEEKER_FRAME_COLUMNS))
    return frame.astype({"age": float, "career_years": float, "benefit_status": float})


def course_frame(rows: _Rows) -> pd.DataFrame:
    """The canonical course frame (:data:`app.db.repositories.courses.COURSE_FRAME_COLUMNS` and
    ``employment_rate_3m``) of checked rows."""
    frame = pd.DataFrame(rows.records, columns=[*COURSE_FRAME_COLUMNS, "employment_rate_3m"])
    frame["start_date"] = pd.to_datetime(frame["start_date"]).astype("datetime64[ns]")
    frame["online"] = frame["online"].astype(bool)
    numeric = ["hours", "fee", "capacity", "satisfaction", *RATE_COLUMNS]
    return frame.astype(dict.fromkeys(numeric, float))


# --------------------------------------------------------------------------- scoring and output


def load_recommender(models_dir: Path) -> TrainingRecommender:
    """The built training recommender (:mod:`app.ml.training_recommender`).

    Raises:
        NotReady: Not built (the message names the build command).
    """
    return load_training_recommender(models_dir)


def _reasons(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return REASON_SEPARATOR.join(str(v) for v in value if str(v))
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def output_frame(recommended: pd.DataFrame) -> pd.DataFrame:
    """The output rows of the recommender's frame: the contract's columns only, reasons as one cell."""
    return pd.DataFrame({
        "seeker_id": recommended["seeker_id"].astype(str).to_numpy(),
        "rank": recommended["rank"].astype(int).to_numpy(),
        "course_id": recommended["course_id"].astype(str).to_numpy(),
        "score": recommended["score"].astype(float).round(6).to_numpy(),
        "reasons": [_reasons(v) for v in recommended["reasons"]],
    }, columns=list(OUTPUT_COLUMNS))


def _run(args: argparse.Namespace, record: RunRecord) -> int:
    problem = check_output_path(args.output)
    if problem:
        print(problem, file=sys.stderr)
        return record.finish(2)
    ref = load_reference()
    seekers = read_seekers(args.seekers, ref)
    courses = read_courses(args.courses, ref)
    errors = [*seekers.errors, *courses.errors]
    record.rows_in = len(seekers.records) + len(courses.records)
    record.errors = len(errors)
    if errors:
        return record.finish(report_input_errors(errors, args.seekers))
    try:
        recommender = load_recommender(args.models_dir or get_settings().models_dir)
    except NotReady as err:
        print(err.user_message, file=sys.stderr)
        return record.finish(1)
    from app.services import audit

    record.models = audit.model_versions_of(recommender)
    recommended = recommender.recommend(seeker_frame(seekers), course_frame(courses), top=args.top)
    table = output_frame(recommended)
    if deliver_result(record, table, args.output, [*seekers.notes, *courses.notes]) != 0:
        return 1
    version = getattr(recommender, "version", "")
    print(f"훈련과정 추천 완료: 구직자 {len(seekers.records):,}명 × 과정 {len(courses.records):,}개 중 상위 {args.top}개 "
          f"→ {args.output} ({len(table):,}행{f', 모델 {version}' if version else ''})")
    print("AI가 생성한 추천입니다: 점수는 이 과정을 들었을 때 6개월 안에 취업할 확률이 얼마나 오를지의 추정치이며, "
          "추천 사유와 함께 상담사가 확인한 뒤 구직자와 훈련 계획을 정하세요.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m app training``."""
    parser = argparse.ArgumentParser(prog="python -m app training", description="AI 직업훈련추천 명령")
    sub = parser.add_subparsers(dest="command", required=True)
    recommend = sub.add_parser("recommend", help="구직자마다 취업 가능성을 가장 높일 훈련과정을 추천합니다")
    recommend.add_argument("--seekers", type=Path, required=True,
                           help="구직자 CSV (id,desired_occupation,region,age,education,career_months,certificates,text)")
    recommend.add_argument("--courses", type=Path, required=True,
                           help="훈련과정 CSV (id,title,ncs_code,region,online,hours,fee,start_date,text, 선택: 성과 열)")
    recommend.add_argument("--top", type=top_argument(MAX_TOP), default=DEFAULT_TOP, help=f"구직자마다 추천할 과정 수 (1~{MAX_TOP}, 기본 {DEFAULT_TOP})")
    recommend.add_argument("--output", type=Path, required=True, help="결과 CSV (seeker_id,rank,course_id,score,reasons)")
    recommend.add_argument("--models-dir", type=Path, default=None, help="모델 폴더 (기본값: 설정의 GOYONG_MODELS_DIR)")
    recommend.add_argument("--db-url", default=None, help="실행 기록을 남길 데이터베이스 (기본값: GOYONG_DB_URL)")

    def run(args: argparse.Namespace) -> int:
        args.input = args.seekers  # the run record's input hash
        return run_recorded(args, "training recommend", lambda record: _run(args, record))

    recommend.set_defaults(func=run)
    return parser


def main_training(argv: list[str] | None = None) -> int:
    """Run ``python -m app training …``; returns the exit code (0 ok, 2 bad input, 1 no model or output failed)."""
    return run_command_line(argv, "training", build_parser())
