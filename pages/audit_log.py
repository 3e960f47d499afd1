"""AI 감사 로그 (policy staff): every model output shown to a user and every command-line run,
filtered by KST date range, user, role, action and model, with a CSV export of each.

Opening the page first moves any rows spooled while the database was busy into the table, so the
export is complete. Inputs are kept only as SHA-256 hashes: the tables hold no personal data.
Looking is recorded too: each filter shown (``audit.view``, before the tables are drawn; no record,
no tables) and each CSV download (``audit.export``).
"""

from __future__ import annotations

import streamlit as st

from app.exports import csv_bytes
from app.services import audit, transparency
from components import audit as audit_ui
from components import auth, display, resources

EXPORT_LIMIT = 50_000
"""Most rows one table (and its CSV) holds; a narrower filter shows the rest."""

user = auth.require_role("audit_log")
st.title("AI 감사 로그")
st.caption("사용자에게 보여 준 AI 출력과 명령줄 채점·검증·가져오기 실행 기록입니다. 입력은 SHA-256 해시로만 남기므로 "
           "개인정보가 없습니다. 시각은 한국 표준시(KST)입니다.")

audit_ui.render_download_error()
engine = resources.engine()
audit.flush_spool_if_possible(engine)  # rows spooled while the database was busy belong in the export
waiting = audit.pending_spool_rows(engine)
if waiting:
    st.warning(f"데이터베이스가 바빠 임시 보관 중인 기록 {waiting:,}건은 아직 아래 표에 없습니다. 잠시 후 다시 여세요.",
               icon=":material/hourglass_top:")

titles = transparency.model_titles()
flt = audit_ui.select_audit_filter(audit.audit_filter_values(engine), key="audit_log.filter", model_titles=titles)
if flt is None:
    st.stop()
since, until = audit.kst_day_range(flt.first_day, flt.last_day)
filters = dict(since=since, until=until, usernames=flt.usernames, roles=flt.roles, actions=flt.actions,
               model_names=flt.model_names)
period = f"{flt.first_day:%Y%m%d}-{flt.last_day:%Y%m%d}"

rows = audit.load_audit_log(engine, EXPORT_LIMIT, command_runs=False, **filters)
runs = audit.load_audit_log(engine, EXPORT_LIMIT, command_runs=True, **filters)
if not audit_ui.log_audit_view(engine, user, flt, rows=len(rows), runs=len(runs)):
    st.stop()  # who looked at the log is part of the log: no record, no tables

# (records, its display table, the table's name in the export record, the file's prefix, the key's stem)
TABS = (
    (rows, audit.audit_table(rows, titles), "outputs", "AI출력_감사로그", "outputs"),
    (runs, audit.command_runs_table(runs, titles), "command_runs", "명령실행_감사로그", "runs"),
)
for tab, (records, table, table_name, prefix, stem) in zip(
    st.tabs(["AI 출력 기록", "명령 실행 기록"], key="audit_log.tabs"), TABS, strict=True
):
    with tab:
        if len(records) >= EXPORT_LIMIT:
            st.caption(f"최근 {EXPORT_LIMIT:,}건만 담았습니다. 기간이나 조건을 좁히세요.")
        display.render_table(table, key=f"audit_log.{stem}.table")
        audit_ui.render_audit_download(csv_bytes(table), table=table_name, file_name=f"{prefix}_{period}.csv",
                                       rows=len(table), flt=flt, key=f"audit_log.{stem}.csv")
