"""Fixtures for the Python client suite: the real `xwalk lsp` binary driven by
pytest-lsp's LanguageClient, in a fresh workspace folder per test.

The binary is `$XWALK_BIN`, or `target/debug/xwalk` under the repository root.
"""

from __future__ import annotations

import os
import pathlib

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]


def xwalk_bin() -> str:
    path = pathlib.Path(os.environ.get("XWALK_BIN", "target/debug/xwalk"))
    if not path.is_absolute():
        path = ROOT / path
    if not path.is_file():
        pytest.fail(f"{path} not found: run `cargo build -p xwalk` or set XWALK_BIN")
    return str(path)


@pytest.fixture
def workspace(tmp_path: pathlib.Path) -> pathlib.Path:
    """A workspace folder (with its xwalk.toml) and a separate cache folder."""
    folder = tmp_path / "workspace"
    folder.mkdir()
    (tmp_path / "cache").mkdir()
    return folder


@pytest_asyncio.fixture
async def client(workspace: pathlib.Path):
    """A started client connected to `xwalk lsp`; the test initializes it."""
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(workspace.parent / "cache")
    config = ClientServerConfig(server_command=[xwalk_bin(), "lsp"], server_env=env)
    lsp_client: LanguageClient = await config.start()

    # The server registers its file watcher dynamically when the client
    # allows it: record what it registers, and accept it, as editors do.
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    # After each change the server asks a client that takes them to fetch
    # its inlay hints and code lenses again: answer, as editors do, and
    # record which it asked for.
    lsp_client.view_refreshes = []

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params):
        lsp_client.view_refreshes.append(types.WORKSPACE_INLAY_HINT_REFRESH)

    @lsp_client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(params):
        lsp_client.view_refreshes.append(types.WORKSPACE_CODE_LENS_REFRESH)

    yield lsp_client
    # The test ends the session itself (shutdown, exit); this only cleans
    # up after a test that failed half-way: the server would otherwise wait
    # for more input, and stop() waits for the server.
    server = lsp_client._server
    if server is not None and server.returncode is None:
        server.kill()
    await lsp_client.stop()
