"""Editor squiggles: a real python-lsp-server, its flake8 plugin, an unsaved buffer."""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

from conftest import BIN

PYLSP = BIN / "pylsp"
pytestmark = pytest.mark.skipif(not PYLSP.exists(), reason="python-lsp-server is not installed")


class LanguageServer:
    """A minimal LSP client speaking JSON-RPC over the server's stdio."""

    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        self.process = subprocess.Popen(
            [str(PYLSP)], cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, method: str, params: Any, request: bool = False) -> Optional[int]:
        message: Dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return message.get("id")

    def wait_for(self, predicate, timeout: float = 30.0) -> Dict[str, Any]:
        while True:
            message = self.messages.get(timeout=timeout)
            if predicate(message):
                return message

    def close(self) -> None:
        try:
            request = self.send("shutdown", None, request=True)
            self.wait_for(lambda m: m.get("id") == request, timeout=10)
            self.send("exit", None)
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def test_unsaved_buffer_gets_COORD_diagnostics(tmp_path):
    assert shutil.which("flake8", path=str(BIN))
    (tmp_path / "setup.cfg").write_text("[flake8]\ncoordination-today = 2026-01-01\n")
    server = LanguageServer(tmp_path)
    try:
        uri = (tmp_path / "app" / "training" / "unsaved.py").as_uri()
        request = server.send(
            "initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {}}, request=True
        )
        server.wait_for(lambda m: m.get("id") == request)
        server.send("initialized", {})
        settings = {
            "pylsp": {
                "plugins": {
                    "flake8": {"enabled": True, "select": ["COORD"]},
                    "pycodestyle": {"enabled": False},
                    "pyflakes": {"enabled": False},
                    "mccabe": {"enabled": False},
                }
            }
        }
        server.send("workspace/didChangeConfiguration", {"settings": settings})
        text = "import os\nfrom app.coordination.health_check_orchestrator import (\n    HealthCheckOrchestrator,\n)\n"
        server.send(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )

        def coord_diagnostics(message: Dict[str, Any]) -> bool:
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            return any(str(d.get("code", "")).startswith("COORD") for d in message["params"]["diagnostics"])

        published = server.wait_for(coord_diagnostics)
    finally:
        server.close()
    diagnostics = [
        (d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"], d["source"], d["message"])
        for d in published["params"]["diagnostics"]
    ]
    assert published["params"]["uri"] == uri
    assert sorted(diagnostics) == [
        (
            "COORD002",
            2,
            4,
            "flake8",
            "COORD002 app.coordination.health_check_orchestrator.HealthCheckOrchestrator is deprecated; use "
            "'from app.coordination.cluster.health import UnifiedHealthManager' (removal due 2026-06-30) [fixable]",
        ),
    ]
