"""``python -m archive_app``: the same program as ``article-archive``."""

import multiprocessing
import sys

from archive_app.cli import main

if __name__ == "__main__":  # import workers (spawned) load this module under another name
    multiprocessing.freeze_support()
    sys.exit(main())
