"""``python -m ecr_public_conformance``: same as the console script."""

import sys

from .cli import main

sys.exit(main())
