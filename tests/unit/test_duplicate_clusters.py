"""Duplicate clusters stored once: the bounded clustering and stored-index lookup give exactly the
answers of the all-pairs method, and one template posted many times costs O(ads), not O(ads²)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.labour import minimum_wage_table
from app.verify import duplicates
from app.verify.duplicates import (
    NUM_PERM,
    ClusterTable,
    DuplicateIndex,
    cluster_labels,
    clusters_from_signatures,
    position_signatures,
    signatures,
)
from app.verify.verifier import AdVerifier, BatchDuplicates

TEMPLATE = (
    "【모집 개요】\n{site} 물류센터 입출고·포장 단순업무 (주간/야간 선택)\n"
    "【근무 조건】\n주 5일, 08:30~17:30 (휴게 60분), 시급 {wage:,}원, 주휴수당 별도, 통근버스 운행, 중식 무료 제공\n"
    "【지원 자격】\n초보 가능, 장기 근무 가능자 우대\n【접수 방법】\n문자 또는 전화 접수 후 면접 안내"
)


def _noisy_copies(seed: int, sources: int, n: int, noise: float) -> np.ndarray:
    """Signatures of ``n`` ads drawn from ``sources`` originals, each bin replaced with probability ``noise``."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 2**32, size=(sources, NUM_PERM), dtype=np.uint64).astype(np.uint32)
    sig = base[rng.integers(0, sources, n)].copy()
    changed = rng.random(sig.shape) < noise
    sig[changed] = rng.integers(0, 2**32, size=int(changed.sum()), dtype=np.uint64).astype(np.uint32)
    return sig


@pytest.mark.parametrize(("seed", "sources", "n", "noise"), [(1, 50, 3000, 0.08), (2, 400, 2000, 0.15), (3, 5, 900, 0.1)])
def test_bounded_clustering_gives_the_all_pairs_labels(seed: int, sources: int, n: int, noise: float,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sig = _noisy_copies(seed, sources, n, noise)
    expected = clusters_from_signatures(sig).labels
    assert (expected >= 0).sum() > n // 10  # the case is about clusters
    assert np.array_equal(cluster_labels(sig), expected)
    monkeypatch.setattr(duplicates, "PAIR_BLOCK", 7)  # many small blocks: the same components
    assert np.array_equal(cluster_labels(sig), expected)


def test_cluster_table_stores_each_cluster_once() -> None:
    labels = np.array([-1, 0, 1, 0, -1, 1, 0, 2, 2])
    table = ClusterTable.from_labels(labels)
    assert len(table) == 3 and len(table.members) == 7  # one entry per clustered ad, not per pair
    assert [table.size(c) for c in range(3)] == [3, 2, 2]
    assert [table.representative(c) for c in range(3)] == [1, 2, 7]
    assert table.positions(0).tolist() == [1, 3, 6]
    assert table.others(3, 10).tolist() == [1, 6] and table.others(1, 1).tolist() == [3]
    assert table.cluster_of(0) is None and table.others(0, 5).tolist() == []


def test_index_lookup_in_pieces_is_the_whole_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = _noisy_copies(4, 30, 1500, 0.1)
    index = DuplicateIndex(stored, [str(i) for i in range(len(stored))], ["o"] * len(stored))
    new = _noisy_copies(4, 30, 200, 0.1)  # the same originals: every new ad matches dozens
    whole = index.query(new)
    assert len(whole) > 5 * len(new)
    # brute force: every stored ad at similarity ≥ 0.8, by row then decreasing similarity
    agreement = (new[:, None, :] == stored[None, :, :]).mean(axis=2)
    rows, hits = np.nonzero(agreement >= 0.8)
    assert sorted(zip(whole["row"], whole["id"].astype(int), strict=True)) == sorted(zip(rows, hits, strict=True))
    for _, group in whole.groupby("row"):
        assert group["similarity"].is_monotonic_decreasing
    monkeypatch.setattr(duplicates, "QUERY_PAIRS", 40)  # one or two rows per piece
    pieces = list(index.matches(new))
    assert len(pieces) > 10
    pd.testing.assert_frame_equal(pd.concat(pieces, ignore_index=True), whole)
    assert index.query(new[:1], exclude=str(whole["id"].iloc[0]))["id"].tolist() == whole[whole["row"] == 0]["id"].tolist()[1:]


def test_index_pickled_with_bucket_dicts_loads_without_them() -> None:
    sig = signatures(["물류센터 입출고 사원 모집 주간 근무 시급 12,000원", "카페 바리스타 구인 주말 근무 가능자"])
    index = DuplicateIndex(sig, ["1", "2"], ["a", "b"])
    state = {"sig": index.sig, "ids": index.ids, "owners": index.owners, "_buckets": [{1: [0]}] * 16}
    old = DuplicateIndex.__new__(DuplicateIndex)
    old.__setstate__(state)  # what unpickling an index built before the sorted bands does
    assert not hasattr(old, "_buckets")
    assert old.query(sig[:1])["id"].tolist() == ["1"]
    assert index.__getstate__()["_bands"] is None  # the lookup arrays are never pickled


def _template_ads(n: int) -> pd.DataFrame:
    sites = ("평택", "안성", "이천", "화성")
    return pd.DataFrame({
        "id": [f"T{i}" for i in range(n)],
        "title": "물류센터 입출고 사원 모집",  # one title: the sites differ only in a line of the body
        "body": [TEMPLATE.format(site=sites[i % 4], wage=11_000 + i % 7 * 10) for i in range(n)],
        "wage_type": "hourly", "wage": 12_000.0, "hours_per_week": 40.0, "year": 2026,
    })


def _rules_only() -> AdVerifier:
    return AdVerifier(classifier=None, ml_threshold=1.0, index=None, minimum_wages=dict(minimum_wage_table().hourly))


def test_a_template_posted_many_times_lists_few_and_counts_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.verify.verifier.MAX_LISTED_DUPLICATES", 5)
    ads = _template_ads(60)
    verdicts = _rules_only().verify(ads)
    assert {v.cluster for v in verdicts[1:]} == {0}  # one cluster of all 60 …
    assert verdicts[0].cluster is None and not verdicts[0].duplicates  # … whose first ad is the original
    assert all(v.decision == "review" for v in verdicts[1:])
    assert verdicts[1].duplicates == ("T0", "T2", "T3", "T4", "T5")
    assert verdicts[3].duplicates == ("T0", "T1", "T2", "T4", "T5")  # the others, not itself
    (finding,) = [h for h in verdicts[3].hits if h.rule_id == "DUPLICATE"]
    assert finding.evidence == "유사 공고 59건: T0, T1, T2, T4, T5"  # every other member is counted
    assert {v.n_duplicates for v in verdicts[1:]} == {59}  # the review page shows the count, not the listed five


def test_chunks_of_a_batch_get_the_verdicts_of_the_whole_batch() -> None:
    ads = _template_ads(30)
    ads.loc[7, "body"] = "카페 음료 제조와 매장 관리 업무입니다. 초보 가능하며 교육을 해 드립니다."  # not a copy
    verifier = _rules_only()
    whole = verifier.verify(ads)
    sig = position_signatures(zip(ads["title"], ads["body"], strict=True))
    batch = BatchDuplicates.find(ads["id"].tolist(), sig)
    chunked = []
    for start in range(0, len(ads), 4):
        part = ads.iloc[start:start + 4]
        chunked += verifier.verify(part, signature_matrix=sig[start:start + 4], batch=batch, batch_offset=start)
    assert chunked == whole
    assert whole[7].cluster is None and whole[8].cluster == 0


def test_stored_match_that_is_also_a_batch_member_is_listed_once() -> None:
    ads = _template_ads(3)
    sig = position_signatures(zip(ads["title"], ads["body"], strict=True))
    verifier = _rules_only()
    verifier.index = DuplicateIndex(sig[:2], ["T1", "900"], ["x", "y"])  # T1 is in the batch too
    last = verifier.verify(ads)[2]
    assert last.duplicates == ("T0", "T1", "stored:900")
    (finding,) = [h for h in last.hits if h.rule_id == "DUPLICATE"]
    assert finding.evidence.startswith("유사 공고 3건")
