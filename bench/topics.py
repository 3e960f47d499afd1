"""Topic-model quality (토픽 분석, issue 19); prints one JSON object.

* ``coherence`` / ``stability`` (top level) — the headline corpus: the real K-Digital Training course titles
  (``../shared/data/kdt_training_courses``) when present, else the counselling notes (``headline_corpus`` says
  which). ``coherence`` is the mean C_V (0–1) of the topics' top 10 terms over the corpus's own titles,
  ``coherence_npmi`` the mean NPMI (−1…1); ``stability`` the mean Hungarian-paired cosine of topic-term weights
  between fits from five seeds (each its own random start and its own 80% sample of the distinct documents).
* ``courses`` / ``notes`` — the same per corpus, with k chosen, the candidates' table, fit seconds, rising and
  falling topics; ``courses.lda`` — scikit-learn LDA with the same tokens and k, scored the same way (the
  comparison behind choosing NMF); ``courses.ai_share_by_year`` — share of course rounds whose title names an
  AI term (and a generative-AI term) by start year.
* ``planted`` — a corpus of four planted topics, one rising: k found, topics recovered, rising topic found.

The notes are the configured database's (``GOYONG_DB_URL``; a small world generated in a temporary folder when
the database has no notes), masked as they are read.

Usage: python bench/topics.py [--seed 17]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy.exc import SQLAlchemyError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.analytics import topics as tp  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.db.repositories.counsellor_notes import load_masked_notes  # noqa: E402
from app.ml import course_outcome
from app.ml import topics as topic_artifact  # noqa: E402
from app.threads import thread_count  # noqa: E402
from tests.unit.topics_helpers import PLANTED, planted_corpus  # noqa: E402


def summary(model: tp.TopicModel) -> dict:
    """The figures of one fitted corpus."""
    labels = dict(zip(model.topics["topic"], model.topics["label"], strict=True))
    trends = model.trends
    return {
        "k": model.k, "coherence": model.metrics["c_v"], "coherence_npmi": model.metrics["npmi"],
        "stability": model.metrics["stability"], "top_term_overlap": model.metrics["top_term_overlap"],
        "stability_model_start": model.metrics["stability_model_start"],
        "documents": int(model.metrics["documents"]), "distinct_documents": int(model.metrics["distinct_documents"]),
        "fit_seconds": model.metrics["fit_seconds"],
        "k_table": model.k_table.to_dict("records"),
        "topics": [f"{label} ({share * 100:.1f}%)" for label, share in zip(model.topics["label"],
                                                                           model.topics["share"], strict=True)],
        "rising": [f"{labels[t]} ({s:+.2f}%p/년)" for t, s, d in trends[["topic", "slope", "direction"]].itertuples(
            index=False) if d == "상승"],
        "falling": [f"{labels[t]} ({s:+.2f}%p/년)" for t, s, d in trends[["topic", "slope", "direction"]].itertuples(
            index=False) if d == "하락"],
    }


def lda_comparison(corpus: tp.TopicCorpus, k: int, seed: int) -> dict:
    """scikit-learn LDA on the same distinct token lists and k, scored by the same coherence."""
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    tokens = tp.tokenize(list(corpus.texts), stop_words=corpus.stop_words, drop_places=corpus.drop_places)
    distinct = [list(t) for t in dict.fromkeys(tuple(t) for t in tokens if t)]
    vectorizer = CountVectorizer(analyzer=lambda t: t, min_df=tp.MIN_DF, max_df=tp.MAX_DF)
    counts = vectorizer.fit_transform(distinct)
    started = time.perf_counter()
    lda = LatentDirichletAllocation(n_components=k, random_state=seed, learning_method="batch", max_iter=50,
                                    n_jobs=thread_count()).fit(counts)
    vocabulary = vectorizer.get_feature_names_out()
    top = [[vocabulary[j] for j in np.argsort(-row)[:tp.TOP_TERMS]] for row in lda.components_]
    return {"k": k, "coherence": round(tp.coherence(distinct, top, "c_v")[0], 4),
            "coherence_npmi": round(tp.coherence(distinct, top, "c_npmi")[0], 4),
            "fit_seconds": round(time.perf_counter() - started, 1)}


def notes_frame(seed: int):
    """The configured database's masked notes, or a small generated world's."""
    from app.config import get_settings

    engine = make_engine(get_settings().db_url)
    try:
        notes = load_masked_notes(engine)
    except SQLAlchemyError:  # no database or no notes table: a small world instead
        notes = None
    finally:
        engine.dispose()
    if notes is not None and len(notes):
        return notes, "configured"
    from app.world.generate import generate_world

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'w.db'}")
        generate_world(engine, size="small", seed=seed)
        notes = load_masked_notes(engine)
        engine.dispose()
    return notes, "small world"


def planted(seed: int) -> dict:
    model = tp.fit_topic_model(planted_corpus(), candidates=(3, 4, 5, 6), seed=seed)
    found = [set(terms[:6]) for terms in model.topics["terms"]]
    recovered = sum(max(len(set(words) & f) for f in found) >= 5 for words in PLANTED.values())
    top = model.trends.iloc[0]
    ai_topic = next(int(t) for t, terms in zip(model.topics["topic"], model.topics["terms"], strict=True)
                    if "인공지능" in terms[:8])
    return {"k_true": len(PLANTED), "k_chosen": model.k, "topics_recovered": recovered,
            "rising_found": bool(int(top["topic"]) == ai_topic and top["direction"] == "상승"),
            "coherence": model.metrics["c_v"], "stability": model.metrics["stability"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=tp.SEED)
    args = parser.parse_args()
    out: dict = {"threads": thread_count()}
    path = course_outcome.kdt_path()
    if path is not None:
        corpus = topic_artifact.course_corpus(path)
        model = tp.fit_topic_model(corpus, seed=args.seed)
        out["courses"] = summary(model)
        share = model.keyword_share
        out["courses"]["ai_share_by_year"] = {int(y): float(s) for y, s in zip(share["year"], share["ai_share"],
                                                                                strict=True)}
        out["courses"]["generative_ai_share_by_year"] = {
            int(y): float(s) for y, s in zip(share["year"], share["generative_share"], strict=True)}
        out["courses"]["courses_by_year"] = {int(y): int(n) for y, n in zip(share["year"], share["courses"],
                                                                            strict=True)}
        out["courses"]["lda"] = lda_comparison(corpus, model.k, args.seed)
    else:
        out["courses"] = {"missing": "../shared/data/kdt_training_courses not found"}
    notes, where = notes_frame(args.seed)
    notes_model = tp.fit_topic_model(topic_artifact.notes_corpus(notes), seed=args.seed)
    out["notes"] = {"database": where, **summary(notes_model)}
    out["planted"] = planted(args.seed)
    headline = "courses" if path is not None else "notes"
    out = {"headline_corpus": headline, "coherence": out[headline]["coherence"],
           "coherence_npmi": out[headline]["coherence_npmi"], "stability": out[headline]["stability"],
           "k": out[headline]["k"], "fit_seconds": out[headline]["fit_seconds"], **out}
    print(json.dumps(out, ensure_ascii=False, indent=2, default=float))


if __name__ == "__main__":
    main()
