"""자격증 가치 (issue 19): the one module its page imports.

* view — :func:`certificate_view` (the built analysis filtered by population, industry scope and group,
  certificate name and field; policy staff and counsellors only), :func:`method_notes`,
  :func:`worked_example_table`, the filter options;
* the artifact's loader :func:`load_certificate_value` and ``MODEL_NAME`` (the page never computes);
* the charts of :mod:`app.charts.certificates`.
"""

from __future__ import annotations

from app.analytics.certificate_value import CertificateValueResult
from app.charts.certificates import make_industry_heatmap_figure, make_score_figure, make_weights_figure
from app.ml.certificate_value import MODEL_NAME, load_certificate_value
from app.services.certificates.view import (
    ANY_FIELD,
    CertificateAccessDenied,
    CertificateView,
    certificate_view,
    check_access,
    field_options,
    method_notes,
    population_options,
    scope_options,
    worked_example_table,
)

__all__ = [
    "ANY_FIELD",
    "MODEL_NAME",
    "CertificateAccessDenied",
    "CertificateValueResult",
    "CertificateView",
    "certificate_view",
    "check_access",
    "field_options",
    "load_certificate_value",
    "make_industry_heatmap_figure",
    "make_score_figure",
    "make_weights_figure",
    "method_notes",
    "population_options",
    "scope_options",
    "worked_example_table",
]
