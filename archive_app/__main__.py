"""``python -m archive_app``: the same program as ``article-archive``."""

import sys

from archive_app.cli import main

sys.exit(main())
