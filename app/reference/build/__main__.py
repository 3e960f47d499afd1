"""``python -m app.reference.build`` = ``python -m app reference``."""

from app.reference.build.build import main_reference

raise SystemExit(main_reference())
