"""내 정보 공개 (seekers): be recommended to employers or not, with what employers see either way.
Opting out withdraws the pending contact requests at once. No model output is shown here."""

from __future__ import annotations

import streamlit as st

from app.services import talent
from app.text.korean import format_kst_datetime
from components import auth, resources, state

user = auth.require_role("seeker_privacy")
st.title("내 정보 공개")
st.caption("AI 인재추천에서 구인기업에 추천될지 정합니다.")

st.markdown(
    "**추천될 때 기업이 보는 것**: 구직자 번호와 희망 직종·지역·임금, 경력, 학력, 자격 같은 구직 조건, 그리고 추천 이유입니다. "
    "이름, 휴대전화, 이메일, 주소, 주민등록번호는 보이지 않습니다.\n\n"
    "**기업이 상담을 요청하면**: ‘상담 요청함’에 요청이 옵니다. 수락한 요청의 기업에만 이름, 휴대전화, 이메일이 "
    "공개되고, 공개될 때마다 기록이 남습니다."
)

engine = resources.engine()
seeker_id = int(user.scoped_seeker_id or 0)
notice = st.session_state.pop(state.SEEKER_PRIVACY_NOTICE, None)
if notice:
    st.success(notice)

opted_out = talent.is_opted_out(engine, seeker_id)
since = talent.opted_out_since(engine, seeker_id)
changed = f" (마지막 변경 {format_kst_datetime(since)})" if since is not None else ""
if opted_out:
    st.warning(f"현재 상태: **추천 안 받음**{changed}. 기업의 추천 목록에 나오지 않고 새 상담 요청도 오지 않습니다.",
               icon=":material/visibility_off:")
else:
    st.info(f"현재 상태: **추천 받음**{changed}. 조건이 맞는 공고의 기업 추천 목록에 나올 수 있습니다.",
            icon=":material/visibility:")

st.caption("추천을 받지 않기로 하면 응답을 기다리던 상담 요청은 자동으로 철회됩니다. 이미 수락한 요청의 기업은 "
           "공개된 연락처를 계속 볼 수 있습니다. 언제든 다시 바꿀 수 있습니다.")

if st.button("다시 추천 받기" if opted_out else "추천 받지 않기", key="seeker_privacy.toggle",
             type="secondary" if opted_out else "primary",
             icon=":material/visibility:" if opted_out else ":material/visibility_off:"):
    try:
        withdrawn = talent.set_opt_out(engine, user, not opted_out)
    except (talent.RequestAccessDenied, talent.RequestNotFound) as err:
        st.error(str(err))
    else:
        st.session_state[state.SEEKER_PRIVACY_NOTICE] = (
            "다시 추천을 받습니다." if opted_out else
            f"추천을 받지 않도록 바꿨습니다. 응답을 기다리던 상담 요청 {withdrawn:,}건을 자동으로 철회했습니다.")
        st.rerun()
