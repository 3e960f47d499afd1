"""Peak memory of every file command on ~100 MB inputs; prints one JSON object.

For each command a seeded input of about ``--mb`` megabytes is generated from a small built world
(its postings' text and conditions, its seekers' records), the command runs as its own
``python -m app`` process, and its peak resident memory is read from the kernel (``VmHWM`` in
``/proc/PID/status``, polled every 0.1 s, which also stops a runaway run at ``--kill-mb`` instead of
exhausting the machine; not ``ru_maxrss``, which on Linux includes the forking bench's own memory).

* ``hiring_score`` — postings with their text sections (``hiring score``);
* ``employment_score`` — seeker records without identifiers (``employment score``);
* ``verify`` — distinct ads recombined from the world's sections, with wages and contacts;
* ``verify_template`` — one staffing agency's template posted over and over with a different
  site, wage and phone (every ad a near-duplicate of every other: one cluster of all rows);
* ``import_postings`` / ``import_seekers`` — the import formats (into a copy of the world);
* ``mask`` — skipped when this checkout has no ``mask`` command.

Keys: ``peak_mb_<N>mb`` (the largest peak over the commands; target ≤ 1024 for 100 MB),
``commands`` (per command: ``peak_mb``, ``seconds``, ``cpu_s``, ``rows``, ``rows_per_s``, ``input_mb``,
``exit_code``), ``skipped``.

Usage::

    python bench/cli_memory.py                      # 100 MB inputs, every command
    python bench/cli_memory.py --mb 5 --commands verify,hiring_score
    python bench/cli_memory.py --root /path/to/other/checkout   # measure another version's code

The world (``size=small``, seed 7) and its models are built into a temporary folder first
(about a minute), or taken from ``--world DIR`` (a folder with ``w.db`` and ``models/``; built
there when missing, and kept).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MB = 1024
SECTIONS = ("company_intro", "duties", "requirements", "preferred", "conditions", "benefits", "process", "documents")
SITES = ("평택", "안성", "이천", "화성", "오산", "용인", "김포", "파주", "시흥", "안산", "광주", "여주")


# --------------------------------------------------------------------------- world


def ensure_world(folder: Path) -> tuple[Path, Path]:
    """(database, models dir) of a small built world in ``folder`` (built when missing)."""
    from app.build import run_build
    from app.db.engine import make_engine

    db, models = folder / "w.db", folder / "models"
    if not (models / "manifest.json").exists():
        engine = make_engine(f"sqlite:///{db}")
        run_build(engine, models, size="small", seed=7)
        engine.dispose()
    return db, models


def _query(db: Path, sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


# --------------------------------------------------------------------------- inputs


def write_until(path: Path, header: list[str], rows: Iterator[list[object]], megabytes: float) -> int:
    """Write ``rows`` to a CSV (a ``.jsonl`` path: JSON lines keyed by ``header``) until it holds
    ``megabytes``; returns the number of data rows."""
    limit = int(megabytes * 2**20)
    count = 0
    if path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as handle:
            while handle.tell() < limit:
                handle.write(json.dumps(dict(zip(header, next(rows), strict=True)), ensure_ascii=False) + "\n")
                count += 1
        return count
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        while handle.tell() < limit:
            writer.writerow(next(rows))
            count += 1
    return count


def hiring_rows(db: Path, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    """Postings of the world with new ids, jittered wages and recombined text sections."""
    postings = _query(db, "SELECT p.*, e.size_code FROM postings p JOIN employers e ON e.id = p.employer_id")
    header = ["id", "keco_code", "region_code", "size_code", "wage_type", "wage_amount", "weekly_hours",
              "employment_type", "career", "min_career_years", "education", "welfare_codes", "open_month",
              "title", "duties", "requirements", "benefits"]

    def rows() -> Iterator[list[object]]:
        for i in range(10**9):
            p = postings[int(rng.integers(len(postings)))]
            text = postings[int(rng.integers(len(postings)))]
            wage = int(round(p["wage_amount"] * (1 + rng.uniform(0, 0.3))))
            yield [f"P{i}", p["keco_code"], p["region_code"], p["size_code"], p["wage_type"], wage, p["weekly_hours"],
                   p["employment_type"], p["career"], p["min_career_years"], p["education"], p["welfare_codes"],
                   int(rng.integers(1, 13)), text["title"], text["duties"], text["requirements"], text["benefits"]]

    return header, rows()


def employment_rows(db: Path, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    """Seeker records of the world (no identifiers) with new ids and jittered figures."""
    seekers = _query(db, "SELECT * FROM seekers")
    header = ["id", "age", "education", "career_years", "desired_keco", "desired_wage", "desired_region_code",
              "benefit_status", "last_keco", "region_flexible", "skills", "days_since_registration",
              "svc_training", "svc_matching", "svc_nes", "svc_counselling"]

    def rows() -> Iterator[list[object]]:
        for i in range(10**9):
            s = seekers[int(rng.integers(len(seekers)))]
            flags = rng.integers(0, 2, 4)
            wage = int(min(max(s["desired_wage"] * rng.uniform(0.9, 1.1), 500_000), 30_000_000))
            yield [f"S{i}", s["age"], s["education"], s["career_years"], s["desired_keco"], wage, s["desired_region_code"],
                   s["benefit_status"], s["last_keco"] or "", s["region_flexible"], s["skills"],
                   int(rng.integers(0, 180)), *flags.tolist()]

    return header, rows()


AD_HEADER = ["id", "title", "body", "wage_type", "wage", "hours_per_week", "year", "employer_name", "contact"]


def verify_rows(db: Path, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    """Distinct ads: a title and sections drawn from different postings of the world."""
    postings = _query(db, "SELECT p.*, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id")

    def rows() -> Iterator[list[object]]:
        for i in range(10**9):
            picks = rng.integers(len(postings), size=len(SECTIONS) + 1)
            p = postings[int(picks[0])]
            body = "\n".join(postings[int(k)][s] for s, k in zip(SECTIONS, picks[1:], strict=True) if postings[int(k)][s])
            yield [f"A{i}", p["title"], body, p["wage_type"], p["wage_amount"], p["weekly_hours"], p["year"],
                   p["employer_name"], p["contact"]]

    return AD_HEADER, rows()


def template_rows(_db: Path, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    """One staffing agency's template, posted with a different site, wage and phone each time."""
    template = (
        "【모집 개요】\n{site} 물류센터 입출고·포장 단순업무 (주간/야간 선택)\n"
        "【근무 조건】\n주 5일, 08:30~17:30 (휴게 60분), 시급 {wage:,}원, 주휴수당·연장수당 별도\n"
        "통근버스 운행 ({site}역, 시내 주요 정류장), 중식·석식 무료 제공, 4대보험 가입\n"
        "【지원 자격】\n성별·나이 무관, 초보 가능, 장기 근무 가능자 우대\n"
        "【접수 방법】\n문자 또는 전화 접수 후 면접 일정 안내 ({phone})\n"
        "【회사 소개】\n(주)한결인력개발은 수도권 물류·제조 현장에 인력을 공급하는 근로자파견사업 허가 업체입니다. "
        "근무지 배치 전 안전교육을 실시하며, 급여는 매월 10일 정확히 지급합니다."
    )

    def rows() -> Iterator[list[object]]:
        for i in range(10**9):
            site = SITES[int(rng.integers(len(SITES)))]
            wage = int(rng.integers(10_320, 13_000))
            phone = f"010-{rng.integers(1000, 9999)}-{rng.integers(1000, 9999)}"
            yield [f"T{i}", f"[{site}] 물류센터 입출고 사원 모집 (당일지급 가능)",
                   template.format(site=site, wage=wage, phone=phone), "hourly", wage, 40, 2026, "(주)한결인력개발", phone]

    return AD_HEADER, rows()


def _fixture_rows(name: str, key: str, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    with (ROOT / "tests" / "fixtures" / name).open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    header = list(records[0])

    def rows() -> Iterator[list[object]]:
        for i in range(10**9):
            record = dict(records[int(rng.integers(len(records)))])
            record[key] = f"{record[key]}-{i}"
            if record.get("rrn"):  # one person once: the importer refuses a repeated number
                record["rrn"] = f"{record['rrn'][:8]}{i % 10**6:06d}"
            yield [record[c] for c in header]

    return header, rows()


def import_posting_rows(_db: Path, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    """The import fixture's postings with distinct titles."""
    return _fixture_rows("import_postings_valid.csv", "title", rng)


def import_seeker_rows(_db: Path, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    """The import fixture's seekers with distinct external ids."""
    return _fixture_rows("import_seekers_valid.csv", "external_id", rng)


def mask_rows(db: Path, rng: np.random.Generator) -> tuple[list[str], Iterator[list[object]]]:
    """The world's résumés, cover letters and counsellor notes (full of personal data) as texts."""
    texts = [r[0] for r in _query(db, "SELECT resume_text || char(10) || cover_letter_text FROM seekers")]
    texts += [r[0] for r in _query(db, "SELECT text FROM counsellor_notes")]

    def rows() -> Iterator[list[object]]:
        i = 0
        while True:
            i += 1
            yield [i, texts[int(rng.integers(len(texts)))]]

    return ["id", "text"], rows()


Generator = Callable[[Path, np.random.Generator], tuple[list[str], Iterator[list[object]]]]
COMMANDS: dict[str, tuple[Generator, Callable[[Path, Path, Path], list[str]]]] = {
    "hiring_score": (hiring_rows, lambda src, out, models: ["hiring", "score", "--input", str(src), "--output", str(out),
                                                             "--models-dir", str(models)]),
    "employment_score": (employment_rows, lambda src, out, models: ["employment", "score", "--input", str(src),
                                                                     "--output", str(out), "--models-dir", str(models)]),
    "verify": (verify_rows, lambda src, out, models: ["verify", "--input", str(src), "--output", str(out),
                                                      "--models-dir", str(models)]),
    "verify_template": (template_rows, lambda src, out, models: ["verify", "--input", str(src), "--output", str(out),
                                                                 "--models-dir", str(models)]),
    "import_postings": (import_posting_rows, lambda src, _out, _models: ["import", "postings", "--input", str(src)]),
    "import_seekers": (import_seeker_rows, lambda src, _out, _models: ["import", "seekers", "--input", str(src)]),
    "mask": (mask_rows, lambda src, out, _models: ["mask", "--input", str(src), "--output", str(out)]),
}


# --------------------------------------------------------------------------- measuring


def _rss_mb(pid: int) -> float:
    """Peak resident memory of the process so far (``VmHWM``: the high-water mark of its own address
    space, which exec resets)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (``/proc/<pid>/task/*/children``)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue.extend(int(child) for child in children.read_text().split())
            except OSError:
                pass
    return found


def run_measured(argv: list[str], *, cwd: Path, env: dict[str, str], kill_mb: float,
                 descendants: bool = False) -> dict[str, object]:
    """Run ``argv`` and return its exit code, seconds and peak RSS (killed above ``kill_mb``).

    With ``descendants`` (a command with worker processes) the peak is the sum of each process's own
    peak: an upper bound of what the tree held at once (the processes need not peak together).
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    polled = {"peak": 0.0, "killed": False}
    peaks: dict[int, float] = {}

    def poll() -> None:
        while process.returncode is None:
            if descendants:
                for pid in _descendants(process.pid):
                    peaks[pid] = max(peaks.get(pid, 0.0), _rss_mb(pid))
                rss = sum(peaks.values())
            else:
                rss = _rss_mb(process.pid)
            polled["peak"] = max(polled["peak"], rss)
            if rss > kill_mb:
                polled["killed"] = True
                process.kill()
                return
            time.sleep(0.1)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    # drain the pipes in threads: a command that prints a lot must not block on a full pipe
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((process.stdout, out_chunks), (process.stderr, err_chunks))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join()
    watcher.join(timeout=1)
    # Not ``usage.ru_maxrss``: Linux carries the forked parent's high-water mark across exec into
    # it, so a child of this (large) bench process would report the bench's own memory.
    peak = polled["peak"]
    stderr = b"".join(err_chunks).decode("utf-8", "replace").strip().splitlines()
    return {"exit_code": process.returncode, "seconds": round(seconds, 1), "peak_mb": round(peak, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),  # on a shared machine, wall time alone misleads
            "killed_above_mb": kill_mb if polled["killed"] else None, "stderr_tail": stderr[-3:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="input size of each command (MB)")
    parser.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated: " + ", ".join(COMMANDS))
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose `python -m app` is measured")
    parser.add_argument("--world", type=Path, default=None, help="folder with w.db and models/ (built when missing)")
    parser.add_argument("--kill-mb", type=float, default=4096.0, help="stop a command whose memory passes this")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    wanted = [c.strip() for c in args.commands.split(",") if c.strip()]
    unknown = sorted(set(wanted) - set(COMMANDS))
    if unknown:
        parser.error(f"unknown commands: {', '.join(unknown)}")

    with tempfile.TemporaryDirectory(prefix="cli_memory_") as tmp:
        work = Path(tmp)
        world = args.world or work / "world"
        world.mkdir(parents=True, exist_ok=True)
        db, models = ensure_world(world)
        env = {**os.environ, "GOYONG_MODELS_DIR": str(models), "PYTHONPATH": str(args.root)}
        results: dict[str, dict[str, object]] = {}
        skipped: dict[str, str] = {}
        help_text = subprocess.run([sys.executable, "-m", "app", "--help"], cwd=args.root, env=env,
                                   capture_output=True, text=True).stdout
        if "mask" not in help_text:
            skipped["mask"] = "이 체크아웃에는 mask 명령이 없습니다"
        for name in wanted:
            if name in skipped:
                continue
            make_rows, make_argv = COMMANDS[name]
            rng = np.random.default_rng(args.seed)
            src = work / (f"{name}.jsonl" if name == "mask" else f"{name}.csv")
            header, rows = make_rows(db, rng)
            count = write_until(src, header, rows, args.mb)
            db_copy = work / f"{name}.db"
            shutil.copyfile(db, db_copy)  # imports write; every command gets the same world
            run_env = {**env, "GOYONG_DB_URL": f"sqlite:///{db_copy}"}
            argv = [sys.executable, "-m", "app", *make_argv(src, work / f"{name}.out.csv", models)]
            measured = run_measured(argv, cwd=args.root, env=run_env, kill_mb=args.kill_mb)
            seconds = float(measured["seconds"]) or 1e-9
            results[name] = {"input_mb": round(src.stat().st_size / 2**20, 1), "rows": count,
                             "rows_per_s": round(count / seconds) if measured["exit_code"] == 0 else None, **measured}
            src.unlink()
            db_copy.unlink()
            (work / f"{name}.out.csv").unlink(missing_ok=True)
            print(f"{name}: {results[name]}", file=sys.stderr, flush=True)
    peak = max((float(r["peak_mb"]) for r in results.values()), default=0.0)
    print(json.dumps({
        f"peak_mb_{args.mb:g}mb": peak,
        "target_mb": TARGET_MB,
        "within_target": peak <= TARGET_MB and all(r["exit_code"] == 0 for r in results.values()),
        "root": str(args.root),
        "commands": results,
        "skipped": skipped,
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
