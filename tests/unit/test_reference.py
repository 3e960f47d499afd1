"""Tests for the committed reference tables and their loader (app/reference/)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from app.config import get_settings
from app.labour import minimum_wage, monthly_minimum_wage
from app.reference import build as rb
from app.reference.interest import (
    ENVIRONMENT_SCALE,
    LIKERT_LABELS,
    PREFERENCE_LABELS,
    RIASEC_SCALES,
    answer_labels,
    compute_bank_version,
)
from app.reference.tables import Reference, load_reference

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
SHARED_DIR = get_settings().shared_data_dir
HAS_SHARED = (SHARED_DIR / "know_dacon" / "KNOW_2018.csv.gz").exists() and (
    SHARED_DIR / "korean_job_dictionary" / "job_dictionary_detail.csv.gz"
).exists()
needs_shared = pytest.mark.skipif(not HAS_SHARED, reason="shared third-party data not present")

COLUMNS: dict[str, list[str]] = {
    "keco_tree": ["code", "name", "level", "parent"],
    "occupations": [
        "keco_code", "name", "middle_code", "middle_name", "major_code", "major_name",
        "riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c", "holland_code",
        "riasec_n", "riasec_source", "wage_p25", "wage_median", "wage_p75", "wage_source",
        "skills", "knowledge", "duty_phrases", "certificates", "ncs_code", "ncs_name",
        "education_typical", "posting_weight",
    ],
    "regions": ["code", "name", "short", "employment_weight", "wage_index", "source"],
    "industries": ["code", "name", "posting_weight", "wage_index", "source"],
    "industry_occupation": ["industry_code", "keco_code", "weight"],
    "firm_sizes": ["code", "label", "min_workers", "max_workers", "employer_share", "wage_index"],
    "minimum_wage": ["year", "hourly", "monthly_209h", "source"],
    "certificates": ["certificate_id", "name", "kind", "keco_codes", "n_occupations"],
    "welfare_items": ["code", "name", "category", "statutory"],
    "ncs_fields": ["ncs_code", "name"],
    "violation_rules": [
        "rule_id", "family", "name_ko", "law", "article", "severity", "base_rate", "description_ko",
    ],
    "districts": ["region_code", "name", "short", "source"],
    "interest_items": ["item_code", "scale", "text", "environment_code"],
    "occupation_environment": [
        "keco_code", "cq1", "cq2", "cq8", "cq12", "cq15", "cq16", "cq27", "cq29", "cq30", "cq41", "cq42",
        "cq43", "cq44", "cq46", "cq47", "cq48", "environment_n", "environment_source",
    ],
}
STRING_CODE_COLUMNS = {
    "keco_tree": ["code"],
    "occupations": ["keco_code", "middle_code", "major_code", "ncs_code"],
    "regions": ["code"],
    "industries": ["code"],
    "industry_occupation": ["industry_code", "keco_code"],
    "firm_sizes": ["code"],
    "certificates": ["certificate_id", "keco_codes"],
    "welfare_items": ["code"],
    "ncs_fields": ["ncs_code"],
    "violation_rules": ["rule_id"],
    "districts": ["region_code"],
    "interest_items": ["item_code", "scale", "environment_code"],
    "occupation_environment": ["keco_code"],
}
RIASEC = ["riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c"]


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference(REFERENCE_DIR)


def _split(cell: str) -> list[str]:
    return [x for x in cell.split(";") if x]


# ---------------------------------------------------------------- files, schema, loader


def test_every_table_file_exists_and_directory_is_small() -> None:
    for name in rb.TABLE_FILES.values():
        assert (REFERENCE_DIR / name).is_file(), name
    assert (REFERENCE_DIR / "README.md").is_file()
    total = sum(p.stat().st_size for p in REFERENCE_DIR.iterdir() if p.is_file())
    assert total < 2_000_000


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_columns_match_the_contract(ref: Reference, table: str) -> None:
    assert list(getattr(ref, table).columns) == COLUMNS[table]
    assert len(getattr(ref, table)) > 0


@pytest.mark.parametrize("table", sorted(STRING_CODE_COLUMNS))
def test_code_columns_are_strings(ref: Reference, table: str) -> None:
    df = getattr(ref, table)
    for col in STRING_CODE_COLUMNS[table]:
        assert pd.api.types.is_string_dtype(df[col]), (table, col)


def test_numeric_columns_have_numeric_dtypes(ref: Reference) -> None:
    occ = ref.occupations
    for col in [*RIASEC, "posting_weight"]:
        assert pd.api.types.is_float_dtype(occ[col]), col
    for col in ["riasec_n", "wage_p25", "wage_median", "wage_p75"]:
        assert pd.api.types.is_integer_dtype(occ[col]), col
    assert pd.api.types.is_integer_dtype(ref.keco_tree["level"])
    assert pd.api.types.is_integer_dtype(ref.minimum_wage["hourly"])
    assert pd.api.types.is_bool_dtype(ref.welfare_items["statutory"])
    assert str(ref.firm_sizes["max_workers"].dtype) == "Int64"


def test_leading_zeros_survive(ref: Reference) -> None:
    assert "011" in set(ref.occupations["keco_code"])
    assert "01" in set(ref.ncs_fields["ncs_code"])
    assert "0" in set(ref.keco_tree["code"])


def test_loader_is_cached_per_directory() -> None:
    assert load_reference(REFERENCE_DIR) is load_reference(REFERENCE_DIR)


def test_loader_names_the_rebuild_command_when_a_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="python -m app reference"):
        load_reference(tmp_path)


# ---------------------------------------------------------------- KECO tree


def test_keco_tree_codes_unique_and_parents_resolve(ref: Reference) -> None:
    tree = ref.keco_tree
    assert tree["code"].is_unique
    assert tree["level"].value_counts().to_dict() == {1: 10, 2: 35, 3: 139, 4: 493}
    level_of = dict(zip(tree["code"], tree["level"], strict=True))
    for code, level, parent in zip(tree["code"], tree["level"], tree["parent"], strict=True):
        if level == 1:
            assert pd.isna(parent), code
        else:
            assert level_of.get(parent) == level - 1, code
            assert code.startswith(parent) or level == 2, code
        assert len(code) == {1: 1, 2: 2, 3: 3, 4: 4}[level]


# ---------------------------------------------------------------- occupations


def test_one_occupation_per_keco_minor_group(ref: Reference) -> None:
    occ, tree = ref.occupations, ref.keco_tree
    assert occ["keco_code"].is_unique
    assert set(occ["keco_code"]) == set(tree.loc[tree["level"] == 3, "code"])
    parent = dict(zip(tree["code"], tree["parent"], strict=True))
    name = dict(zip(tree["code"], tree["name"], strict=True))
    for rec in occ.itertuples():
        assert parent[rec.keco_code] == rec.middle_code
        assert parent[rec.middle_code] == rec.major_code
        assert name[rec.keco_code] == rec.name and name[rec.middle_code] == rec.middle_name


def test_every_occupation_has_a_riasec_profile(ref: Reference) -> None:
    occ = ref.occupations
    values = occ[RIASEC]
    assert values.notna().all().all()
    assert ((values >= 1) & (values <= 5)).all().all()
    assert (occ["riasec_n"] > 0).all()
    assert set(occ["riasec_source"]) <= {"direct", "middle", "major"}
    assert (occ["riasec_source"] == "direct").sum() >= 120
    for rec in occ.itertuples():
        scores = [getattr(rec, c) for c in RIASEC]
        order = sorted(range(6), key=lambda i: -scores[i])
        assert rec.holland_code == "RIASEC"[order[0]] + "RIASEC"[order[1]], rec.keco_code


def test_wage_bands_are_ordered_and_legal(ref: Reference) -> None:
    occ = ref.occupations
    assert (occ["wage_p25"] <= occ["wage_median"]).all()
    assert (occ["wage_median"] <= occ["wage_p75"]).all()
    assert (occ["wage_p25"] >= monthly_minimum_wage(2026, ref)).all()
    assert (occ["wage_p75"] < 30_000_000).all()
    assert set(occ["wage_source"]) <= {"know_direct", "know_middle", "know_major", "know_proxy"}
    # Doctors earn more than care workers: the bands carry real differences.
    median = occ.set_index("keco_code")["wage_median"]
    assert median["301"] > 2 * median["550"]


def test_text_features_have_the_promised_shape(ref: Reference) -> None:
    for rec in ref.occupations.itertuples():
        skills = _split(rec.skills)
        assert 8 <= len(skills) <= 15 and len(set(skills)) == len(skills), rec.keco_code
        duties = _split(rec.duty_phrases)
        assert 4 <= len(duties) <= 8, rec.keco_code
        for phrase in duties:
            # Short composed phrases, never a copied sentence (those end in "…다.").
            assert len(phrase) <= 30 and not phrase.endswith(("다", "다.")), phrase
        assert 1 <= len(_split(rec.knowledge)) <= 8, rec.keco_code


def test_occupation_codes_link_to_other_tables(ref: Reference) -> None:
    occ = ref.occupations
    assert set(occ["ncs_code"]) <= set(ref.ncs_fields["ncs_code"])
    ncs = dict(zip(ref.ncs_fields["ncs_code"], ref.ncs_fields["name"], strict=True))
    assert all(ncs[c] == n for c, n in zip(occ["ncs_code"], occ["ncs_name"], strict=True))
    assert set(occ["education_typical"]) <= {"무관", "고졸", "전문대졸", "대졸", "석사"}
    cert_names = set(ref.certificates["name"])
    for cell in occ["certificates"]:
        assert set(_split(cell)) <= cert_names


def test_posting_weights_sum_to_one_and_exclude_closed_jobs(ref: Reference) -> None:
    w = ref.occupations.set_index("keco_code")["posting_weight"]
    assert w.sum() == pytest.approx(1.0, abs=1e-9)
    assert w["011"] == 0 and w["250"] == 0
    assert (w.drop(["011", "250"]) > 0).all()
    # Care, cleaning and simple manufacturing are among the most posted jobs on 고용24.
    top = set(w.sort_values(ascending=False).index[:10])
    assert {"550", "561", "890"} <= top


# ---------------------------------------------------------------- regions, industries, firms


def test_regions(ref: Reference) -> None:
    reg = ref.regions
    assert len(reg) == 17 and reg["code"].is_unique
    assert set(reg["code"]) == {"11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44",
                                "45", "46", "47", "48", "50", "51"}
    assert reg["employment_weight"].sum() == pytest.approx(1.0, abs=1e-9)
    assert (reg["employment_weight"] > 0).all() and (reg["wage_index"] > 0).all()
    by_code = reg.set_index("code")
    assert by_code.loc["45", "name"] == "전북특별자치도"
    assert by_code.loc["51", "name"] == "강원특별자치도"
    assert by_code.loc["11", "short"] == "서울"
    assert by_code.loc["11", "wage_index"] == pytest.approx(459.9 / 425.7, abs=1e-3)
    assert by_code["employment_weight"].idxmax() == "41"


def test_industries(ref: Reference) -> None:
    ind = ref.industries.set_index("code")
    assert list(ind.index) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert ind["posting_weight"].sum() == pytest.approx(1.0, abs=1e-9)
    assert (ind["posting_weight"] > 0).all()
    assert ind["posting_weight"].nlargest(3).index.tolist() == ["Q", "C", "N"]
    assert ind.loc["Q", "posting_weight"] == pytest.approx(44_109 / 158_227, abs=1e-4)
    assert ind.loc["D", "wage_index"] == pytest.approx(88.7 / 49.17, abs=1e-3)
    assert ind["wage_index"].idxmin() in {"T", "I", "S"}


def test_industry_occupation_weights(ref: Reference) -> None:
    io = ref.industry_occupation
    assert not io.duplicated(["industry_code", "keco_code"]).any()
    assert set(io["industry_code"]) == set(ref.industries["code"])
    assert set(io["keco_code"]) <= set(ref.occupations["keco_code"])
    sums = io.groupby("industry_code")["weight"].sum()
    assert (sums - 1).abs().max() < 1e-9
    assert (io.groupby("industry_code").size() >= 5).all()
    assert (io["weight"] > 0).all()
    # Never-posted occupations never show up in a posting's industry mix.
    assert not set(io["keco_code"]) & {"011", "250"}


def test_firm_sizes(ref: Reference) -> None:
    fs = ref.firm_sizes
    assert fs["code"].tolist() == ["S1", "S2", "S3", "S4", "S5"]
    assert fs["min_workers"].tolist() == [1, 5, 30, 100, 300]
    assert fs["max_workers"].iloc[:4].tolist() == [4, 29, 99, 299]
    assert pd.isna(fs["max_workers"].iloc[4])
    assert fs["employer_share"].sum() == pytest.approx(1.0)
    assert fs["wage_index"].is_monotonic_increasing
    assert fs["wage_index"].iloc[4] == pytest.approx(71.21 / 49.17, abs=1e-3)


# ---------------------------------------------------------------- minimum wage


def test_minimum_wage_values_are_exact(ref: Reference) -> None:
    expected = {2023: 9_620, 2024: 9_860, 2025: 10_030, 2026: 10_320}
    table = ref.minimum_wage
    assert dict(zip(table["year"], table["hourly"], strict=True)) == expected
    assert (table["monthly_209h"] == table["hourly"] * 209).all()
    for year, hourly in expected.items():
        assert minimum_wage(year) == hourly
        assert monthly_minimum_wage(year) == hourly * 209
    assert monthly_minimum_wage(2025) == 2_096_270
    assert monthly_minimum_wage(2026) == 2_156_880


def test_minimum_wage_before_the_table_is_refused_in_korean() -> None:
    with pytest.raises(ValueError, match="2022년 최저임금"):
        minimum_wage(2022)
    with pytest.raises(ValueError):
        monthly_minimum_wage(2022)


def test_minimum_wage_after_the_table_is_its_latest() -> None:
    # The minimum wage has never been lowered: a stale table under-warns, never over-warns.
    assert minimum_wage(2027) == minimum_wage(2026) and monthly_minimum_wage(2030) == 2_156_880


# ---------------------------------------------------------------- certificates, welfare, NCS, rules


def test_certificates_map_to_existing_occupations(ref: Reference) -> None:
    certs = ref.certificates
    assert certs["certificate_id"].is_unique and certs["name"].is_unique
    assert certs["certificate_id"].str.fullmatch(r"C\d{4}").all()
    assert set(certs["kind"]) <= {"국가기술자격", "국가전문자격", "민간자격", "기타"}
    occupations = set(ref.occupations["keco_code"])
    for rec in certs.itertuples():
        codes = _split(rec.keco_codes)
        assert codes and set(codes) <= occupations, rec.name
        assert rec.n_occupations == len(codes) == len(set(codes))
    kinds = dict(zip(certs["name"], certs["kind"], strict=True))
    assert kinds.get("정보처리기사") == "국가기술자격"
    assert kinds.get("간호사") == "국가전문자격"


def test_welfare_items(ref: Reference) -> None:
    wf = ref.welfare_items
    assert 15 <= len(wf) <= 25
    assert wf["code"].tolist() == [f"W{i:02d}" for i in range(1, len(wf) + 1)]
    assert wf["name"].is_unique
    assert set(wf["category"]) <= {"법정", "금전", "생활", "근무형태", "성장"}
    assert set(wf.loc[wf["statutory"], "name"]) == {"4대보험", "퇴직금", "연차휴가"}
    for name in ["식사 제공", "통근버스", "기숙사", "재택근무", "자녀 학자금"]:
        assert name in set(wf["name"])


def test_ncs_fields(ref: Reference) -> None:
    ncs = ref.ncs_fields
    assert ncs["ncs_code"].tolist() == [f"{i:02d}" for i in range(1, 25)]
    assert ncs.set_index("ncs_code").loc["20", "name"] == "정보통신"


def test_districts_cover_every_city_and_county_of_each_region(ref: Reference) -> None:
    d = ref.districts
    assert len(d) == 228
    assert set(d["region_code"]) == set(ref.regions["code"]) - {"36"}  # 세종 has no 시군구
    assert not d.duplicated(["region_code", "name"]).any()
    counts = d.groupby("region_code").size()
    assert (counts["11"], counts["41"], counts["47"], counts["27"], counts["50"]) == (25, 31, 22, 9, 2)
    row = d[d["name"] == "평택시"].iloc[0]
    assert (row["region_code"], row["short"]) == ("41", "평택")
    assert d.loc[d["name"] == "중구", "short"].eq("").all()
    assert sorted(d.loc[d["name"] == "고성군", "region_code"]) == ["48", "51"]


def test_violation_rules(ref: Reference) -> None:
    rules = ref.violation_rules.set_index("rule_id")
    expected_law = {
        "SEX_DISCRIM": ("남녀고용평등법", "제7조 제1항"),
        "MARITAL_PREGNANCY": ("남녀고용평등법", "제7조 제2항"),
        "AGE_DISCRIM": ("고령자고용법", "제4조의4"),
        "PERSONAL_INFO": ("채용절차법", "제4조의3"),
        "RRN_REQUEST": ("개인정보보호법", "제24조의2"),
        "DISABILITY_DISCRIM": ("장애인차별금지법", "제10조"),
        "BELOW_MIN_WAGE": ("최저임금법", "제6조"),
        "EXCESS_HOURS": ("근로기준법", "제53조"),
        "FALSE_LURE": ("직업안정법", "제34조"),
    }
    others = {"APPEARANCE", "APPLICANT_FEE", "HIDDEN_IDENTITY", "DUPLICATE"}
    assert set(rules.index) == set(expected_law) | others
    for rule_id, (law, article) in expected_law.items():
        assert (rules.loc[rule_id, "law"], rules.loc[rule_id, "article"]) == (law, article)
    assert "채용절차법" in rules.loc["APPEARANCE", "law"] and "제7조 제2항" in rules.loc["APPEARANCE", "article"]
    assert "제9조" in rules.loc["APPLICANT_FEE", "article"]
    assert "제34조 제2호" in rules.loc["HIDDEN_IDENTITY", "article"]
    assert rules.loc["DUPLICATE", "law"] == "고용24 운영 기준"
    assert "법령 아님" in rules.loc["DUPLICATE", "article"]
    assert set(rules["severity"]) <= {"high", "medium", "low"}
    assert 0.08 <= rules["base_rate"].sum() <= 0.10
    rate = rules["base_rate"]
    assert rate.idxmax() == "AGE_DISCRIM"
    assert rate["SEX_DISCRIM"] > rate["PERSONAL_INFO"] > rate["APPLICANT_FEE"] > rate["DUPLICATE"]
    assert rate["BELOW_MIN_WAGE"] > rate["HIDDEN_IDENTITY"] >= rate["FALSE_LURE"] > rate["DUPLICATE"]


# ---------------------------------------------------------------- crosswalk (no shared data needed)


@pytest.mark.parametrize(
    ("code4", "expected"),
    [("0111", "011"), ("1350", "134"), ("1341", "135"), ("1360", "137"), ("5621", "564"),
     ("5616", "563"), ("6130", "614"), ("5115", "513"), ("8900", "890"), ("2331", None)],
)
def test_keco2018_to_2025(code4: str, expected: str | None) -> None:
    assert rb.keco2018_to_2025(code4) == expected


@pytest.mark.parametrize(
    ("knowcode", "expected"),
    [("11102", "011"), ("306301", "306"), ("133204", "133"), ("301004", "304"), ("0011", None), ("x", None)],
)
def test_map_knowcode(knowcode: str, expected: str | None) -> None:
    assert rb.map_knowcode(knowcode) == expected


def test_normalised_weights_sum_exactly_to_one() -> None:
    w = rb.compute_normalised_weights({"a": 1.0, "b": 1.0, "c": 1.0})
    assert float(w.sum()) == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError):
        rb.compute_normalised_weights({"a": 0.0})


# ---------------------------------------------------------------- against the shared data


@pytest.fixture(scope="module")
def know2018() -> pd.DataFrame:
    cols = ["idx", "knowcode", "iq1", "iq2", "iq3", "iq4", "iq5", "iq6"]
    k = pd.read_csv(SHARED_DIR / "know_dacon" / "KNOW_2018.csv.gz", dtype=str, usecols=cols)
    k["idx"] = k["idx"].astype(int)
    k["keco_code"] = k["knowcode"].map(rb.map_knowcode)
    for i, c in enumerate(RIASEC, start=1):
        k[c] = k[f"iq{i}"].astype(int)
    return k


@needs_shared
def test_only_even_idx_incumbents_were_aggregated(ref: Reference, know2018: pd.DataFrame) -> None:
    occ = ref.occupations.set_index("keco_code")
    direct = occ[occ["riasec_source"] == "direct"]
    even = know2018[know2018["idx"] % 2 == 0]
    expected = even.groupby("keco_code")[RIASEC].mean().round(3)
    counts = even.groupby("keco_code").size()
    pd.testing.assert_frame_equal(direct[RIASEC], expected.loc[direct.index], check_names=False)
    assert (direct["riasec_n"] == counts.loc[direct.index]).all()
    # Had odd rows leaked in, the all-row means would match instead: they must not.
    everyone = know2018.groupby("keco_code")[RIASEC].mean().round(3).loc[direct.index]
    differs = (everyone - direct[RIASEC]).abs().max(axis=1) > 1e-9
    assert differs.mean() > 0.9


@needs_shared
def test_knowcode_mapping_covers_the_even_incumbents(know2018: pd.DataFrame, ref: Reference) -> None:
    even = know2018[know2018["idx"] % 2 == 0]
    mapped = even["keco_code"].isin(set(ref.occupations["keco_code"]))
    assert mapped.mean() >= 0.99


@needs_shared
def test_holdout_is_the_odd_idx_rows_only(know2018: pd.DataFrame) -> None:
    hold = rb.load_know_holdout(SHARED_DIR)
    assert list(hold.columns) == ["idx", "knowcode", "keco_code", *RIASEC]
    assert (hold["idx"] % 2 == 1).all() and hold["idx"].is_unique
    assert len(hold) >= 0.99 * (know2018["idx"] % 2 == 1).sum()
    assert hold["keco_code"].notna().all()
    assert hold[RIASEC].isin([1, 2, 3, 4, 5]).all().all()
    even = rb.load_know2018_even(SHARED_DIR)
    assert not set(hold["idx"]) & set(even["idx"])


@pytest.mark.slow
@needs_shared
def test_rebuild_is_byte_identical_to_the_committed_tables(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("reference")
    counts = rb.build_reference_tables(SHARED_DIR, out)
    assert set(counts) == set(rb.TABLE_FILES)
    for name, filename in rb.TABLE_FILES.items():
        built = (out / filename).read_bytes()
        committed = (REFERENCE_DIR / filename).read_bytes()
        assert built == committed, f"{filename} differs: run 'python -m app reference'"
        assert counts[name] == len(pd.read_csv(out / filename))
    for filename in rb.KNOW_FIT_FILES.values():
        assert (out / filename).read_bytes() == (REFERENCE_DIR / filename).read_bytes(), f"{filename} differs"


@needs_shared
def test_no_dictionary_sentence_is_copied(ref: Reference) -> None:
    d = pd.read_csv(SHARED_DIR / "korean_job_dictionary" / "job_dictionary_detail.csv.gz",
                    dtype=str, usecols=["workSum", "doWork"])
    sentences = set()
    for text in pd.concat([d["workSum"], d["doWork"]]).dropna():
        sentences.update(s.strip() for s in re.split(r"(?<=다)\.\s*", text) if len(s.strip()) >= 12)
    for cell in ref.occupations["duty_phrases"]:
        for phrase in _split(cell):
            assert phrase not in sentences


# ---------------------------------------------------------------- interest-test item bank


def test_item_bank_has_at_least_twenty_items_per_interest_scale(ref: Reference) -> None:
    items = ref.interest_items
    counts = items["scale"].value_counts().to_dict()
    assert {scale: counts[scale] for scale in RIASEC_SCALES} == dict.fromkeys(RIASEC_SCALES, 21)
    assert 12 <= counts[ENVIRONMENT_SCALE] <= 16
    assert items["item_code"].is_unique and items["text"].is_unique
    assert list(items["item_code"].head(3)) == ["R01", "R02", "R03"]
    assert (items["item_code"].str[0] == items["scale"]).all()


def test_first_bank_texts_are_kept_in_their_order(ref: Reference) -> None:
    items = ref.interest_items
    r = items[items["scale"] == "R"]["text"].tolist()
    c = items[items["scale"] == "C"]["text"].tolist()
    assert r[0] == "기계나 공구를 직접 다루어 무엇인가를 고친다" and r[11] == "생산 설비를 점검하고 유지 보수한다"
    assert c[11] == "자료의 오류를 찾아 바로잡는다"


def test_environment_items_each_name_one_know_item_with_a_profile(ref: Reference) -> None:
    items = ref.interest_items
    env = items[items["scale"] == ENVIRONMENT_SCALE]
    assert env["environment_code"].str.fullmatch(r"cq\d+").all() and env["environment_code"].is_unique
    assert (items.loc[items["scale"] != ENVIRONMENT_SCALE, "environment_code"] == "").all()
    profile = ref.occupation_environment
    assert set(env["environment_code"]) <= set(profile.columns)
    assert set(profile["keco_code"]) == set(ref.occupations["keco_code"])
    for code in env["environment_code"]:
        assert abs(float(profile[code].mean())) < 0.01 and abs(float(profile[code].std(ddof=0)) - 1) < 0.01
    # the levels point the way the KNOW items do: cleaners work outdoors more than data experts
    by_code = profile.set_index("keco_code")
    assert by_code.loc["561", "cq15"] > by_code.loc["135", "cq15"]
    assert by_code.loc["135", "cq48"] > by_code.loc["561", "cq48"]


def test_answer_labels_by_scale_and_bank_version() -> None:
    assert answer_labels("R") == LIKERT_LABELS and LIKERT_LABELS[0] == "전혀 관심 없다"
    assert answer_labels("W") == PREFERENCE_LABELS and PREFERENCE_LABELS[-1] == "매우 원한다"
    with pytest.raises(ValueError, match="척도"):
        answer_labels("X")
    items = load_reference(REFERENCE_DIR).interest_items
    version = compute_bank_version(items)
    assert version.startswith("bank-") and len(version) == 17
    changed = items.copy()
    changed.loc[0, "text"] = "다른 문장"
    assert compute_bank_version(changed) != version
