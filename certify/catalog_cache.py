"""Resolved frameworks kept between runs, in the user's cache folder (`CERTIFY_CACHE_DIR`).

Reading, merging and validating a framework costs far more than certifying a unit with it (the YAML
files, the model, the checks, the content hash): a command that certifies one file would spend most of
its time there, on every run. The catalog (`certify.catalog.Catalog`) therefore keeps what it resolved
in one file per framework and, on the next run, uses it only when nothing it depends on has changed:

* every file of the framework's `extends` chain: size, modification time and SHA-256 of the content;
* the frameworks folders (a new version of a parent changes what `extends: parent` means) and the limits;
* the code that validated it: certify's own source files, the kind plugins, Python and pydantic.

Anything else (a missing, truncated, corrupt, foreign or stale file, another Python) is a miss: the
framework is resolved from its files as without a cache, and the entry is written anew (to a temporary
file, then renamed, so a reader never sees half of it). A framework with errors is never kept, and
warnings come back with it. The folder is created private to the user, and a file another user could
have written is not read. `CERTIFY_CACHE_DIR=` (empty) turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import certify
from certify import plugins
from certify.kinds import GROUP as KINDS
from certify.limits import current

if TYPE_CHECKING:
    from certify.catalog import Resolved

MAGIC = b"certify-resolved-framework 1\n"
DIGEST = 32  # bytes of SHA-256


@cache
def code_stamp() -> str:
    """What validated a cached framework: certify's source files (size and time, so an edited checkout
    counts), the kind plugins and their packages, Python and pydantic. Computed once per process."""
    import pydantic

    here = Path(certify.__file__).resolve().parent
    files = []
    for folder, dirs, names in os.walk(here):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                files.append((os.path.relpath(os.path.join(folder, name), here), st.st_size, st.st_mtime_ns))
    kinds = [(p.name, p.value, p.package, p.version) for p in plugins.status() if p.group == KINDS]
    stamp = [certify.__version__, sys.version, pydantic.VERSION, files, kinds]
    return hashlib.sha256(json.dumps(stamp, sort_keys=True).encode()).hexdigest()


def _file_stamp(name: str) -> list[Any] | None:
    """[size, mtime, SHA-256] of a framework file, or None when it cannot be read."""
    try:
        with open(name, "rb") as fh:
            st = os.fstat(fh.fileno())
            content = fh.read()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, hashlib.sha256(content).hexdigest()]


class DiskCache:
    """One file per framework under `folder`, named after the framework file's path and the catalog's roots."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _entry(self, path: Path, roots: list[str]) -> Path:
        key = hashlib.sha256(json.dumps([str(path), roots]).encode()).hexdigest()[:40]
        return self.folder / f"{key}.pickle"

    @staticmethod
    def _context(roots: list[str], folders: Any) -> dict[str, Any]:
        return {
            "code": code_stamp(),
            "roots": roots,
            "folders": json.loads(json.dumps(folders)),
            "limits": asdict(current()),
        }

    def get(self, path: Path, roots: list[str], folders: Any) -> object | None:
        """What was kept for `path` on an earlier run (the catalog checks it is a `Resolved`), or None."""
        entry = self._entry(path, roots)
        try:
            with open(entry, "rb") as fh:
                st = os.fstat(fh.fileno())
                if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                    return None  # written by someone else: not ours to trust
                blob = fh.read()
        except OSError:
            return None
        try:
            if not blob.startswith(MAGIC):
                return None
            at = len(MAGIC)
            size = int.from_bytes(blob[at : at + 4], "big")
            header = json.loads(blob[at + 4 : at + 4 + size])
            at += 4 + size
            digest, payload = blob[at : at + DIGEST], blob[at + DIGEST :]
            if header.get("context") != self._context(roots, folders) or header.get("path") != str(path):
                return None
            if any(_file_stamp(name) != stamp for name, stamp in header["files"]):
                return None
            if hashlib.sha256(payload).digest() != digest:
                return None
            kept: object = pickle.loads(payload)
        except Exception:  # a damaged entry is a miss, whatever the damage
            return None
        return kept

    def put(self, path: Path, roots: list[str], folders: Any, resolved: Resolved) -> None:
        """Keep `resolved` for the next run; a cache that cannot be written is no error (read-only home, full disk)."""
        files = []
        for doc in resolved.layers.docs:
            stamp = _file_stamp(doc.name)
            if stamp is None:
                return
            files.append([doc.name, stamp])
        _ = resolved.content_hash  # computed now, so that it is kept with the framework
        try:
            payload = pickle.dumps(resolved, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a plugin's framework that cannot be pickled is simply not kept
            return
        header = json.dumps({"path": str(path), "files": files, "context": self._context(roots, folders)}).encode()
        blob = MAGIC + len(header).to_bytes(4, "big") + header + hashlib.sha256(payload).digest() + payload
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".pickle")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
                os.replace(tmp, self._entry(path, roots))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return
