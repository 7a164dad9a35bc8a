"""The server's lifecycle as real clients drive it (pytest-lsp's recorded VS Code
and Neovim capability sets): a window closed right after it opened, and
Neovim's first pull of diagnostics before indexing has ended.

Every session is bounded: a server still running a second after `exit` fails
the test (and is killed).
"""

from __future__ import annotations

import asyncio
import os
import pathlib

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import xwalk_bin

A = 'document vendor-guide {\n  title "Vendor guide"\n  provision 1 "Passwords"\n}\n'
B = "map vendor-guide:1 -> uk-cop-2018:1\n"


def make_workspace(tmp_path: pathlib.Path) -> pathlib.Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    (folder / "xwalk.toml").write_text('[workspace]\nname = "lifecycle"\n')
    (folder / "a.xwalk").write_text(A)
    (folder / "b.xwalk").write_text(B)
    return folder


async def start(folder: pathlib.Path) -> LanguageClient:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(folder.parent / "cache")
    config = ClientServerConfig(server_command=[xwalk_bin(), "lsp"], server_env=env)
    client: LanguageClient = await config.start()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        return None

    return client


async def initialize(client: LanguageClient, folder: pathlib.Path, spec: str) -> None:
    await asyncio.wait_for(
        client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities(spec),
                root_uri=folder.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="w")],
            )
        ),
        20,
    )


async def ends_within(client: LanguageClient, seconds: float) -> int | None:
    """The server's exit status, or None (and the server killed) if it is
    still running after `seconds`."""
    server = client._server
    try:
        return await asyncio.wait_for(server.wait(), seconds)
    except asyncio.TimeoutError:
        server.kill()
        return None
    finally:
        await client.stop()


@pytest.mark.asyncio
@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim"])
async def test_quick_sessions_end(tmp_path: pathlib.Path, spec: str):
    folder = make_workspace(tmp_path)
    statuses = []
    for _ in range(20):
        client = await start(folder)
        await initialize(client, folder, spec)
        # At once, as an editor closing a window it just opened.
        await asyncio.wait_for(client.shutdown_async(None), 20)
        client.exit(None)
        statuses.append(await ends_within(client, 1.0))
    assert statuses == [0] * 20


@pytest.mark.asyncio
async def test_neovim_first_pull_has_no_false_diagnostic(tmp_path: pathlib.Path):
    folder = make_workspace(tmp_path)
    b = (folder / "b.xwalk").as_uri()
    for _ in range(5):
        client = await start(folder)
        await initialize(client, folder, "neovim")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=b, language_id="xwalk", version=1, text=B)
            )
        )
        report = await asyncio.wait_for(
            client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=b))
            ),
            20,
        )
        assert report.kind == "full"
        assert list(report.items) == []
        await asyncio.wait_for(client.shutdown_async(None), 20)
        client.exit(None)
        assert await ends_within(client, 1.0) == 0
