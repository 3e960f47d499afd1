"""Command line of the job-ad verification (the contract other tools rely on).

``python -m app verify --input ads.csv --output results.csv``
    input: ``id, title, body, wage_type`` (hourly, daily, monthly, annual), ``wage`` (KRW),
    ``hours_per_week``; optional ``year, employer_name, contact, region``. Output: ``id, decision``
    (pass, review, block), ``score`` (0–1), ``reasons`` (``;``-separated rule ids with their
    article). A malformed file gets line-numbered errors, exit code 2 and no output file.

``python -m app verify train --input labelled.csv --output model.joblib``
    trains the classifier on any labelled CSV (``--text-columns``, ``--label-column``,
    ``--language ko|en``) and prints its held-out recall, precision and PR-AUC.

Format details: ``docs/verify.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from app.cli.chunked import ChunkedResult
from app.cli.runner import (
    CommandError,
    FileCommand,
    InputScan,
    ReadResult,
    check_output_path,
    header_names,
    input_rows,
    input_stamp,
    number_cell,
    run_command_line,
    run_file_command,
)
from app.config import get_settings
from app.db.importers.csv_reader import NOT_UTF8, batched
from app.labour import minimum_wage_table
from app.ml.manifest import ArtifactMissing
from app.reference.codes import WAGE_TYPES
from app.verify.duplicates import position_signatures
from app.verify.rules import InvalidRules, load_default_rules, parse_rule_set
from app.verify.verifier import AdVerifier, BatchDuplicates, load_ad_verifier, verdict_frame

REQUIRED_COLUMNS: tuple[str, ...] = ("id", "title", "body", "wage_type", "wage", "hours_per_week")
OPTIONAL_COLUMNS: tuple[str, ...] = ("year", "employer_name", "contact", "region")
MAX_ID, MAX_TITLE, MAX_BODY = 60, 300, 20_000
VERIFY_CHUNK_ROWS = 2_000
"""Ads verified at a time: the classifier's text features of a chunk of long ads take tens of MB
each 1,000 ads, and the Kiwi model (~500 MB) already sits in memory."""


def _parse_ad(line: int, cells: dict[str, str], seen: dict[str, int]) -> tuple[dict[str, object], list[str]]:
    """One row as an ad (the verifier's columns) and its ``"N행: [column] …"`` problems;
    ``seen`` maps the ids read so far to their line (a repeated id is a problem)."""
    problems = []
    identifier = cells.get("id", "")
    if not identifier or len(identifier) > MAX_ID:
        problems.append(f"[id] id는 1~{MAX_ID}자여야 합니다")
    elif identifier in seen:
        problems.append(f"[id] id '{identifier}'가 {seen[identifier]}행과 겹칩니다")
    else:
        seen[identifier] = line
    title, body = cells.get("title", ""), cells.get("body", "")
    if not title or len(title) > MAX_TITLE:
        problems.append(f"[title] 제목은 1~{MAX_TITLE}자여야 합니다")
    if not body or len(body) > MAX_BODY:
        problems.append(f"[body] 본문은 1~{MAX_BODY:,}자여야 합니다")
    wage_type = cells.get("wage_type", "").lower()
    if wage_type not in WAGE_TYPES:
        problems.append(f"[wage_type] 임금 형태는 {', '.join(WAGE_TYPES)} 중 하나여야 합니다 (입력값: {cells.get('wage_type', '')})")
    wage = number_cell(cells.get("wage", ""), low=1, high=1e10)
    if wage is None:
        problems.append(f"[wage] 임금은 1원 이상의 숫자여야 합니다 (입력값: {cells.get('wage', '')})")
    hours = number_cell(cells.get("hours_per_week", ""), low=1, high=80)
    if hours is None:
        problems.append(f"[hours_per_week] 주당 근로시간은 1~80이어야 합니다 (입력값: {cells.get('hours_per_week', '')})")
    year = None
    if cells.get("year"):
        year = number_cell(cells["year"], low=2023, high=2100)
        if year is None or year != int(year):
            problems.append(f"[year] 연도는 2023~2100의 정수여야 합니다 (입력값: {cells['year']})")
    ad = {"id": identifier, "title": title, "body": body, "wage_type": wage_type,
          "wage": wage, "hours_per_week": hours, "year": int(year) if year else None,
          "employer_name": cells.get("employer_name", ""), "contact": cells.get("contact", ""),
          "region": cells.get("region", "")}
    return ad, [f"{line}행: {p}" for p in problems]


def read_ads(path: Path) -> tuple[pd.DataFrame, list[str], list[str], bool]:
    """Parse and validate every row of an ad file.

    Returns:
        (ads, errors, notes, identity_given) — ``errors`` are ``"N행: [column] …"`` lines and
        file-level problems (when there is any, the ads must not be used); ``identity_given``
        tells whether the file has an ``employer_name`` or ``contact`` column (only then is the
        recruiter's identity checked).
    """
    errors: list[str] = []
    notes: list[str] = []
    rows: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for line, cells in input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes):
        ad, problems = _parse_ad(line, cells, seen)
        errors.extend(problems)
        rows.append(ad)
    identity = bool({"employer_name", "contact"} & header_names(path))
    return pd.DataFrame(rows), errors, notes, identity


@dataclass(frozen=True, eq=False)
class AdsInput:
    """A checked ad file: what verifying it again needs, O(ads) and small — the ids, the MinHash
    signatures (256 bytes an ad) for the duplicates across the whole file — not its text.

    Attributes:
        scan: The file, to read it again.
        ids: The ads' ids in file order.
        signatures: Their signatures (:func:`app.verify.duplicates.position_signatures`).
        identity: Whether the file has an ``employer_name`` or ``contact`` column.
    """

    scan: InputScan
    ids: list[str]
    signatures: np.ndarray
    identity: bool

    def __len__(self) -> int:
        return len(self.scan)


def check_ads(path: Path) -> ReadResult[AdsInput]:
    """The checking pass of ``verify``: every row validated as :func:`read_ads` does, keeping the
    ids and the duplicate signatures, not the ads (memory does not grow with the text)."""
    errors: list[str] = []
    notes: list[str] = []
    ids: list[str] = []
    seen: dict[str, int] = {}
    stamp = input_stamp(path)

    def texts() -> Iterator[tuple[str, str]]:
        for line, cells in input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes):
            ad, problems = _parse_ad(line, cells, seen)
            errors.extend(problems)
            ids.append(str(ad["id"]))
            yield str(ad["title"]), str(ad["body"])  # what identifies the position is signed

    sig = position_signatures(texts())
    identity = bool({"employer_name", "contact"} & header_names(path))
    return ReadResult(AdsInput(InputScan(path, stamp, len(ids)), ids, sig, identity), errors, notes)


def verify_ads(checked: AdsInput, verifier: AdVerifier) -> ChunkedResult:
    """Verdicts of a checked file, a chunk of :data:`VERIFY_CHUNK_ROWS` ads at a time; the
    duplicate clusters span the whole file (each cluster stored once)."""

    def chunks() -> Iterator[pd.DataFrame]:
        batch = BatchDuplicates.find(checked.ids, checked.signatures)
        seen: dict[str, int] = {}
        start = 0
        for chunk in batched(checked.scan.rows_again(REQUIRED_COLUMNS, OPTIONAL_COLUMNS), VERIFY_CHUNK_ROWS):
            parsed = [_parse_ad(line, cells, seen) for line, cells in chunk]
            if any(problems for _, problems in parsed):
                raise checked.scan.changed()
            ads = pd.DataFrame([ad for ad, _ in parsed])
            if ads["id"].astype(str).tolist() != checked.ids[start:start + len(ads)]:
                raise checked.scan.changed()
            end = start + len(ads)
            verdicts = verifier.verify(ads, check_identity=checked.identity, explain=False,
                                       signature_matrix=checked.signatures[start:end], batch=batch, batch_offset=start)
            yield verdict_frame(ads["id"].tolist(), verdicts)
            start = end

    return ChunkedResult(chunks(), kept=("decision",))


def _load(args: argparse.Namespace) -> AdVerifier:
    """The verifier with the rules in force (``--rules``), the classifier unless ``--rules-only``."""
    rules = load_default_rules()
    if args.rules is not None:
        try:
            rules = parse_rule_set(Path(args.rules).read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise CommandError(f"규칙 파일을 쓸 수 없습니다: {args.rules}\n{NOT_UTF8}") from None
        except (OSError, InvalidRules) as err:
            raise CommandError(f"규칙 파일을 쓸 수 없습니다: {args.rules}\n{err}") from None
    try:
        verifier = load_ad_verifier(args.models_dir or get_settings().models_dir).with_rules(rules)
    except ArtifactMissing as exc:
        if not args.rules_only:
            raise CommandError(f"{exc}\n(모델 없이 규칙만으로 검증하려면 --rules-only)", exit_code=1) from None
        verifier = AdVerifier(classifier=None, ml_threshold=1.0, index=None,
                              minimum_wages=dict(minimum_wage_table().hourly), rules=rules)
    if args.rules_only:
        verifier = AdVerifier(classifier=None, ml_threshold=1.0, index=verifier.index,
                              minimum_wages=verifier.minimum_wages, rules=rules)
    return verifier


def _summary(frame: pd.DataFrame | ChunkedResult, verifier: AdVerifier, args: argparse.Namespace,
             checked: AdsInput) -> list[str]:
    lines = [] if checked.identity else ["참고: employer_name·contact 열이 없어 모집자 신원 확인은 건너뛰었습니다"]
    counts = frame["decision"].value_counts()
    return [
        *lines,
        f"검증 완료: {len(frame):,}건 → {args.output} (통과 {counts.get('pass', 0):,}, 재검증 {counts.get('review', 0):,}, "
        f"차단 {counts.get('block', 0):,}; 규칙 버전 {verifier.rules.version})",
        "AI 검증 결과입니다: 재검증·차단 공고는 담당자가 확인한 뒤 최종 결정합니다.",
    ]


VERIFY = FileCommand(read=check_ads, load=_load, score=lambda checked, verifier, _args: verify_ads(checked, verifier),
                     summary=_summary)
"""``verify``: ads in, decision, score and reasons out."""


def read_labelled(path: Path, text_columns: Sequence[str], label_column: str) -> tuple[pd.DataFrame, np.ndarray]:
    """A labelled CSV as (ads with ``title`` and ``body``, 0/1 labels).

    The first text column is the title; the others are joined into the body. Labels accept
    1/0, true/false, t/f, yes/no.

    Raises:
        ValueError: Missing columns or unreadable labels (Korean message with line numbers).
    """
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        records, starts = [], []
        line = reader.line_num
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append(row)
                starts.append(line + 1)  # the physical line where this record starts
            line = reader.line_num
    frame = pd.DataFrame([r + [""] * (len(header) - len(r)) for r in records], columns=header) if header else pd.DataFrame()
    missing = [c for c in (*text_columns, label_column) if c not in frame.columns]
    if missing:
        raise ValueError(f"1행: 필수 열이 없습니다: {', '.join(missing)}")
    truth = frame[label_column].str.strip().str.lower().map(
        {"1": 1, "0": 0, "true": 1, "false": 0, "t": 1, "f": 0, "yes": 1, "no": 0})
    bad = truth.isna()
    if bad.any():
        lines = ", ".join(str(starts[i]) for i in np.flatnonzero(bad)[:10])
        raise ValueError(f"{lines}행: [{label_column}] 레이블은 1/0, true/false, t/f, yes/no 중 하나여야 합니다")
    title = frame[text_columns[0]].astype(str)
    body = frame[list(text_columns[1:])].astype(str).agg("\n".join, axis=1) if len(text_columns) > 1 else ""
    return pd.DataFrame({"title": title, "body": body}), truth.astype(int).to_numpy()


def _train(args: argparse.Namespace) -> int:
    from app.verify.classifier import train_classifier

    problem = check_output_path(args.output)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        ads, labels = read_labelled(args.input, [c.strip() for c in args.text_columns.split(",") if c.strip()],
                                    args.label_column)
        model, metrics = train_classifier(ads, labels, language=args.language, seed=args.seed)
    except UnicodeDecodeError:
        print(f"학습할 수 없습니다: {NOT_UTF8}", file=sys.stderr)
        return 2
    except (OSError, ValueError, pd.errors.ParserError) as err:
        print(f"학습할 수 없습니다: {err}", file=sys.stderr)
        return 2
    joblib.dump(model, args.output, compress=3)
    print(f"학습 완료: {len(labels):,}건 (문제 {int(labels.sum()):,}건) → {args.output}")
    print(f"검증용 {int(metrics['n']):,}건: 재현율 {metrics['recall']:.3f}, 정밀도 {metrics['precision']:.3f}, "
          f"PR-AUC {metrics['pr_auc']:.3f}, ROC-AUC {metrics['roc_auc']:.3f}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Parser of ``python -m app verify``."""
    parser = argparse.ArgumentParser(prog="python -m app verify", description="구인광고 AI 검증")
    parser.add_argument("--input", required=True, type=Path, help="광고 CSV (docs/verify.md 형식)")
    parser.add_argument("--output", required=True, type=Path, help="결과 CSV (id, decision, score, reasons)")
    parser.add_argument("--models-dir", type=Path, default=None, help="모델 폴더 (기본값: GOYONG_MODELS_DIR)")
    parser.add_argument("--rules", type=Path, default=None, help="규칙 YAML (기본값: data/reference/ad_rules.yaml)")
    parser.add_argument("--rules-only", action="store_true", help="분류 모델 없이 규칙·조건·중복만으로 검증")
    parser.set_defaults(func=lambda args: run_file_command(args, VERIFY))
    return parser


def build_train_parser() -> argparse.ArgumentParser:
    """Parser of ``python -m app verify train``."""
    parser = argparse.ArgumentParser(prog="python -m app verify train", description="레이블된 CSV로 분류 모델 학습")
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path, help="모델 파일 (joblib)")
    parser.add_argument("--text-columns", default="title,body", help="쉼표로 구분한 텍스트 열 (첫 열은 제목)")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--language", choices=["ko", "en"], default="ko")
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(func=_train)
    return parser


def main_verify(argv: list[str] | None = None) -> int:
    """Run ``python -m app verify …``; returns the exit code (0 ok, 2 bad input, 1 no model/output)."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["verify"]:
        args_in = args_in[1:]
    if args_in[:1] == ["train"]:
        return run_command_line(args_in[1:], "train", build_train_parser())
    return run_command_line(args_in, "verify", build_parser())
