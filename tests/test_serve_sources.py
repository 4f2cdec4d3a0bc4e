"""`guidebook serve` with editions/ removed while it serves: one line says so, the pages built
last keep being answered (even after an edit), and when editions/ is back it rebuilds."""
from __future__ import annotations

import contextlib
import queue
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

from conftest import free_port, make_project, stop


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=15) as response:
        return response.status


def test_serve_keeps_answering_without_its_source_folder(tmp_path):
    root = make_project(tmp_path, site=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve",
                               "--address", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    def read() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    said: list[str] = []

    def wait_for(text: str, seconds: float = 120) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(text in line for line in said):
                return True
            with contextlib.suppress(queue.Empty):
                said.append(lines.get(timeout=0.5))
        return False

    try:
        assert wait_for("serving on http://127.0.0.1:"), "".join(said)
        assert _get(url) == 200
        shutil.move(root / "editions", tmp_path / "editions-away")
        assert wait_for("guidebook serve: editions/ missing from"), "".join(said)
        missing = [line for line in said if "editions/ missing" in line]
        assert len(missing) == 1 and "serving the pages built last until it is back" in missing[0]
        page = root / "content" / "pages"
        edited = next(p for p in sorted(page.rglob("*.md")))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nAn edit while editions/ is gone.\n",
                          encoding="utf-8")
        time.sleep(3)  # the edit's rebuild is skipped, not stuck
        assert _get(url) == 200
        assert not any("isn't an existing file or directory" in line for line in said), "".join(said)
        shutil.move(tmp_path / "editions-away", root / "editions")
        assert wait_for("guidebook serve: editions/ back; rebuilding"), "".join(said)
        assert wait_for("guidebook serve: editions"), "".join(said)  # the rebuild's line
        assert _get(url) == 200
    finally:
        stop(server)
    assert "Traceback" not in "".join(said)
