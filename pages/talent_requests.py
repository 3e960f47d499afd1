"""채용 상담 요청 현황 (counsellors): the requests between employers and seekers, by status, with
the seekers' masked names only. No model output is shown here."""

from __future__ import annotations

import streamlit as st

from app.services import talent
from components import auth, display, resources, state
from components.display import MetricItem

user = auth.require_role("talent_requests")
st.title("채용 상담 요청 현황")
st.caption("구인기업이 구직자에게 보낸 채용 상담 요청과 구직자의 응답입니다. 구직자 이름은 가려서 보여 주며, "
           "연락처는 구직자가 수락한 기업에만 공개됩니다.")

overview = talent.requests_overview(resources.engine(), user)
display.render_metrics_row([MetricItem(label, f"{count:,}건") for label, count in overview.counts.items()])

labels = list(talent.REQUEST_STATUSES.values())
chosen = st.multiselect("상태", labels, default=labels, key=state.TALENT_REQUESTS_STATUS, select_all=False)
shown = [v for v in overview.requests if v.status_label in chosen]
display.render_table(talent.requests_table(shown, masked_names=overview.masked_names), key="talent_requests.table")
