"""The diagnosis's barrier rules on real unemployment spells; prints one JSON object.

The copilot's diagnosis names barriers by rules the world's truth defines (``app/copilot/diagnosis.py``).
Three of them can be read on real data — McCall's CPS displaced workers
(``../shared/data/unemployment_duration_reemployment/Ecdat_UnempDur.csv``, 3,343 spells, US 1986–1992):

* ``age``: under 25 or 60 and over;
* ``benefit_search``: receiving unemployment insurance (``ui``);
* ``no_career``: no tenure in the lost job (``tenure`` 0).

A barrier should go with fewer re-employed: for each rule, the share re-employed full time within 26
weeks (13 two-week intervals, ``censor1``) with and without the flag, their difference and a bootstrap
95% interval. US data: this checks the direction of the rules, not Korean magnitudes.

Usage: python bench/copilot_barriers_real.py [--seed 18] [--boot 2000]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings  # noqa: E402
from app.copilot.diagnosis import OLDER_AGE, YOUNG_AGE  # noqa: E402

WEEKS_26 = 13  # two-week intervals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--boot", type=int, default=2000)
    args = parser.parse_args()
    path = Path(get_settings().shared_data_dir) / "unemployment_duration_reemployment" / "Ecdat_UnempDur.csv"
    spells = pd.read_csv(path)
    reemployed = ((spells["censor1"] == 1) & (spells["spell"] <= WEEKS_26)).to_numpy(bool)
    flags = {
        "age": ((spells["age"] < YOUNG_AGE) | (spells["age"] >= OLDER_AGE)).to_numpy(bool),
        "benefit_search": (spells["ui"] == "yes").to_numpy(bool),
        "no_career": (spells["tenure"] <= 0).to_numpy(bool),
    }
    rng = np.random.default_rng(args.seed)
    out: dict[str, object] = {"spells": len(spells), "reemployed_26w": round(float(reemployed.mean()), 4)}
    for name, flag in flags.items():
        with_flag, without = reemployed[flag], reemployed[~flag]
        diffs = [rng.choice(with_flag, len(with_flag)).mean() - rng.choice(without, len(without)).mean()
                 for _ in range(args.boot)]
        out[name] = {"n_flagged": int(flag.sum()), "rate_flagged": round(float(with_flag.mean()), 4),
                     "rate_other": round(float(without.mean()), 4),
                     "difference": round(float(with_flag.mean() - without.mean()), 4),
                     "difference_ci95": [round(float(np.percentile(diffs, 2.5)), 4), round(float(np.percentile(diffs, 97.5)), 4)]}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
