"""Matching candidates and jobs (AI 인재추천 / 추천 일자리): :mod:`.recommend` ranks either side for the
other, learning from the application history when there is one (``python -m app match``)."""
