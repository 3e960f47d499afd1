"""``python -m app …`` entry point."""

import sys

from app.cli import main

# guarded: a spawned worker process (app.verify.verifier.verify_many) imports this module again
if __name__ == "__main__":
    sys.exit(main())
