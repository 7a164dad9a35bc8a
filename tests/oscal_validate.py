#!/usr/bin/env python3
"""Validates OSCAL mapping-collection JSON files with compliance-trestle.

Usage: oscal_validate.py FILE...

Each file is loaded as a trestle `MappingCollection` (the pydantic model of
the OSCAL 1.2 mapping schema: required fields, patterns of tokens, UUIDs,
one-line strings, and no unknown fields). tests/run.sh installs
compliance-trestle 5.x into .tools/venv and runs this script on the OSCAL
exports of the shipped mappings and of the raw DCMS import.
"""

import json
import sys

from trestle.oscal import OSCAL_VERSION
from trestle.oscal.mapping import MappingCollection


def validate(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
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
