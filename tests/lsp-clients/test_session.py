"""A whole editing session against the real `xwalk lsp` binary, once as VS Code
and once as Neovim (pytest-lsp's recorded client capability sets).

The two capability sets differ where the server must adapt:

* VS Code 1.65 offers no position encoding (so UTF-16), has no pull diagnostics
  (so the server pushes them) and allows dynamic registration of the file
  watcher;
* Neovim 0.11 offers UTF-8, pulls diagnostics (`textDocument/diagnostic`) and
  does not allow the watcher to be registered dynamically.

The mapping file has non-ASCII text before the references, so every position
is asserted in the negotiated encoding.
"""

from __future__ import annotations

import asyncio
import pathlib
import stat
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import LanguageClient, client_capabilities

TIMEOUT = 20

MAPPING = """\
document vendor-guide {
  title "Vendor Security Guide – Pässwörds 🔑"
  cites etsi-en-303-645
}

map vendor-guide:"3.1 Pässwörds 🔑" -> etsi-en-303-645:5.1-1 {
  excerpt "Devices must not ship with a shared default password."
}
"""

OTHER = """\
map vendor-guide:"4.2 Updates" -> uk-cop-2018:3 {
  excerpt "Security updates are provided for five years."
}
"""

CLAUSE_TEXT = (
    "Where passwords are used and in any state other than the factory default, "
    "all consumer IoT device passwords shall be unique per device or defined by "
    "the user."
)


@dataclass
class Client:
    name: str
    spec: str
    encoding: str
    pull: bool
    dynamic_watchers: bool


CLIENTS = [
    Client("vscode", "visual-studio-code", "utf-16", pull=False, dynamic_watchers=True),
    Client("neovim", "neovim", "utf-8", pull=True, dynamic_watchers=False),
]


class Text:
    """The client's copy of the document, with positions in one encoding."""

    def __init__(self, text: str, encoding: str):
        self.text = text
        self.encoding = encoding

    def lines(self) -> list[str]:
        return self.text.split("\n")

    def column(self, line: str, index: int) -> int:
        """The column of `line[index]` in the negotiated encoding."""
        prefix = line[:index]
        if self.encoding == "utf-8":
            return len(prefix.encode("utf-8"))
        return len(prefix.encode("utf-16-le")) // 2

    def _locate(self, needle: str, nth: int) -> tuple[int, str, int]:
        """Line number, line and index of the nth occurrence of `needle`."""
        seen = 0
        for number, line in enumerate(self.lines()):
            index = line.find(needle)
            while index >= 0:
                if seen == nth:
                    return number, line, index
                seen += 1
                index = line.find(needle, index + 1)
        raise AssertionError(f"{needle!r} not in the document")

    def find(self, needle: str, nth: int = 0, offset: int = 0) -> types.Position:
        """The position of the nth occurrence of `needle`, plus `offset` characters."""
        number, line, index = self._locate(needle, nth)
        return P(number, self.column(line, index + offset))

    def range_of(self, needle: str, nth: int = 0) -> types.Range:
        """The range of the nth occurrence of `needle`."""
        number, line, index = self._locate(needle, nth)
        return R(
            P(number, self.column(line, index)),
            P(number, self.column(line, index + len(needle))),
        )

    def end(self) -> types.Position:
        lines = self.lines()
        return P(len(lines) - 1, self.column(lines[-1], len(lines[-1])))

    def apply(self, edit: types.Range, new_text: str) -> None:
        """Apply one edit, as an editor does before sending it."""
        lines = self.lines()

        def index(pos: types.Position) -> int:
            before = sum(len(line) + 1 for line in lines[: pos.line])
            line = lines[pos.line]
            for i in range(len(line) + 1):
                if self.column(line, i) == pos.character:
                    return before + i
            raise AssertionError(f"{pos} is not a character boundary")

        start, end = index(edit.start), index(edit.end)
        self.text = self.text[:start] + new_text + self.text[end:]


async def within(awaitable, seconds: float = TIMEOUT):
    return await asyncio.wait_for(awaitable, seconds)


async def until(predicate, what: str, seconds: float = TIMEOUT):
    """Wait (polling) until predicate() is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def P(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def R(start: types.Position, end: types.Position) -> types.Range:
    return types.Range(start=start, end=end)


def uri(path: pathlib.Path) -> str:
    return path.as_uri()


@pytest.mark.asyncio
@pytest.mark.parametrize("spec", CLIENTS, ids=[c.name for c in CLIENTS])
async def test_a_whole_session(client: LanguageClient, workspace: pathlib.Path, spec: Client):
    (workspace / "xwalk.toml").write_text(
        '[workspace]\nname = "lsp-clients"\n\n[lint]\nsuperseded-reference = "off"\n'
    )
    mapping_path = workspace / "mapping.xwalk"
    mapping_path.write_text(MAPPING)
    (workspace / "other.xwalk").write_text(OTHER)
    mapping_uri = uri(mapping_path)
    other_uri = uri(workspace / "other.xwalk")
    cache = workspace.parent / "cache"

    # --- initialize ---------------------------------------------------------
    capabilities = client_capabilities(spec.spec)
    result = await within(
        client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=uri(workspace),
                workspace_folders=[types.WorkspaceFolder(uri=uri(workspace), name="workspace")],
            )
        )
    )
    assert result.server_info is not None and result.server_info.name == "xwalk"
    caps = result.capabilities
    assert caps.position_encoding == spec.encoding
    assert caps.text_document_sync == types.TextDocumentSyncKind.Incremental
    if spec.pull:
        assert caps.diagnostic_provider is not None
        assert caps.diagnostic_provider.workspace_diagnostics is True
    else:
        assert caps.diagnostic_provider is None

    # Indexing, then the first check, are reported with $/progress (both
    # clients support work-done progress) and in the log.
    def ends() -> dict[str, str | None]:
        return {
            str(token): v.message
            for token, reports in client.progress_reports.items()
            for v in reports
            if isinstance(v, types.WorkDoneProgressEnd)
        }

    await until(
        lambda: len(ends()) == 2
        and any("indexed 2 files in 1 workspaces" in m.message for m in client.log_messages)
        and any(m.message.startswith("checked 2 files in ") for m in client.log_messages),
        "the end of indexing and of the first check",
    )
    assert ends() == {"xwalk/indexing": "2 files in 1 workspaces", "xwalk/checking": "2 files"}
    watchers = [r for r in client.registrations if r.method == "workspace/didChangeWatchedFiles"]
    if spec.dynamic_watchers:
        assert len(watchers) == 1
        globs = [w["globPattern"] for w in watchers[0].register_options["watchers"]]
        assert globs == ["**/*.xwalk", "**/xwalk.toml"]
    else:
        assert watchers == []

    # --- open ---------------------------------------------------------------
    doc = Text(MAPPING, spec.encoding)
    version = 1
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=mapping_uri, language_id="xwalk", version=version, text=doc.text
            )
        )
    )

    async def diagnostics(of: str) -> list[types.Diagnostic]:
        """A file's diagnostics now: pulled, or the last ones pushed."""
        if spec.pull:
            report = await within(
                client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(
                        text_document=types.TextDocumentIdentifier(uri=of)
                    )
                )
            )
            assert report.kind == "full"
            return list(report.items)
        return list(client.diagnostics.get(of, []))

    async def settle(codes: list[str], of: str = mapping_uri) -> list[types.Diagnostic]:
        """A file's diagnostics, once they have the expected codes: a pull
        client asks after the edit and must get them at once; a push client
        waits for the notification."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while True:
            got = await diagnostics(of)
            if [d.code for d in got] == codes:
                return got
            if spec.pull or loop.time() > deadline:
                raise AssertionError(f"{of}: expected {codes}, got {got}")
            await asyncio.sleep(0.02)

    # (For a push client this only says nothing was pushed yet: a clean
    # file has nothing to publish.)
    assert await settle([]) == []

    def change(edit: types.Range, new_text: str) -> None:
        nonlocal version
        version += 1
        doc.apply(edit, new_text)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=mapping_uri, version=version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=edit, text=new_text)
                ],
            )
        )

    # --- edit: break the reference (an incremental change of one character) --
    one = doc.find("etsi-en-303-645:5.1-1", offset=len("etsi-en-303-645:5.1-"))
    change(R(one, P(one.line, one.character + 1)), "9")
    assert doc.lines()[5].endswith("etsi-en-303-645:5.1-9 {")
    [broken] = await settle(["unknown-provision"])
    assert broken.severity == types.DiagnosticSeverity.Error
    assert broken.source == "xwalk"
    assert broken.range == doc.range_of("5.1-9")
    # `map vendor-guide:"3.1 Pässwörds 🔑" -> etsi-en-303-645:5.1-9`: 54 code
    # points before the id; the emoji is 2 UTF-16 units, ä, ö and the emoji
    # are 2 + 2 + 4 UTF-8 bytes.
    assert broken.range.start == P(5, {"utf-16": 55, "utf-8": 59}[spec.encoding])
    assert "`etsi-en-303-645` has no provision or clause `5.1-9`" in broken.message
    assert "did you mean `5.1-1`" in broken.message

    # ... and mend it again.
    change(R(one, P(one.line, one.character + 1)), "1")
    assert doc.text == MAPPING
    assert await settle([]) == []

    # --- completion after `etsi-en-303-645:` ----------------------------------
    change(R(doc.end(), doc.end()), 'map vendor-guide:"3.2" -> etsi-en-303-645:')
    cursor = doc.end()
    completion = await within(
        client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=mapping_uri),
                position=cursor,
                context=types.CompletionContext(
                    trigger_kind=types.CompletionTriggerKind.TriggerCharacter,
                    trigger_character=":",
                ),
            )
        )
    )
    assert isinstance(completion, types.CompletionList)
    items = {item.label: item for item in completion.items}
    assert "5.1-1" in items, sorted(items)
    item = items["5.1-1"]
    # A provision reads as a reference to a standard, not a "Constant".
    assert item.kind == types.CompletionItemKind.Reference
    assert isinstance(item.text_edit, types.TextEdit)
    assert item.text_edit.range == R(cursor, cursor)
    assert item.text_edit.new_text == "5.1-1"
    assert CLAUSE_TEXT in item.documentation.value
    # Clauses are offered too, with their title as the label's detail.
    clause = items["5.1"]
    assert clause.kind == types.CompletionItemKind.Folder
    assert clause.label_details.description == "No universal default passwords"

    # --- word completion: `pass` offers 5.1-1 ----------------------------------
    change(R(cursor, cursor), "pass")
    typed = doc.end()
    completion = await within(
        client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=mapping_uri),
                position=typed,
                context=types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked),
            )
        )
    )
    items = {item.label: item for item in completion.items}
    # Only the provisions (and the clause) whose words start with `pass`.
    assert set(items) == {"5.1", "5.1-1", "5.1-2"}, sorted(items)
    assert "5.1-1" in items, sorted(items)
    item = items["5.1-1"]
    assert item.text_edit.range == R(cursor, typed)
    assert item.text_edit.new_text == "5.1-1"
    assert item.documentation.kind == types.MarkupKind.Markdown
    assert CLAUSE_TEXT in item.documentation.value
    # Accept it, as the editor does: the new reference resolves.
    change(item.text_edit.range, item.text_edit.new_text)
    change(R(doc.end(), doc.end()), "\n")
    assert doc.lines()[8] == 'map vendor-guide:"3.2" -> etsi-en-303-645:5.1-1'
    assert await settle([]) == []

    # --- hover: the clause text -------------------------------------------------
    hover = await within(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=mapping_uri),
                position=doc.find("5.1-1", offset=2),
            )
        )
    )
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**etsi-en-303-645:5.1-1**")
    assert "No universal default passwords" in hover.contents.value
    assert CLAUSE_TEXT in hover.contents.value
    assert "Mapped by 2 sources from 1 organisation" in hover.contents.value
    # The range is the provision id's.
    assert hover.range == doc.range_of("5.1-1")

    # --- go to definition: into the built-in catalog ---------------------------
    definition = await within(
        client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=mapping_uri),
                position=doc.find("5.1-1", offset=2),
            )
        )
    )
    assert isinstance(definition, types.Location), definition
    target = pathlib.Path(unquote(urlparse(definition.uri).path))
    assert target.name == "etsi-en-303-645.xwalk"
    assert target.is_relative_to(cache / "xwalk"), target
    assert not target.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    catalog = Text(target.read_text(), spec.encoding)
    # The provision's id in its declaration, `provision 5.1-1 {`.
    declared = catalog.find("provision 5.1-1 {", offset=len("provision "))
    assert definition.range == R(declared, P(declared.line, declared.character + 5))

    # --- rename: the document id, across the workspace -------------------------
    # A built-in catalog's id cannot be renamed: an error, not an edit.
    with pytest.raises(JsonRpcInvalidParams) as refused:
        await within(
            client.text_document_prepare_rename_async(
                types.PrepareRenameParams(
                    text_document=types.TextDocumentIdentifier(uri=mapping_uri),
                    position=doc.find("etsi-en-303-645:5.1-1", offset=3),
                )
            )
        )
    assert "belongs to a built-in catalog" in str(refused.value)
    assert client.error is None  # a refusal, not a broken connection
    declaration = doc.find("vendor-guide", offset=3)
    prepared = await within(
        client.text_document_prepare_rename_async(
            types.PrepareRenameParams(
                text_document=types.TextDocumentIdentifier(uri=mapping_uri), position=declaration
            )
        )
    )
    assert prepared == doc.range_of("vendor-guide") == R(P(0, 9), P(0, 21))
    edit = await within(
        client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=mapping_uri),
                position=declaration,
                new_name="acme-guide",
            )
        )
    )
    assert edit.changes is not None
    assert set(edit.changes) == {mapping_uri, other_uri}
    assert sorted(
        (e.range.start.line, e.range.start.character, e.range.end.character)
        for e in edit.changes[mapping_uri]
    ) == sorted(
        (r.start.line, r.start.character, r.end.character)
        for r in (doc.range_of("vendor-guide", n) for n in range(3))
    )
    assert all(e.new_text == "acme-guide" for es in edit.changes.values() for e in es)
    assert [e.range for e in edit.changes[other_uri]] == [R(P(0, 4), P(0, 16))]
    assert sorted(e.range.start.line for e in edit.changes[mapping_uri]) == [0, 5, 8]

    # Apply it to the open document only (last edit first): the closed file
    # that still says `vendor-guide` goes red.
    for e in sorted(
        edit.changes[mapping_uri],
        key=lambda e: (e.range.start.line, e.range.start.character),
        reverse=True,
    ):
        change(e.range, e.new_text)
    assert "vendor-guide" not in doc.text
    assert await settle([]) == []
    [stale] = await settle(["unknown-document"], of=other_uri)
    assert stale.range == R(P(0, 4), P(0, 16))
    # The editor applies the rest of the edit by opening the other file.
    other = Text(OTHER, spec.encoding)
    for e in edit.changes[other_uri]:
        other.apply(e.range, e.new_text)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=other_uri, language_id="xwalk", version=1, text=other.text
            )
        )
    )
    assert await settle([], of=other_uri) == []

    if spec.pull:
        # A pull client is never sent diagnostics it did not ask for, nor
        # (without refreshSupport, as Neovim 0.11) asked to refresh.
        assert client.diagnostics == {}
        assert client.diagnostic_refresh_count == 0
    # Inlay hints and code lenses show what other files declare and map: after
    # the changes, the server asked for them again, exactly where the client
    # said it takes such requests (refreshSupport).
    ws_caps = capabilities.workspace
    advertised = {
        method
        for method, caps in [
            (types.WORKSPACE_INLAY_HINT_REFRESH, ws_caps.inlay_hint),
            (types.WORKSPACE_CODE_LENS_REFRESH, ws_caps.code_lens),
        ]
        if caps is not None and caps.refresh_support
    }
    assert set(client.view_refreshes) == advertised

    # --- shutdown, exit -------------------------------------------------------
    assert client.error is None
    await within(client.shutdown_session())
    assert client._server.returncode == 0
