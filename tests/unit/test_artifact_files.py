"""Built objects on disk: the fast pickle format, and artifacts built before it still load."""

from __future__ import annotations

import os
from pathlib import Path

import joblib
import numpy as np
import pytest

from app.ml.manifest import dump_object, load_object


@pytest.mark.parametrize("compress", [True, False])
def test_objects_round_trip_with_their_arrays(tmp_path: Path, compress: bool) -> None:
    obj = {"vocabulary": {f"단어{i}": i for i in range(5_000)}, "weights": np.arange(12, dtype=np.float32).reshape(3, 4)}
    path = tmp_path / "model.joblib"
    dump_object(obj, path, compress=compress)
    back = load_object(path)
    assert back["vocabulary"] == obj["vocabulary"]
    assert back["weights"].dtype == np.float32 and np.array_equal(back["weights"], obj["weights"])
    assert oct(path.stat().st_mode & 0o777) == "0o644"  # the app server may run as another user
    assert [p.name for p in tmp_path.iterdir()] == ["model.joblib"]  # no temporary file left behind
    if compress:
        assert path.stat().st_size < 40_000  # the vocabulary compresses


def test_artifacts_written_by_joblib_still_load(tmp_path: Path) -> None:
    path = tmp_path / "old.joblib"
    joblib.dump({"version": "2.8", "x": np.ones(3)}, path, compress=3)
    back = load_object(path)
    assert back["version"] == "2.8" and back["x"].tolist() == [1.0, 1.0, 1.0]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "model.joblib"
    dump_object({"v": 1}, path)

    class Unpicklable:
        def __reduce__(self) -> tuple:
            raise TypeError("cannot pickle")

    with pytest.raises(TypeError):
        dump_object({"v": Unpicklable()}, path)
    assert load_object(path) == {"v": 1}
    assert sorted(os.listdir(tmp_path)) == ["model.joblib"]
