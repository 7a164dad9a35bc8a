#!/usr/bin/env python3
"""Writes the curated DCMS mapping (mappings/dcms/) from the DCMS open data.

Usage (from the repository root):

    python3 mappings/tools/curate_dcms.py            # write mappings/dcms/
    python3 mappings/tools/curate_dcms.py --verify   # check the committed files
    python3 mappings/tools/curate_dcms.py --report   # print the change counts

Steps:

1. `xwalk import dcms mappings/sources/dcms-cop-mapping-v4.json` into a
   temporary folder (the raw import). Its document ids are kept: each curated
   document takes the id of the first raw document merged into it.
2. The curation below, record by record. Every change is listed, with its
   reason and the records affected, in docs/data.md; --report prints the
   counts that table gives.
3. The curated records are written in the importer's layout: one file per
   source document in a folder per organisation, maps grouped as the
   importer groups them, 2-space indent, one field per line, strings with
   escapes. Records whose source is a built-in catalog (ETSI TS 103 645,
   ETSI EN 303 645, ENISA's good practices) refer to it and declare nothing.

Python 3 standard library only; the output is deterministic. Set XWALK to
an xwalk binary to use it instead of `cargo run`. The committed
files are the source of truth: if they are edited by hand, record the edit in
docs/data.md (this script would overwrite it).
"""

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "mappings", "sources", "dcms-cop-mapping-v4.json")
OUT = os.path.join(ROOT, "mappings", "dcms")
CATALOGS = os.path.join(ROOT, "mappings", "catalogs")

ORG, DOC, SEC, TEXT, LINK, NOTES, ADDED, GUIDE = (
    "Organisation",
    "Standard / Recommendation Name",
    "Recommendation Number / Section",
    "Recommendation Extracted from Linked Source",
    "Web Link",
    "Notes",
    "Added at Version",
    "DCMS Code of Practice Guidelines Number",
)

NIST = "US National Institute of Standards and Technology (NIST)"
AIOTI = "Alliance for Internet of Things Innovation (AIOTI)"
W3C_BP = "Web of Things (WoT) Security Best Practices"
W3C_SPC = "Web of Things (WoT) Security and Privacy Considerations"

# Organisation names made consistent (after whitespace folding).
ORGANISATIONS = {
    "National Institute of Standards and Technology (NIST)": NIST,
    "City of New York (NYC) Guidelines for the Internet of Things": "City of New York (NYC)",
    W3C_SPC: "W3C",
}

# (curated organisation, folded raw document name) -> curated document name.
DOCUMENTS = {
    (NIST, "NISTIR 8259A IoT Device Cybersecurity Capability Core Baseline"):
        "NISTIR 8259A IoT Device Cybersecurity Capability Core Baseline",
    ("Cloud Security Alliance (CSA)", "Future-proofing the connected world: 13 steps to Developing Secure IoT"):
        "Future-proofing the connected world: 13 steps to Developing Secure IoT",
    (AIOTI, "AIOTI Digitisation of Industry Policy Recommendations"):
        "Digitisation of Industry Policy Recommendations",
    (AIOTI, "Workshop on Security and Privacy in the Hyper connected World"):
        "Report on Workshop on Security and Privacy in the Hyper connected World",
    ("Atlantic Council Scowcroft Center for Strategy and Security", "Smart Homes and the Internet of Things (issue brief)"):
        "Smart Homes and the Internet of Things",
    ("W3C", "Web of Things (WoT) Security Best Practices W3C Editor's Draft 21 August 2019"): W3C_BP,
    ("W3C", "Web of Things (WoT) Security Best Practices Editors draft 14th June 2019"): W3C_BP,
    ("City of New York (NYC)", "Security"): "Guidelines for the Internet of Things",
    ("City of New York (NYC)", "Privacy + Transparency"): "Guidelines for the Internet of Things",
    # The one record with the W3C document as organisation names its
    # recommendation's heading as the document.
    ("W3C", "Minimize Network Interface Functionality"): W3C_SPC,
}

# Source documents that are built-in catalogs: (organisation, folded name) ->
# catalog id, and how a DCMS section becomes a provision or clause id.
ETSI = "European Telecommunications Standards Institute (ETSI)"
ENISA = "European Union Agency for Network and Information Security (ENISA)"
BUILTIN = {
    (ETSI, "Cyber Security for Consumer Internet of Things"): "etsi-ts-103-645",
    (ETSI, "ETSI EN 303.645 Cyber Security for Consumer Internet of Things: Baseline Requirements"): "etsi-en-303-645",
    (ENISA, "Baseline Security Recommendations for IoT"): "enisa-bsr-iot",
}

# Document fields known beyond the DCMS data.
EXTRA = {
    "NISTIR 8259A IoT Device Cybersecurity Capability Core Baseline": {
        "supersedes": "Considerations for a Core IoT Cybersecurity Capabilities Baseline",
        "note": "Merges three spellings of the name in the DCMS data. The DCMS note on "
        "\"Considerations for a Core IoT Cybersecurity Capabilities Baseline\" says that document "
        "\"appears to have been superceded by the NIST 8259A IoT Device Cybersecurity Capability Core Baseline\".",
    },
    W3C_BP: {
        "cites": "Industrial Internet of Things Volume G4: Security Framework v1.0",
        "note": "W3C Editor's Drafts of 14 June 2019 and 21 August 2019 (the DCMS data names both); "
        "cites the IIC Security Framework [IICSF] (record on guideline 3).",
    },
    "Smart Homes and the Internet of Things": {
        "note": "An Atlantic Council issue brief (one DCMS record names it so).",
    },
    "Guidelines for the Internet of Things": {
        "id": "nyc-guidelines-for-the-internet-of-things",
        "note": "The DCMS data gives the title as the organisation and the chapters "
        "(Security, Privacy + Transparency) as documents.",
    },
}

# Transcription variants of one text, unified: record -> the record whose
# text is the faithful one (a final full stop missing; a footnote number
# glued to a word, `versions4should`, and a hyphen dropped).
SAME_TEXT = {598: 408, 1069: 856, 317: 781}

DATASET_CITES = ["uk-cop-2018", "etsi-ts-103-645", "etsi-en-303-645", "enisa-bsr-iot"]


def fold(s):
    """Whitespace runs made one space, ends trimmed."""
    return " ".join(s.split())


def tidy_text(s):
    """Multi-line text: CRLF to LF, each line folded, blank runs made one."""
    lines = [fold(l) for l in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = []
    for l in lines:
        if l == "" and (not out or out[-1] == ""):
            continue
        out.append(l)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def encode(s):
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0:
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def is_bare(s):
    return bool(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", s))


def ref(doc, id_):
    return f"{doc}:{id_}" if is_bare(id_) else f"{doc}:{encode(id_)}"


def decode(lit):
    """Decodes a one-line "..." literal written by the importer."""
    body = lit[1:-1]
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = body[i + 1]
        if n == "u":
            j = body.index("}", i)
            out.append(chr(int(body[i + 3 : j], 16)))
            i = j + 1
            continue
        out.append({'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}[n])
        i += 2
    return "".join(out)


def xwalk(*args):
    """Runs xwalk: $XWALK if set, else `cargo run`."""
    binary = os.environ.get("XWALK")
    command = [binary] if binary else ["cargo", "run", "--quiet", "-p", "xwalk", "--"]
    subprocess.run(command + list(args), cwd=ROOT, check=True)


def raw_import():
    """Runs the importer; returns {(organisation, name): (id, folder)} in import order."""
    tmp = tempfile.mkdtemp()
    try:
        out = os.path.join(tmp, "raw")
        xwalk("import", "dcms", SOURCE, "--out", out)
        ids = {}
        for folder in sorted(os.listdir(out)):
            path = os.path.join(out, folder)
            if not os.path.isdir(path):
                continue
            for name in sorted(os.listdir(path)):
                text = open(os.path.join(path, name), encoding="utf-8").read()
                m = re.search(r'^document (\S+) \{\n  title (".*")\n  publisher (".*")\n', text, re.M)
                ids[(decode(m.group(3)), decode(m.group(2)))] = (m.group(1), folder)
        return ids
    finally:
        shutil.rmtree(tmp)


def builtin_urls():
    urls = {}
    for name in os.listdir(CATALOGS):
        text = open(os.path.join(CATALOGS, name), encoding="utf-8").read()
        for m in re.finditer(r'^document (\S+) \{\n(?:  .*\n)*?  url "(.*)"', text, re.M):
            urls[m.group(1)] = m.group(2)
    return urls


def builtin_source(catalog, section, text):
    """The provision or clause of a built-in catalog a DCMS section names,
    and whether the record is a clause heading."""
    if catalog == "enisa-bsr-iot":
        return section, False
    if catalog == "etsi-ts-103-645":
        m = re.fullmatch(r"Provision (4\.\d+-\d+)", section)
        if m:
            return m.group(1), False
        # Clause headings: "4.N"; clause 4.10's heading is filed as "4.1".
        if section == "4.1" and text == "Examine system telemetry data":
            return "4.10", True
        assert re.fullmatch(r"4\.\d+", section), section
        return section, True
    m = re.fullmatch(r"Provision ((5\.\d+|6)-\d+)", section)
    if m:
        return m.group(1), False
    if section == "Provision 5":  # clause 5.1's heading
        return "5.1", True
    if section == "Provisions 5.3-3 to 5.3-12":
        return "5.3", False
    m = re.fullmatch(r"Provision (5\.\d+)", section)
    assert m, section
    return m.group(1), True


def curate(records, raw_ids, changes):
    """Returns (documents, maps): curated documents by id and curated records."""
    urls = builtin_urls()
    docs = collections.OrderedDict()
    out = []
    seen = set()
    for index, r in enumerate(records, 1):
        raw_org, raw_doc = r[ORG], r[DOC]
        raw_id, folder = raw_ids[(raw_org, raw_doc)]
        org = fold(raw_org)
        org = ORGANISATIONS.get(org, org)
        if org != raw_org:
            changes[f"organisation: {json.dumps(raw_org)} -> {json.dumps(org)}"].add(index)
        name = fold(raw_doc)
        name = DOCUMENTS.get((org, name), name)
        section = fold(r[SEC])
        if section != r[SEC]:
            changes["whitespace in section"].add(index)
        text = tidy_text(r[TEXT])
        if text != r[TEXT]:
            changes["whitespace in text"].add(index)
        if index in SAME_TEXT:
            text = tidy_text(records[SAME_TEXT[index] - 1][TEXT])
            changes[f"text: transcription variant unified with record {SAME_TEXT[index]}"].add(index)
        notes = tidy_text(r[NOTES])
        if notes != r[NOTES]:
            changes["whitespace in notes"].add(index)
        if raw_org == W3C_SPC:
            notes = (notes + "\n" if notes else "") + (
                "The DCMS record gives the organisation as \"Web of Things (WoT) Security and "
                "Privacy Considerations\" and the document as \"Minimize Network Interface "
                "Functionality\" (the heading of recommendation 4.1.5)."
            )
        catalog = BUILTIN.get((org, name))
        curated_name = f"`{catalog}` (built-in)" if catalog else json.dumps(name)
        if catalog or name != raw_doc:
            changes[f"document: {json.dumps(raw_doc)} -> {curated_name}"].add(index)
        heading = False
        if catalog:
            if catalog == "enisa-bsr-iot" and text.startswith(section + ": "):
                text = text[len(section) + 2 :]
                changes["ENISA text: `GP-TM-06: ` prefix removed"].add(index)
            old_section = section
            section, heading = builtin_source(catalog, section, text)
            changes[f"source -> reference into the built-in catalog `{catalog}`"].add(index)
            if old_section == "4.1" and section == "4.10":
                changes["TS 103 645 clause 4.10 heading filed as `4.1` -> `etsi-ts-103-645:4.10`"].add(index)
            if old_section.startswith("Provisions "):
                notes = (notes + "\n" if notes else "") + (
                    "One DCMS record for provisions 5.3-3 to 5.3-12; their texts are quoted together."
                )
                changes["EN bundle `Provisions 5.3-3 to 5.3-12` -> clause `5.3`, noted"].add(index)
            if heading:
                notes = (notes + "\n" if notes else "") + (
                    f"Clause heading: the DCMS record quotes the title of clause {section}, not a provision."
                )
                changes["clause-heading record -> source is the clause, noted"].add(index)
            for typo, fix in (("Intergrity", "Integrity"), ("ConsumerIoT", "consumer IoT")):
                if typo in text:
                    text = text.replace(typo, fix)
                    changes[f"typo in text: {typo} -> {fix}"].add(index)
            doc_id = catalog
            key = ("builtin", catalog)
            if key not in docs:
                docs[key] = {"id": catalog, "builtin": True, "url": urls[catalog], "folder": folder}
        else:
            key = (org, name)
            if key not in docs:
                docs[key] = {
                    "id": EXTRA.get(name, {}).get("id", raw_id),
                    "builtin": False,
                    "title": name,
                    "publisher": org,
                    "folder": folder,
                    "links": collections.Counter(),
                }
            doc_id = docs[key]["id"]
            docs[key]["links"][r[LINK]] += 1
        record = (doc_id, section, text, r[LINK], notes, r[ADDED], r[GUIDE])
        if record in seen:
            changes["exact duplicate record merged"].add(index)
            continue
        seen.add(record)
        out.append({
            "doc": doc_id, "section": section, "text": text, "link": r[LINK],
            "notes": notes, "added": r[ADDED], "guideline": r[GUIDE], "key": key,
        })
    by_title = {d.get("title"): d["id"] for d in docs.values()}
    for d in docs.values():
        if d["builtin"]:
            continue
        links = d.pop("links")
        best = max(links.values())
        d["url"] = next(l for l in links if links[l] == best)
        extra = EXTRA.get(d["title"], {})
        for field in ("supersedes", "cites"):
            if field in extra:
                d[field] = by_title[extra[field]]
        if "note" in extra:
            d["note"] = extra["note"]
    return docs, out


HEADER = """# The DCMS open data v4 ("Mapping of Code of Practice to recommendations and
# standards"), curated: see docs/data.md for every change and its reason.
# Written by mappings/tools/curate_dcms.py from mappings/sources/dcms-cop-mapping-v4.json
#   (sha256 57ca4152b873d49736d463ec3309b876b034bc9554ff1868af8422321a00790d);
# edit by hand only with a note in docs/data.md.
"""


def write_maps(lines, doc, maps):
    groups = collections.OrderedDict()
    for m in maps:
        k = (m["section"], m["text"], m["link"], m["notes"], m["added"])
        groups.setdefault(k, []).append(m["guideline"])
    for (section, text, link, notes, added), guidelines in groups.items():
        source = ref(doc["id"], section) if section else doc["id"]
        targets = ", ".join(ref("uk-cop-2018", g) for g in guidelines)
        lines.append("")
        lines.append(f"map {source} -> {targets} {{")
        if text:
            lines.append(f"  excerpt {encode(text)}")
        if link != doc["url"]:
            lines.append(f"  url {encode(link)}")
        if notes:
            lines.append(f"  note {encode(notes)}")
        lines.append(f"  added {encode(added)}")
        lines.append("}")


def render(docs, maps, metadata):
    files = {}
    by_doc = collections.OrderedDict((k, []) for k in docs)
    for m in maps:
        by_doc[m["key"]].append(m)
    for key, doc in docs.items():
        lines = [HEADER.rstrip("\n")]
        if doc["builtin"]:
            lines.append(f"#\n# Records of the built-in catalog `{doc['id']}` (mappings/catalogs/).")
        else:
            lines.append("")
            lines.append(f"document {doc['id']} {{")
            lines.append(f"  title {encode(doc['title'])}")
            lines.append(f"  publisher {encode(doc['publisher'])}")
            lines.append(f"  url {encode(doc['url'])}")
            if "supersedes" in doc:
                lines.append(f"  supersedes {doc['supersedes']}")
            if "cites" in doc:
                lines.append(f"  cites {doc['cites']}")
            if "note" in doc:
                lines.append(f"  note {encode(doc['note'])}")
            lines.append("}")
        write_maps(lines, doc, by_doc[key])
        files[f"{doc['folder']}/{doc['id']}.xwalk"] = "\n".join(lines) + "\n"
    lines = [HEADER.rstrip("\n"), "", "document dcms-cop-mapping {"]
    lines.append(f"  title {encode('Mapping of Code of Practice to recommendations and standards')}")
    lines.append(f"  publisher {encode('Department for Digital, Culture, Media and Sport (DCMS)')}")
    lines.append(f"  version {encode(metadata['Version'])}")
    lines.append(f"  url {encode('https://iotsecuritymapping.uk/open-data-files-latest-v4/')}")
    lines.append(f"  cites {', '.join(DATASET_CITES)}")
    lines.append(f"  copyright {encode(metadata['Copyright'])}")
    for p in metadata["Disclaimer"]:
        lines.append(f"  disclaimer {encode(p.strip())}")
    lines.append("}")
    files["dcms-cop-mapping.xwalk"] = "\n".join(lines) + "\n"
    return files


def build():
    data = json.load(open(SOURCE, encoding="utf-8"))
    changes = collections.defaultdict(set)
    docs, maps = curate(data[1:], raw_import(), changes)
    return render(docs, maps, data[0]), changes, len(data) - 1, len(maps), docs


def formatted(files):
    """The files as `xwalk fmt` lays them out."""
    tmp = tempfile.mkdtemp()
    try:
        for rel, text in files.items():
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        xwalk("fmt", tmp)
        return {rel: open(os.path.join(tmp, rel), encoding="utf-8").read() for rel in files}
    finally:
        shutil.rmtree(tmp)


def main(argv):
    files, changes, n_raw, n_curated, docs = build()
    files = formatted(files)
    if "--report" in argv:
        print(f"records: {n_raw} raw, {n_curated} curated")
        print(f"documents: {sum(1 for d in docs.values() if not d['builtin'])} declared, "
              f"{sum(1 for d in docs.values() if d['builtin'])} built-in catalogs")
        for what, records in sorted(changes.items()):
            print(f"{len(records):5}  {what}")
        return 0
    if "--verify" in argv:
        bad = []
        for rel, text in files.items():
            path = os.path.join(OUT, rel)
            if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
                bad.append(rel)
        for dirpath, _, names in os.walk(OUT):
            for n in names:
                rel = os.path.relpath(os.path.join(dirpath, n), OUT)
                if rel not in files:
                    bad.append(rel)
        if bad:
            print("differs from the generator:", *bad, sep="\n  ")
            return 1
        print(f"mappings/dcms: {len(files)} files as generated")
        return 0
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    for rel, text in files.items():
        path = os.path.join(OUT, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print(f"wrote {len(files)} files to mappings/dcms/ ({n_curated} records)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
