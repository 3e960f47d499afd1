"""Shared by the copilot's task tests: seeker contexts of a generated world (built from its observed
tables as the services would, masked documents through the repository; read only), the full claim
vocabulary, and a fake chat backend."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from app.copilot.context import SeekerContext
from app.copilot.generation import CopilotTask
from app.copilot.grounding import Statement, Vocabulary, build_vocabulary
from app.db.engine import make_engine
from app.db.repositories.seekers import load_masked_documents
from app.reference.tables import Reference, load_reference

AS_OF = dt.date(2026, 3, 1)


def full_vocabulary(ref: Reference | None = None) -> Vocabulary:
    """Certificates, occupations (소분류 and 세분류 names) and the public organisations: the strictest
    vocabulary a task's statements are checked with."""
    ref = ref or load_reference()
    tree = ref.keco_tree
    return build_vocabulary(ref.certificates["name"].astype(str),
                            [*ref.occupations["name"].astype(str), *tree[tree["level"] == 4]["name"].astype(str)])


def world_contexts(db_path: Path) -> list[SeekerContext]:
    """One context per seeker of a world database, oldest id first."""
    ref = load_reference()
    names = dict(zip(ref.occupations["keco_code"], ref.occupations["name"], strict=True))
    regions = dict(zip(ref.regions["code"].astype(str), ref.regions["short"], strict=True))
    certificates = dict(zip(ref.certificates["certificate_id"], ref.certificates["name"], strict=True))
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT id, age, education, major, career_years, last_keco, desired_keco, desired_wage, "
            "desired_region_code, region_flexible, benefit_status, skills, registered_on FROM seekers ORDER BY id"
        ).fetchall()
        held: dict[int, list[str]] = {}
        for seeker_id, certificate_id in conn.execute(
                "SELECT seeker_id, certificate_id FROM seeker_certificates ORDER BY seeker_id, id"):
            held.setdefault(int(seeker_id), []).append(certificates.get(str(certificate_id), ""))
    engine = make_engine(f"sqlite:///{db_path}")
    contexts = []
    try:
        for (seeker_id, age, education, major, career, last, desired, wage, region, flexible, benefit, skills,
             registered) in rows:
            documents = load_masked_documents(engine, int(seeker_id), as_of=AS_OF)
            contexts.append(SeekerContext(
                seeker_id=int(seeker_id), age=int(age), education=str(education), major=str(major or ""),
                career_years=float(career), last_keco=last, last_occupation=names.get(last, "") if last else "",
                desired_keco=str(desired), desired_occupation=names[str(desired)], desired_wage=int(wage),
                desired_region=regions.get(str(region), str(region)), region_flexible=bool(flexible),
                benefit_status=bool(benefit), registered_on=dt.date.fromisoformat(str(registered)[:10]), as_of=AS_OF,
                skills=tuple(s for s in str(skills or "").split(";") if s),
                certificates=tuple(c for c in held.get(int(seeker_id), []) if c),
                resume=documents.resume if documents else "", cover_letter=documents.cover_letter if documents else "",
                notes=documents.notes if documents else ()))
    finally:
        engine.dispose()
    return contexts


class FakeChat:
    """A chat backend that answers with fixed statements (sources as S-numbers) and keeps the messages."""

    name = "시험용 모델"

    def __init__(self, statements: list[dict[str, object]]) -> None:
        self.statements = statements
        self.messages: list[dict[str, str]] = []

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        """The fixed statements as the JSON object the prompt asks for."""
        self.messages = messages
        return json.dumps({"statements": self.statements}, ensure_ascii=False)


def chat_answering(task: CopilotTask, faithful: Statement, invented: Sequence[tuple[str, str, str]]) -> FakeChat:
    """A chat that repeats one offline statement of ``task`` and adds invented ones, each given as
    (kind, text, key of the source it cites)."""
    number = {s.key: f"S{i}" for i, s in enumerate(task.sources, start=1)}
    return FakeChat([{"kind": faithful.kind, "text": faithful.text, "sources": [number[k] for k in faithful.sources]},
                     *({"kind": kind, "text": text, "sources": [number[key]]} for kind, text, key in invented)])
