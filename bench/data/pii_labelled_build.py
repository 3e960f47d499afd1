"""Rebuild ``pii_labelled.jsonl`` from the hand-written sources beside it.

``pii_labelled_tune.src`` and ``pii_labelled_holdout.src`` hold one snippet per line (``\\n`` for
a line break inside it, ``\\uXXXX`` for an invisible character such as a zero-width space);
``[[kind:text]]`` marks personal data, ``{{kind:text}}`` a look-alike that must stay. Both files
were written before the masker was tuned; only the tune split was looked at while tuning.
``pii_labelled_review.src`` holds the snippets of the issue-12 security review and variants of
them, kept as a split of its own so that the tune and holdout figures stay comparable.
Usage: python bench/data/pii_labelled_build.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("tune", "holdout", "review")
ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
MARK = re.compile(r"\[\[([a-z_]+):(.+?)\]\]|\{\{([a-z_]+):(.+?)\}\}")


def parse(line: str) -> tuple[str, list[dict], list[dict]]:
    """The snippet's text, its PII spans and its look-alike spans."""
    source = ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line.replace("\\n", "\n"))
    parts: list[str] = []
    pii: list[dict] = []
    lookalikes: list[dict] = []
    pos = length = 0
    for m in MARK.finditer(source):
        parts.append(source[pos:m.start()])
        length += m.start() - pos
        kind, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        (pii if m.group(1) else lookalikes).append({"kind": kind, "text": value, "start": length})
        parts.append(value)
        length += len(value)
        pos = m.end()
    parts.append(source[pos:])
    return "".join(parts), pii, lookalikes


def main() -> None:
    rows = []
    for split in SPLITS:
        lines = (HERE / f"pii_labelled_{split}.src").read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            text, pii, lookalikes = parse(line)
            rows.append({"id": f"{split[0]}{number:03d}", "split": split, "text": text, "pii": pii,
                         "lookalikes": lookalikes})
    with (HERE / "pii_labelled.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} snippets")


if __name__ == "__main__":
    main()
