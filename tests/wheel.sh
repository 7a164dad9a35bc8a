#!/usr/bin/env bash
# The `pip install xwalk` wheel (pyproject.toml; docs/install.md), as a user
# gets it, installed with pip into a fresh virtual environment and run from
# there: `xwalk --version` is the crate's version, `xwalk check mappings`
# passes, and `xwalk lsp` answers initialize, shutdown and exit over stdio.
# Last, the GitHub Action's install script installs the same wheel
# (install: wheel) from a local folder instead of PyPI.
#
# The wheel is the one `maturin build` makes, but from the binary `cargo test`
# already built (XWALK_BIN): maturin writes its metadata (`maturin pep517
# write-dist-info`: METADATA with the crate's version, WHEEL with the platform
# tag, the licence), and the binary goes in as `xwalk-VERSION.data/scripts/xwalk`,
# where `bindings = "bin"` puts it. `maturin build` itself would compile the
# crate again: cargo test builds it with the dev-dependencies' features unified
# in (serde_json, regex, ...), a plain build of the binary without them, and
# that second build of the crate and its dependencies took minutes
# (docs/install.md, "The wheel in the test suite"); the release workflow runs
# the real `maturin build --release`.
# Usage: tests/wheel.sh MATURIN XWALK_BIN OUT   (OUT/dist: the wheel,
# OUT/venv: the environment; tests/run.sh packages OUT/venv/bin/xwalk into the
# .vsix).
set -euo pipefail
MATURIN=${1:?maturin}
XWALK_BIN=${2:?the xwalk binary cargo test built}
OUT=${3:?output folder}
cd "$(dirname "$0")/.."
rm -rf "$OUT"
mkdir -p "$OUT/dist"
PYTHON=${PYTHON:-python3}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)

start=$SECONDS
"$MATURIN" pep517 write-dist-info --metadata-directory "$OUT/meta" 2>&1 | tee "$OUT/maturin.log"
if grep -Eq '^ *Compiling ' "$OUT/maturin.log"; then
  echo "not ok - maturin compiled: write-dist-info must only read the metadata" >&2
  exit 1
fi
"$PYTHON" - "$OUT/meta" "$XWALK_BIN" "$OUT/dist" "$version" <<'PY'
import base64, hashlib, os, sys, zipfile

meta, binary, dist, version = sys.argv[1:]
info = f"xwalk-{version}.dist-info"
assert os.listdir(meta) == [info], os.listdir(meta)
fields = {}
for line in open(os.path.join(meta, info, "METADATA"), encoding="utf-8"):
    if not line.strip():
        break
    key, _, value = line.partition(": ")
    fields.setdefault(key, value.strip())
assert fields["Name"] == "xwalk" and fields["Version"] == version, fields
assert fields["License-Expression"] == "MIT", fields
tag = next(l.split(": ", 1)[1].strip() for l in open(os.path.join(meta, info, "WHEEL")) if l.startswith("Tag: "))
wheel = os.path.join(dist, f"xwalk-{version}-{tag}.whl")
records = []

def entry(name, mode):
    zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    zi.external_attr = (0o100000 | mode) << 16
    zi.compress_type = zipfile.ZIP_DEFLATED
    return zi

def add(z, name, data, mode=0o644):
    z.writestr(entry(name, mode), data)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    records.append(f"{name},sha256={digest},{len(data)}")

with zipfile.ZipFile(wheel, "w", compresslevel=1) as z:
    add(z, f"xwalk-{version}.data/scripts/xwalk", open(binary, "rb").read(), 0o755)
    for root, _, files in sorted(os.walk(os.path.join(meta, info))):
        for f in sorted(files):
            path = os.path.join(root, f)
            add(z, os.path.relpath(path, meta).replace(os.sep, "/"), open(path, "rb").read())
    records.append(f"{info}/RECORD,,")
    z.writestr(entry(f"{info}/RECORD", 0o644), "\n".join(records) + "\n")
print(f"ok - {os.path.basename(wheel)}: maturin's metadata (xwalk {version}, {tag}) and the binary of cargo test")
PY
wheel=$(ls "$OUT"/dist/xwalk-"$version"-*.whl)
echo "    (the wheel in $((SECONDS - start)) s)"

"$PYTHON" -m venv "$OUT/venv"
"$OUT/venv/bin/pip" install --quiet --no-index --disable-pip-version-check "$wheel"
cmp -s "$OUT/venv/bin/xwalk" "$XWALK_BIN" || { echo "not ok - pip installed another xwalk" >&2; exit 1; }
[ "$("$OUT/venv/bin/xwalk" --version)" = "xwalk $version" ] || { echo "not ok - xwalk --version" >&2; exit 1; }
echo "ok - pip install: $OUT/venv/bin/xwalk is xwalk $version"
"$OUT/venv/bin/xwalk" check mappings
echo "ok - xwalk check mappings, from the wheel"

"$PYTHON" - "$OUT/venv/bin/xwalk" <<'PY'
import json, subprocess, sys

def frame(message):
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def read(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("not ok - xwalk lsp closed its output")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))

def answer(stream, id):
    while True:
        m = read(stream)
        if m.get("id") == id and "method" not in m:
            return m

p = subprocess.Popen([sys.argv[1], "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(frame({"id": 1, "method": "initialize",
                     "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
p.stdin.flush()
init = answer(p.stdout, 1)
assert init["result"]["serverInfo"]["name"] == "xwalk", init
assert init["result"]["capabilities"]["hoverProvider"], init
p.stdin.write(frame({"method": "initialized", "params": {}}))
p.stdin.write(frame({"id": 2, "method": "shutdown", "params": None}))
p.stdin.flush()
assert answer(p.stdout, 2)["result"] is None
p.stdin.write(frame({"method": "exit", "params": None}))
p.stdin.close()
code = p.wait(timeout=20)
assert code == 0, code
print("ok - xwalk lsp from the wheel: initialize (serverInfo xwalk %s), shutdown, exit 0"
      % init["result"]["serverInfo"]["version"])
PY

XWALK_ROOT="$OUT/action" XWALK_INSTALL=wheel XWALK_VERSION="v$version" \
  XWALK_PIP_ARGS="--no-index --find-links $OUT/dist" tools/xwalk-action-install
[ "$("$OUT/action/bin/xwalk" --version)" = "xwalk $version" ]
echo "ok - the Action's install: wheel puts xwalk $version on its PATH"
