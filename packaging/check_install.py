"""Checks a non-editable install: the command runs and finds every shipped resource."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from importlib import metadata, resources
from pathlib import Path

bin_dir = Path(sys.executable).parent
command = str(bin_dir / "article-archive")
root = resources.files("archive_app.resources")
assert "site-packages" in str(root), f"resources come from the checkout, not the install: {root}"
for name in ("templates/article.html.j2", "styles/article-qt.css", "styles/article-export.css"):
    assert root.joinpath(name).is_file(), f"missing from the install: {name}"
icons = [p.name for p in root.joinpath("icons").iterdir()]
assert any(n.endswith(".svg") for n in icons), icons
samples = [p.name for p in root.joinpath("samples").iterdir() if p.name.endswith(".txt")]
assert len(samples) >= 3, samples

# Every module of the checkout is installed (a package missing from pyproject.toml's `packages`
# is left out of the wheel, and the window then fails to open).
checkout = Path(__file__).resolve().parents[1]
installed = {str(f) for f in metadata.distribution("article-archive").files or []}
sources = sorted(p.relative_to(checkout).as_posix() for p in checkout.glob("archive_app/**/*.py"))
missing = [name for name in sources if name not in installed]
assert not missing, f"missing from the install (add the packages to pyproject.toml): {missing}"

with tempfile.TemporaryDirectory() as tmp:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["HOME"] = tmp
    lib = str(Path(tmp) / "lib.sqlite3")
    version = subprocess.run([command, "--version"], capture_output=True, text=True, check=True)
    print(version.stdout.strip())
    report = subprocess.run(
        [command, "--library", lib, "import", str(root.joinpath("samples")), "--json"],
        capture_output=True, text=True, check=True, env=env, cwd=tmp,
    )  # fmt: skip
    imported = json.loads(report.stdout)["imported"]
    assert len(imported) == len(samples), report.stdout
    for fmt in ("html", "pdf"):
        subprocess.run(
            [command, "--library", lib, "export", "--all", "--format", fmt,
             "--out", str(Path(tmp) / fmt)],
            capture_output=True, text=True, check=True, env=env, cwd=tmp,
        )  # fmt: skip
    assert (Path(tmp) / "html" / "index.html").is_file()
    assert len(list((Path(tmp) / "pdf").glob("*.pdf"))) == len(samples)
    window = subprocess.run(
        [command, "--library", lib],
        capture_output=True, text=True, env=env | {"QT_QPA_PLATFORM": "offscreen",
        "ARCHIVE_APP_QUIT_AFTER_MS": "1500"}, cwd=tmp, timeout=60,
    )  # fmt: skip
    assert window.returncode == 0, window.stderr
    assert "main window shown" in window.stderr, window.stderr
print(f"installed package OK: {len(samples)} samples imported and exported from {root}")
