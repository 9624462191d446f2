"""What each case of the corpus answers, to read or to write its index entry:

    python tests/hostile/corpus/show.py [KIND] [CASE-FILE ...] [--new] [--yaml]

--new: only the files of KIND that have no index entry yet (run with the kind's command);
--write: fill in the index entries that lack a location with the proposal (then read `git diff`);
--yaml: print an index entry proposed from the problem of the entry's code, else the first error (review it
before pasting: the corpus states what a person must be told, not whatever the code happens to say).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from certify.errors import format_path
from tests.hostile.harness import CORPUS, KINDS, Case, cases, files, index, make_store, run


def main(argv: list[str]) -> None:
    new = "--new" in argv
    write = "--write" in argv
    as_yaml = "--yaml" in argv or write
    proposals: dict[str, dict[str, dict[str, object]]] = {}
    rest = [a for a in argv if not a.startswith("--")]
    kinds = tuple(k for k in rest if k in KINDS) or KINDS
    names = {a for a in rest if a not in KINDS}
    todo: list[Case] = []
    for kind in kinds:
        known = {c.name: c for c in cases((kind,))}
        for name in files(kind):
            if names and name not in names:
                continue
            if new and "where" in (known[name].spec if name in known else {}):
                continue
            todo.append(known.get(name) or Case(kind, name, {}, list(index(kind).get("command", []))))
    store = None
    if any(c.uses_store for c in todo):
        store = make_store(Path(tempfile.mkdtemp()))
    for case in todo:
        if case.kind == "api":
            print(f"{case.id}: API cases run in the test only")
            continue
        out = run(case, store if case.uses_store else None)
        if not as_yaml:
            print(f"=== {case.id} exit {out.exit}")
            print(out.text.strip()[:1500])
            continue
        if not out.problems:
            print(f"# {case.name}: exit {out.exit}, no problem: {out.text.strip()[:300]!r}")
            continue
        errors = [p for p in out.problems if p.severity == "error"] or out.problems
        p = next((p for p in errors if p.code == case.spec.get("code")), errors[0])
        where = Path(p.file).name + (f":{p.line}" if p.line else "") if p.file else ""
        parts = [where] if where else []
        if p.sheet:
            parts.append(f"sheet {p.sheet}")
        if p.row is not None:
            parts.append(f"dòng/row {p.row}")
        if p.column:
            parts.append(f"cột/column {p.column}")
        if p.path:
            parts.append(format_path(p.path))
        entry = {case.name: {"code": p.code, "where": ", ".join(parts), "vi": _cut(p.vi), "en": _cut(p.en)}}
        if out.exit == 2:
            proposals.setdefault(case.kind, {}).update(entry)
        print(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=200).rstrip(), f"# exit {out.exit}")
    if write:
        for kind, entries in proposals.items():
            path = CORPUS / kind / "index.yaml"
            ix = index(kind)
            known = ix.setdefault("cases", {}) or {}
            for name, entry in entries.items():
                spec = known.setdefault(name, {}) or {}
                if "where" not in spec:
                    spec.update({k: spec.get(k, v) for k, v in entry.items()})
                known[name] = spec
            ix["cases"] = dict(sorted(known.items()))
            path.write_text(yaml.safe_dump(ix, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def _cut(text: str, most: int = 60) -> str:
    """A fragment of a message, cut at a word."""
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0]


if __name__ == "__main__":
    main(sys.argv[1:])
