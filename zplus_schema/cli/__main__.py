"""Run the CLI as `python -m zplus_schema.cli`."""

import sys

from . import main

sys.exit(main())
