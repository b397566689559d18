"""Entry point of the PyInstaller bundle: the same program as ``article-archive``."""

import sys

from archive_app.cli import main

sys.exit(main())
