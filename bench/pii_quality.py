"""PII masking quality and speed on the labelled snippets; prints one JSON object.

The set (``bench/data/pii_labelled.jsonl``, written for this bench before the masker was tuned)
holds résumé lines, cover-letter sentences, counsellor notes and résumé tables. Each line lists
its personal-data spans (``pii``: kind, exact substring, start) and its look-alikes
(``lookalikes``: company numbers and addresses, dates, amounts, codes … that must stay). Its
``split`` is ``tune`` (looked at while tuning the masker) or ``holdout`` (written at the same
time, only measured) or ``review`` (the snippets of the issue-12 security review and variants of
them, added later as a split of its own so that the tune and holdout figures stay comparable).

* **recall** — share of PII spans fully hidden: after :func:`app.text.pii.mask_pii`, no more
  characters of the span are still readable than the masking policy keeps (see ``ALLOWED``;
  phones keep the first group and the last four digits, e-mails/IDs two characters, birth dates
  the year, names the first and last syllable, everything else nothing).
* **over_masking_rate** — share of look-alike spans of which any character was changed.

Which characters stay readable is read off the output alone (a character diff of input and
output), so the figures do not depend on how the masker works inside.

Throughput: chars/s of ``mask_pii`` on about 1 MB of the tune and holdout snippets joined, and on 1 MB of
adversarial text (long digit, ``@``, label and Hangul-numeral runs).

Targets (issue 12): recall ≥ 0.99, over-masking ≤ 0.02.
Usage: python bench/pii_quality.py [--data bench/data/pii_labelled.jsonl]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.text.pii import mask_pii

DATA = Path(__file__).resolve().parent / "data" / "pii_labelled.jsonl"
HANGUL_DIGITS = "공영일이삼사오육륙칠팔구"
CJK_DIGITS = "〇零一二三四五六七八九"  # "〇一〇-九八七六-…" written in Chinese numerals


def kept_mask(original: str, masked: str) -> list[bool]:
    """For each character of ``original``: is it still in ``masked`` (an equal block of the diff)?"""
    kept = [False] * len(original)
    matcher = difflib.SequenceMatcher(None, original, masked, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                kept[i] = True
    return kept


def _digits(text: str) -> int:
    return sum(ch.isdigit() or ch in "Oo" + HANGUL_DIGITS + CJK_DIGITS for ch in text)


def hidden(kind: str, span: str, kept: list[bool]) -> bool:
    """Whether a labelled span is hidden as far as the policy of its kind requires."""
    kept_chars = "".join(ch for ch, k in zip(span, kept, strict=True) if k)
    if kind == "phone":
        country = re.match(r"\+[ \t]*82", span)  # the country code is not part of the number
        if country:
            span, kept = span[country.end():], kept[country.end():]
            kept_chars = "".join(ch for ch, k in zip(span, kept, strict=True) if k)
        total = _digits(span)
        gone = total - _digits(kept_chars)
        return gone >= max(3, total - 7)  # the middle group (≥ 3 digits) at least
    if kind == "birth_date":
        groups = re.findall(r"[0-9０-９]+", span)
        year = 4 if any(len(g) == 4 for g in groups) else 2 if len(groups) >= 3 else 0
        readable = sum(ch.isascii() and ch.isalnum() for ch in kept_chars)
        return readable <= year
    if kind == "name":
        syllables = [ch for ch in span if not ch.isspace()]
        left = sum(not ch.isspace() for ch in kept_chars)
        return left < len(syllables) and left <= (1 if len(syllables) <= 2 else 2)
    if kind in ("email", "messenger", "url", "sns"):
        return sum(ch.isalnum() for ch in kept_chars) <= 2
    return not any(ch.isalnum() for ch in kept_chars)  # rrn, passport, licence, account, address


def evaluate(records: list[dict]) -> dict:
    """Recall and over-masking, overall and per kind, on some records."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    altered: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for record in records:
        text = record["text"]
        kept = kept_mask(text, mask_pii(text))
        for span in record["pii"]:
            s, e = span["start"], span["start"] + len(span["text"])
            found[span["kind"]][0] += hidden(span["kind"], span["text"], kept[s:e])
            found[span["kind"]][1] += 1
        for span in record["lookalikes"]:
            s, e = span["start"], span["start"] + len(span["text"])
            altered[span["kind"]][0] += not all(kept[s:e])
            altered[span["kind"]][1] += 1
    hit = sum(v[0] for v in found.values())
    total = sum(v[1] for v in found.values())
    bad = sum(v[0] for v in altered.values())
    looks = sum(v[1] for v in altered.values())
    return {
        "snippets": len(records),
        "pii_spans": total,
        "lookalike_spans": looks,
        "recall": round(hit / total, 4) if total else None,
        "over_masking_rate": round(bad / looks, 4) if looks else None,
        "recall_by_kind": {k: {"recall": round(v[0] / v[1], 4), "spans": v[1]} for k, v in sorted(found.items())},
        "over_masking_by_kind": {
            k: {"rate": round(v[0] / v[1], 4), "spans": v[1]} for k, v in sorted(altered.items())
        },
    }


def misses(records: list[dict]) -> list[dict]:
    """The spans that failed (for tuning on the tune split only)."""
    out = []
    for record in records:
        text = record["text"]
        masked = mask_pii(text)
        kept = kept_mask(text, masked)
        for span in record["pii"]:
            s, e = span["start"], span["start"] + len(span["text"])
            if not hidden(span["kind"], span["text"], kept[s:e]):
                out.append({"id": record["id"], "kind": span["kind"], "span": span["text"], "masked": masked})
        for span in record["lookalikes"]:
            s, e = span["start"], span["start"] + len(span["text"])
            if not all(kept[s:e]):
                out.append({"id": record["id"], "lookalike": span["kind"], "span": span["text"], "masked": masked})
    return out


def throughput(text: str, repeats: int = 3) -> float:
    """Best chars/s of mask_pii on ``text`` over a few runs."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        mask_pii(text)
        best = min(best, time.perf_counter() - started)
    return round(len(text) / best)


def adversarial(size: int) -> str:
    """About ``size`` characters of runs that would make a backtracking pattern blow up."""
    pieces = (
        "1" * 5000, "@" * 5000, "a.b" * 2000, "주민번호 " * 1000, "공일공 " * 2000, "O1O-" * 2000,
        "계좌 " * 2000, "카톡 " * 2000, "생년월일 1988-" * 500, "서울 강남구 테헤란로 " * 500, "(at)" * 2000,
        "blog.naver.com/" * 500, "010-" * 2000, "ㅡ" * 5000,
    )
    out, n = [], 0
    while n < size:
        for piece in pieces:
            out.append(piece + "\n")
            n += len(piece) + 1
    return "".join(out)[:size]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-tune-misses", action="store_true", help="list failures of the tune split")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    tune = [r for r in records if r.get("split") == "tune"]
    holdout = [r for r in records if r.get("split") == "holdout"]
    review = [r for r in records if r.get("split") == "review"]
    if args.show_tune_misses:
        for miss in misses(tune):
            print(json.dumps(miss, ensure_ascii=False))
        return 0
    # The same corpus as before the review split was added, so throughput figures stay comparable.
    corpus = "\n".join(r["text"] for r in tune + holdout)
    corpus = (corpus + "\n") * (1_000_000 // (len(corpus) + 1) + 1)
    result = {
        "data": str(args.data.name),
        "all": evaluate(records),
        "tune": evaluate(tune),
        "holdout": evaluate(holdout),
        "review": evaluate(review),
        "throughput_chars_per_s": {
            "snippets_1mb": throughput(corpus[:1_000_000]),
            "adversarial_1mb": throughput(adversarial(1_000_000)),
        },
        "targets": {"recall": 0.99, "over_masking_rate": 0.02},
    }
    result["recall"] = result["all"]["recall"]
    result["over_masking_rate"] = result["all"]["over_masking_rate"]
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
