"""Editors get completion and errors from schemas/: checked with yaml-language-server itself, the
language server behind VS Code's YAML extension (installed by ./run test from tests/lsp/)."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SERVER = REPO / "tests" / "lsp" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


class Client:
    """A minimal LSP client over stdio."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node and SERVER.exists(), "run ./run test (it installs yaml-language-server into tests/lsp/)"
        self.proc = subprocess.Popen(
            [node, str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers = {}
            while (line := out.readline().decode()) not in ("\r\n", ""):
                key, _, value = line.partition(":")
                headers[key.lower()] = value.strip()
            if not headers:
                return
            self.inbox.put(json.loads(out.read(int(headers["content-length"]))))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def wait(self, match: Any, timeout: float = 30) -> dict[str, Any]:
        while True:
            message = self.inbox.get(timeout=timeout)
            if message.get("method") == "workspace/configuration":  # the server asks for its settings
                items = message["params"]["items"]
                settings = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
                self.send(
                    {"id": message["id"], "result": [settings if i.get("section") == "yaml" else {} for i in items]}
                )
                continue
            if "id" in message and "method" in message:  # any other server request: answer empty
                self.send({"id": message["id"], "result": None})
                continue
            if match(message):
                return message

    def close(self) -> None:
        self.proc.kill()


@pytest.fixture
def client() -> Any:
    c = Client()
    c.request(
        "initialize",
        {
            "processId": None,
            "rootUri": REPO.as_uri(),
            "capabilities": {
                "textDocument": {"completion": {"completionItem": {"snippetSupport": False}}},
                "workspace": {"configuration": True},
            },
        },
    )
    c.send({"method": "initialized", "params": {}})
    c.send(
        {
            "method": "workspace/didChangeConfiguration",
            "params": {
                "settings": {
                    "yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
                }
            },
        }
    )
    yield c
    c.close()


def _open(client: Client, text: str) -> str:
    uri = (REPO / "casestudies" / "editor-test.yaml").as_uri()  # never written: the editor's buffer only
    client.send(
        {
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        }
    )
    return uri


def test_a_misspelt_key_is_flagged(client: Client) -> None:
    text = (REPO / "casestudies" / "gouda.yaml").read_text().replace("\nsummary:", "\nsumary:", 1)
    uri = _open(client, text)
    found = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"]["diagnostics"]
        )
    )
    messages = [d["message"] for d in found["params"]["diagnostics"]]
    assert any("sumary" in m and "not allowed" in m for m in messages), messages
    assert any("summary" in m for m in messages), messages  # the required field is now missing


def test_completion_offers_the_fields(client: Client) -> None:
    lines = (REPO / "casestudies" / "gouda.yaml").read_text().splitlines()
    kept = [line for line in lines if not line.startswith("lessons:")]  # leave a known field to complete
    text = "\n".join([*kept, ""])
    uri = _open(client, text)
    result = client.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": len(kept), "character": 0}}
    )
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"] for item in items}
    assert "lessons" in labels, sorted(labels)[:20]
    line = next(i for i, text in enumerate(kept) if text.startswith("number:"))
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": 1}}
    )
    assert "case study number" in json.dumps(hover)  # the model's description, as hover help
