"""Reference data: the committed tables and everything derived from public facts.

* :mod:`.tables` — the CSVs of ``data/reference/`` as one frozen :class:`~.tables.Reference`;
* :mod:`.codes` — the one copy of every code list (wage and employment types, career and
  education levels, statutory welfare codes, employment services);
* :mod:`.names` — Korean names of codes (시도, occupations, firm sizes, welfare items);
* :mod:`.identifiers` — check digits of 주민등록번호 and 사업자등록번호;
* :mod:`.build` — the offline step that derives the tables from ``../shared/data``
  (``python -m app reference``); nothing at run time imports it.

The synthetic world (:mod:`app.world`) reads this package; this package never reads the world,
so a deployment on real data leaves the generator out.
"""
