"""Character n-gram TF-IDF fitted without scikit-learn's per-n-gram Python loop.

:func:`fit_char_tfidf` is ``TfidfVectorizer(analyzer="char" | "char_wb", …).fit_transform`` with the
counting done by numpy: every n-gram of every document becomes one int64 (the characters numbered
densely, one digit each), numbered in order of first sight by a hash table (``pandas.factorize``),
and the document frequencies and counts come from those numbers. What it
returns is scikit-learn's own fitted ``TfidfVectorizer`` (its ``transform`` is used at run time),
equal in vocabulary, idf and matrix to scikit-learn's fit (tests compare them).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


def fit_char_tfidf(texts: Sequence[str], **params: object) -> tuple[TfidfVectorizer, sparse.csr_matrix]:
    """``TfidfVectorizer(analyzer="char", **params).fit_transform(texts)`` (or ``analyzer="char_wb"``
    in ``params``), with the n-grams counted by
    numpy instead of a Python loop over each of them (the sentence classifier's ~67,000 training
    sentences hold ~10 million n-grams: the loop was a fifth of the verifier's build). Same vocabulary, idf and matrix as
    scikit-learn's own fit (a unit test compares them), and a plain ``TfidfVectorizer`` is returned."""
    counting = _CharCountsAtOnce(**{"analyzer": "char", **params})
    x = counting.fit_transform(texts)
    fitted = TfidfVectorizer(**counting.get_params())
    fitted.__dict__.update(counting.__dict__)  # the fitted state, in scikit-learn's own class for storing
    return fitted, x


_MAX_ALPHABET = 6_000
"""Distinct characters up to which an n-gram of up to 5 characters is one int64 (6,001^5 < 2^63)."""


class _CharCountsAtOnce(TfidfVectorizer):
    """A ``char`` or ``char_wb`` n-gram ``TfidfVectorizer`` whose fit counts the n-grams of all
    documents at once.

    Only the counting (``_count_vocab``) differs: the vocabulary is numbered in the order the
    n-grams are first seen and the count matrix has sorted indices, as scikit-learn's loop leaves
    them, less the n-grams under ``min_df`` (which its pruning removes anyway); sorting, the
    ``max_features`` cut and idf are scikit-learn's. ``char_wb`` reads each word padded with a
    space on both sides (" word "), and its n-grams are those within a padded word. Anything else (a
    fixed vocabulary, another analyzer, a custom preprocessor, a padded word shorter than the
    smallest n, an alphabet too large) takes scikit-learn's path.
    """

    def _count_vocab(self, raw_documents, fixed_vocab):  # noqa: ANN001, ANN202 (scikit-learn's signature)
        min_n, max_n = self.ngram_range
        plain = (self.analyzer in ("char", "char_wb") and self.preprocessor is None and self.strip_accents is None
                 and self.input == "content" and 2 <= min_n <= max_n <= 5)
        raw = list(raw_documents)
        if fixed_vocab or not plain or not raw or not all(isinstance(d, str) for d in raw):
            return super()._count_vocab(raw, fixed_vocab)
        # what the analyzer reads: lower case, runs of white space as one space (char), or each word
        # between two spaces (char_wb); a "segment" is one document (char) or one padded word (char_wb)
        docs = [self._white_spaces.sub(" ", d.lower() if self.lowercase else d) for d in raw]
        if self.analyzer == "char":
            segments, doc_of_segment = docs, np.arange(len(docs), dtype=np.int64)
        else:
            words = [d.split() for d in docs]
            segments = [f" {w} " for ws in words for w in ws]
            doc_of_segment = np.repeat(np.arange(len(docs), dtype=np.int64), [len(ws) for ws in words])
            if any(len(w) + 2 < min_n for ws in words for w in ws):
                return super()._count_vocab(raw, fixed_vocab)  # scikit-learn keeps such a word whole
        joined = "".join(segments)
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        if len(codes) == 0:
            return super()._count_vocab(raw, fixed_vocab)
        present = np.zeros(int(codes.max()) + 1, dtype=bool)
        present[codes] = True
        if int(present.sum()) >= _MAX_ALPHABET:
            return super()._count_vocab(raw, fixed_vocab)
        base = np.int64(int(present.sum()) + 1)
        digits = np.cumsum(present, dtype=np.int64)[codes]  # 1 … base-1: n-grams of different lengths never share a key
        lengths = np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        segment_of = np.repeat(np.arange(len(segments), dtype=np.int64), lengths)
        offset = np.arange(len(codes), dtype=np.int64) - starts[segment_of]
        # scikit-learn's order, which numbers the vocabulary: segment by segment, all its 2-grams left
        # to right, then its 3-grams …; each n-gram is written straight to its place in that stream
        per_n = [np.maximum(lengths - n + 1, 0) for n in range(min_n, max_n + 1)]
        per_segment = np.sum(per_n, axis=0)
        place = np.concatenate([[0], np.cumsum(per_segment)[:-1]])
        stream_key = np.empty(int(per_segment.sum()), dtype=np.int64)
        stream_char = np.empty(len(stream_key), dtype=np.int64)
        stream_n = np.empty(len(stream_key), dtype=np.int8)
        key = digits
        for n in range(2, max_n + 1):
            key = key[:-1] * base + digits[n - 1:]  # key[p]: the n characters from p
            if n < min_n:
                continue
            where = np.flatnonzero(offset[: len(key)] + n <= lengths[segment_of[: len(key)]])
            to = place[segment_of[where]] + offset[where]
            stream_key[to], stream_char[to], stream_n[to] = key[where], where, n
            place = place + per_n[n - min_n]
        stream_doc = np.repeat(doc_of_segment, per_segment)
        # numbered in order of first sight, as scikit-learn's vocabulary (a hash table, no sort)
        term, distinct = pd.factorize(stream_key)
        n_terms = len(distinct)
        highest = np.maximum.accumulate(term)
        first = np.flatnonzero(np.r_[True, highest[1:] > highest[:-1]])  # first[t]: where term t is first seen
        cell, cells = pd.factorize(stream_doc * n_terms + term)  # (document, term) pairs, grouped by document
        counts = np.bincount(cell, minlength=len(cells))
        rows, terms = np.divmod(cells, n_terms)
        # n-grams in fewer documents than min_df are pruned by scikit-learn's fit anyway (before its
        # max_features cut, which ranks the rest in the same order): pruned here, they are never
        # spelled out, sorted and pruned one by one in Python (most n-grams occur once)
        low = self.min_df if isinstance(self.min_df, Integral) else self.min_df * len(docs)
        kept = np.bincount(terms, minlength=n_terms) >= low
        if not kept.any():
            return super()._count_vocab(raw, fixed_vocab)  # scikit-learn's own error message
        number = np.cumsum(kept) - 1
        seen = first[kept]
        vocabulary = {joined[c:c + n]: i for i, (c, n) in enumerate(zip(stream_char[seen].tolist(),
                                                                           stream_n[seen].tolist(), strict=True))}
        cell_kept = kept[terms]
        rows, counts, columns = rows[cell_kept], counts[cell_kept], number[terms[cell_kept]]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(docs)))])
        index_type = np.int32 if len(rows) <= np.iinfo(np.int32).max else np.int64
        x = sparse.csr_matrix((counts.astype(np.intc), columns.astype(index_type), indptr.astype(index_type)),
                              shape=(len(docs), len(vocabulary)), dtype=self.dtype)
        x.sort_indices()  # each row's columns in order, as scikit-learn leaves them
        return vocabulary, x
