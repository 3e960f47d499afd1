"""``python -m app.world.reference_build`` = ``python -m app reference``."""

from app.world.reference_build.build import main_reference

raise SystemExit(main_reference())
