"""`python -m ingest.extraction PATH [--published …] [--jurisdiction …] [--format json|table]`."""

import sys

from .cli import main

sys.exit(main())
