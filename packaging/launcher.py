"""Entry point of the PyInstaller bundle: the same program as ``article-archive``."""

import multiprocessing
import sys

from archive_app.cli import main

if __name__ == "__main__":
    # Imports of many files decode in ``spawn`` worker processes: in a frozen bundle each worker
    # starts this executable again, and freeze_support() turns it into a worker, not a second app.
    multiprocessing.freeze_support()
    sys.exit(main())
