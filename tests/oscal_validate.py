#!/usr/bin/env python3
"""Validates OSCAL mapping-collection JSON files with compliance-trestle.

Usage: oscal_validate.py FILE...

Each file is loaded as a trestle `MappingCollection` (the pydantic model of
the OSCAL 1.2 mapping schema: required fields, patterns of tokens, UUIDs,
one-line strings, and no unknown fields). compliance-trestle does not check
the allowed-values constraints of the OSCAL 1.2.0 metaschema
(oscal_mapping-common_metaschema.xml), so this script checks every one the
export touches itself: mapping-item `type` (control, statement),
mapping-resource-reference `type` (catalog, profile), `relationship` without
a namespace (equivalent-to, equal-to, subset-of, superset-of,
intersects-with, no-relationship), `method` (human, automation),
`matching-rationale` (syntactic, semantic, functional) and `status`
(complete, not-complete, draft, deprecated, superseded), as the 1.2.0
metaschema (schema-version 1.2.0 of usnistgov/OSCAL, commit abf27df) lists
them. tests/run.sh installs
compliance-trestle 5.x into .tools/venv and runs this script on the OSCAL
exports of the shipped mappings and of the raw DCMS import, on the OSCAL fixture
of the import tests (server/tests/fixtures/interop/) and on the export of its
`xwalk import oscal`.
"""

import json
import sys

from trestle.oscal import OSCAL_VERSION
from trestle.oscal.mapping import MappingCollection


OSCAL_NS = "http://csrc.nist.gov/ns/oscal"
ALLOWED = {
    "mapping-item type": {"control", "statement"},
    "mapping-resource-reference type": {"catalog", "profile"},
    "relationship": {
        "equivalent-to",
        "equal-to",
        "subset-of",
        "superset-of",
        "intersects-with",
        "no-relationship",
    },
    "method": {"human", "automation"},
    "matching-rationale": {"syntactic", "semantic", "functional"},
    "status": {"complete", "not-complete", "draft", "deprecated", "superseded"},
}


def allowed_values_errors(collection: dict) -> list:
    """Every value outside the allowed values, as 'where: what' lines."""
    errors = []

    def check(where: str, kind: str, value) -> None:
        if value is not None and value not in ALLOWED[kind]:
            errors.append(f"{where}: {kind} {value!r} is not one of {sorted(ALLOWED[kind])}")

    prov = collection.get("provenance", {})
    check("provenance", "method", prov.get("method"))
    check("provenance", "matching-rationale", prov.get("matching-rationale"))
    check("provenance", "status", prov.get("status"))
    for i, mapping in enumerate(collection.get("mappings", [])):
        where = f"mappings[{i}]"
        check(where, "method", mapping.get("method"))
        check(where, "matching-rationale", mapping.get("matching-rationale"))
        check(where, "status", mapping.get("status"))
        for side in ("source-resource", "target-resource"):
            check(f"{where}.{side}", "mapping-resource-reference type", mapping[side].get("type"))
        for j, m in enumerate(mapping.get("maps", [])):
            w = f"{where}.maps[{j}]"
            check(w, "matching-rationale", m.get("matching-rationale"))
            if m.get("ns", OSCAL_NS) == OSCAL_NS:
                check(w, "relationship", m.get("relationship"))
            for side in ("sources", "targets"):
                for k, item in enumerate(m.get(side, [])):
                    check(f"{w}.{side}[{k}]", "mapping-item type", item.get("type"))
    return errors


def validate(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    errors = allowed_values_errors(data["mapping-collection"])
    if errors:
        for e in errors[:20]:
            print(f"{path}: {e}", file=sys.stderr)
        raise SystemExit(f"{path}: {len(errors)} values outside the OSCAL 1.2.0 allowed values")
    collection = MappingCollection.parse_obj(data["mapping-collection"])
    maps = sum(len(m.maps) for m in collection.mappings)
    print(
        f"{path}: valid OSCAL mapping-collection (trestle models for OSCAL "
        f"{OSCAL_VERSION}): {len(collection.mappings)} mappings, {maps} map entries"
    )
    return maps


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in sys.argv[1:]:
        validate(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
