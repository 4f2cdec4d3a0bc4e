"""The built site folder → cache-friendly files: our styles and scripts named by their content,
one file date for the whole site, no source maps.

- `hashed_assets(custom_dir)`: each of our stylesheets and scripts (HASHED) → the name it is
  published under, `assets/<name>.<8 hex of its SHA-256>.<ext>`; the MkDocs config lists those
  names (hooks.on_config), and `finish` renames the copied files to them. A host may then keep
  them a year: a changed file gets a new name (docs/DEPLOY.md).
- `build_epoch(root)`: SOURCE_DATE_EPOCH, else the time of the project's last commit, else a
  fixed stamp; `finish` gives every file and folder of the site that date, so a rebuild of the
  same sources keeps every file's Last-Modified and ETag.
- Material's source maps are removed, with the comment that names them, and so is its search
  (the lunr language files, 31 of them with the 677 KB wordcut.js, and its worker): the site
  searches with its own index (search_index.py), and nothing loads Material's search.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

# Our stylesheets and scripts, as MkDocs copies them from the theme's custom_dir.
HASHED = ("assets/guidebook.css", "assets/checklist.js", "assets/diff.js", "assets/language-switch.js",
          "assets/head.js", "assets/search.css", "assets/search.js")
FIXED_EPOCH = 1767225600  # 2026-01-01T00:00:00Z, when neither SOURCE_DATE_EPOCH nor git says
# Material's source maps.
UNUSED_FOLDERS = ("assets/javascripts/lunr", "assets/javascripts/workers")  # Material's search
SOURCE_MAPS = ("assets/javascripts/*.map", "assets/stylesheets/*.map")
_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=\S+\.map|/\*# sourceMappingURL=\S+\.map \*/)\s*$")


def hashed_name(path: str, content: bytes) -> str:
    stem, dot, ext = path.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:8]}{dot}{ext}"


def hashed_assets(custom_dir: Path) -> dict[str, str]:
    """Each of HASHED that the theme folder has → its published name."""
    return {path: hashed_name(path, (custom_dir / path).read_bytes())
            for path in HASHED if (custom_dir / path).is_file()}


def build_epoch(root: Path) -> int:
    given = os.environ.get("SOURCE_DATE_EPOCH", "")
    if given.isdigit():
        return int(given)
    try:
        found = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                               text=True, timeout=30)
        if found.returncode == 0 and found.stdout.strip().isdigit():
            return int(found.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return FIXED_EPOCH


def finish(site: Path, assets: dict[str, str], epoch: int) -> None:
    """Rename our assets to their hashed names, drop source maps, date every file `epoch`."""
    for plain, hashed in assets.items():
        source = site / plain
        if source.is_file():
            source.replace(site / hashed)
    for folder in UNUSED_FOLDERS:
        shutil.rmtree(site / folder, ignore_errors=True)
    for pattern in SOURCE_MAPS:
        for source_map in site.glob(pattern):
            source_map.unlink()
            code = source_map.with_suffix("")
            if code.is_file():
                code.write_bytes(_MAP_COMMENT.sub(b"\n", code.read_bytes()).rstrip(b"\n") + b"\n")
    for folder, _, files in os.walk(site):
        for name in files:
            os.utime(os.path.join(folder, name), (epoch, epoch), follow_symlinks=False)
    for folder, _, _ in sorted(os.walk(site), key=lambda entry: -len(entry[0])):
        os.utime(folder, (epoch, epoch))
