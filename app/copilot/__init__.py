"""상담 지원 AI (counselling copilot): grounded text for employment counsellors.

Every output is a list of :class:`~app.copilot.grounding.Statement` s, each citing the
:class:`~app.copilot.grounding.Source` s (record fields, document sentences, model outputs,
reference tables, domain facts) it rests on. :mod:`app.copilot.grounding` checks every statement
(the faithfulness check) and :mod:`app.copilot.generation` runs a task through the configured
backend — the offline composer by default, an OpenAI-compatible server or a local transformers
model — with the offline composer behind it.

This package is pure logic: it reads no database and imports no UI. The services in
:mod:`app.services.copilot` gather a seeker's masked record and store what counsellors confirm.
"""
