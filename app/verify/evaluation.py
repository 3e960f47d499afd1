"""Evaluation sets of the job-ad verifier that nobody here generated with the world.

* **Real published ads** (:func:`load_real_ads`): the 4,061 Wanted ads (2023) and the distinct
  Worknet ads of ``../shared/data/korean_job_postings/`` as verifier input — title, and a body
  made of the ad's sections under the headers the portals show (``[주요업무]`` …). Their hand
  labels are ``data/evaluation/real_ads_labels.csv`` (ids and labels only: the ads have no
  redistribution licence) and ``data/evaluation/real_duplicate_pairs.csv``.
* **The written set** (:func:`load_written_ads`): realistic unlawful ads and lawful look-alikes
  across every category of the rule set, written by hand for this evaluation
  (``bench/data/ads_written/*.jsonl``) — independently of the world's templates and of the
  rules' training sentences.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

REAL_POSTINGS_DIR = "korean_job_postings"
WANTED_FILE = "wanted_postings_2023.jsonl.gz"
WORKNET_FILES: dict[str, str] = {"worknet_AI": "worknet_crawl_AI_keyword.csv",
                                 "worknet_bigdata": "worknet_crawl_bigdata_keyword.csv"}
WANTED_SECTIONS: tuple[tuple[str, str], ...] = (
    ("회사 소개", "GROUP_INTRO"), ("주요업무", "MAINDUTIES"), ("자격요건", "QUALIFICATION"),
    ("우대사항", "PREFERENTIAL"), ("혜택 및 복지", "BENEFITS"),
)
"""(header shown on wanted.co.kr, field of the crawl) in the order of the page."""
WORKNET_FIELDS: tuple[str, ...] = ("직무내용", "경력조건", "학력", "전공", "자격면허", "우대조건")
LABELS_FILE = "real_ads_labels.csv"
PAIRS_FILE = "real_duplicate_pairs.csv"


def _present(value: object) -> bool:
    return value is not None and str(value).strip() not in ("", "None", "nan")


def load_real_ads(shared_dir: Path) -> pd.DataFrame:
    """Real published ads as verifier input: ``id, source, title, body`` (empty when the shared
    data are absent).

    Ids are ``wanted:<ID>`` and ``worknet_AI:<row>`` / ``worknet_bigdata:<row>``. The two Worknet
    files were crawled with overlapping keywords: an ad found by both is kept once (its first id).
    """
    base = Path(shared_dir) / REAL_POSTINGS_DIR
    rows = []
    wanted = base / WANTED_FILE
    if wanted.exists():
        with gzip.open(wanted, "rt", encoding="utf-8") as lines:
            for line in lines:
                ad = json.loads(line)
                body = "\n\n".join(f"[{header}]\n{str(ad.get(key)).strip()}" for header, key in WANTED_SECTIONS
                                   if _present(ad.get(key)))
                identifier = str(ad.get("ID", "")).removesuffix(".0")
                rows.append({"id": f"wanted:{identifier}", "source": "wanted", "title": str(ad.get("TITLE") or ""),
                             "body": body})
    for stem, name in WORKNET_FILES.items():
        path = base / name
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for _, ad in frame.iterrows():
            body = "\n".join(f"{column}: {ad[column]}" for column in WORKNET_FIELDS)
            rows.append({"id": f"{stem}:{ad.iloc[0]}", "source": "worknet", "title": str(ad["모집직종"]), "body": body})
    frame = pd.DataFrame(rows, columns=["id", "source", "title", "body"])
    repeated = frame["source"].eq("worknet") & frame.duplicated(["title", "body"])
    return frame[~repeated].reset_index(drop=True)


def as_cli_ads(frame: pd.DataFrame) -> pd.DataFrame:
    """Ads with the CLI's columns (real ads carry no wage or hours fields: a lawful placeholder, so
    only their text is judged)."""
    return frame[["id", "title", "body"]].assign(wage_type="monthly", wage=3_000_000, hours_per_week=40.0)


def load_real_labels(evaluation_dir: Path) -> pd.DataFrame:
    """Hand labels of real ads: ``id, source, sample, unlawful, categories, confidence``."""
    return pd.read_csv(Path(evaluation_dir) / LABELS_FILE, dtype={"id": str, "categories": str},
                       keep_default_na=False)


def load_duplicate_pairs(evaluation_dir: Path) -> pd.DataFrame:
    """Hand-labelled candidate pairs of real ads: ``id_a, id_b, same_position, confidence``."""
    return pd.read_csv(Path(evaluation_dir) / PAIRS_FILE, dtype={"id_a": str, "id_b": str}, keep_default_na=False)


def load_written_ads(directory: Path) -> pd.DataFrame:
    """The written evaluation set: CLI columns plus ``category, family, unlawful, note``."""
    return pd.DataFrame(jsonl_rows(directory))


def jsonl_rows(directory: Path) -> list[dict]:
    """The objects of every ``*.jsonl`` file of ``directory`` (files in name order; blank lines skipped)."""
    rows = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            rows.extend(json.loads(line) for line in lines if line.strip())
    return rows
