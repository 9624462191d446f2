"""The bad-input corpus (tests/hostile/corpus/<kind>/<case>.<ext>) and the one way each case is run.

Each kind has an `index.yaml` beside its files: the command that runs a case (`{case}` is the file's path,
`{cycle}` / `{dti_cycle}` the cycles of the corpus database, `{tmp}` a fresh empty folder) and, per file, what a
person must be told:

    command: [evaluate, "{case}"]
    cases:
      negative.yaml:
        code: negative                    # the problem's code (machines)
        where: negative.yaml:8, values.A-MEETINGS   # the location, as printed (one text or a list)
        vi: không được âm                 # a fragment of the Vietnamese message
        en: must not be negative          # a fragment of the English one
        env: {CERTIFY_VALUE_MAX: "10"}    # optional: environment for this case
        exhaust: true                     # optional: a whole process, its peak memory measured
        command: [gap, "{case}"]          # optional: another command for this case

API cases (`api/index.yaml`) send the file as the body: `post` (the URL), `status`, `path` (the field the
error names), `content_type` (default application/json; `form` posts a web form with its CSRF token).

Used by tests/hostile/test_corpus.py, tests/hostile/corpus/show.py and bench/hostile_bench.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
KINDS = ("assessment", "framework", "dti", "form", "province_csv", "api", "command")
NOT_CASES = {"index.yaml", "make.py", "README.md"}
# The child reports its own peak memory (VmHWM of its address space, read at exit): the resource usage the parent
# gets from wait4 would also count the parent's memory at fork. A regression fails the test rather than
# exhausting the shared machine: the child may not map more than 2 GB.
_CHILD = """
import atexit, os, resource
def _peak():
    with open("/proc/self/status") as fh:
        peak = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
    with open(os.environ["HOSTILE_PEAK_FILE"], "w") as out:
        out.write(peak)
atexit.register(_peak)
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from certify.cli.app import main
main()
"""
CLI = [sys.executable, "-c", _CHILD]
MEMORY_GOAL_MB = 200
SECONDS_GOAL = 5.0


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    spec: dict[str, Any]
    command: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return CORPUS / self.kind / self.name

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def where(self) -> list[str]:
        w = self.spec.get("where", [])
        return [w] if isinstance(w, str) else list(w)

    @property
    def exhaust(self) -> bool:
        return bool(self.spec.get("exhaust", False))

    @property
    def env(self) -> dict[str, str]:
        return {k: str(v) for k, v in (self.spec.get("env") or {}).items()}

    def _template(self) -> list[str]:
        if self.kind == "command":  # the case file is the command line itself, one argument a line
            return self.path.read_text(encoding="utf-8").splitlines()
        return list(self.spec.get("command", self.command))

    def args(self, store: Store | None = None) -> list[str]:
        values = {"case": str(self.path), "corpus": str(CORPUS), "tmp": tempfile.mkdtemp(prefix="hostile-")}
        if store is not None:
            values |= {"cycle": str(store.cycle), "dti_cycle": str(store.dti_cycle)}
        return [a.format(**values) for a in self._template()]

    @property
    def stdin(self) -> str | None:
        value = self.spec.get("stdin")
        return None if value is None else str(value)

    @property
    def uses_store(self) -> bool:
        return any("cycle}" in a for a in self._template()) or self.kind in ("form", "command")


def index(kind: str) -> dict[str, Any]:
    path = CORPUS / kind / "index.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return data or {}


def cases(kinds: tuple[str, ...] = KINDS) -> list[Case]:
    out: list[Case] = []
    for kind in kinds:
        ix = index(kind)
        for name, spec in (ix.get("cases") or {}).items():
            out.append(Case(kind, name, spec or {}, list(ix.get("command", []))))
    return out


def files(kind: str) -> list[str]:
    """The case files of a kind: every file of its folder but the index and the generator."""
    folder = CORPUS / kind
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in NOT_CASES)


@contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class Outcome:
    exit: int
    text: str
    problems: list[Any]
    peak_mb: float | None = None
    seconds: float | None = None


def run_cli(args: list[str], stdin: str | None = None) -> Outcome:
    """The command line in this process, through the same guard `certify` runs under (exit code, bilingual
    messages, never a traceback), its standard output and error captured; every problem printed (by the guard
    or by a command that lists problems itself) is recorded for its code."""
    import certify.cli.common as common
    from certify.cli.app import app

    seen: list[Any] = []
    original = common.print_problems

    def recording(problems: list[Any], out: Any = common.console_err) -> None:
        seen.extend(problems)
        original(problems, out)

    patched = [m for m in list(sys.modules.values()) if getattr(m, "print_problems", None) is original]
    buffer = io.StringIO()
    for module in patched:
        module.print_problems = recording  # type: ignore[attr-defined]
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer), _stdin(stdin):
            code = common.run_guarded(app, common.console_err, args)
    finally:
        for module in patched:
            module.print_problems = original  # type: ignore[attr-defined]
    return Outcome(code, buffer.getvalue(), seen)


@contextmanager
def _stdin(text: str | None) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text or "")
    try:
        yield
    finally:
        sys.stdin = saved


def run_process(args: list[str], env: dict[str, str] | None = None, stdin: str | None = None) -> Outcome:
    """`certify ARGS` as a whole process: exit code, output, peak resident memory (MB) and wall time."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryFile() as inp,
        tempfile.NamedTemporaryFile(mode="r") as peak,
    ):
        inp.write((stdin or "").encode())
        inp.seek(0)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*CLI, *args],
            stdin=inp,
            stdout=out,
            stderr=err,
            env={**os.environ, "COLUMNS": "1000", "HOSTILE_PEAK_FILE": peak.name, **(env or {})},
            cwd=ROOT,
        )
        _, status, _ = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace") + err.read().decode("utf-8", "replace")
        peak_kb = peak.read().strip()
    peak_mb = int(peak_kb) / 1024 if peak_kb else None
    return Outcome(proc.returncode, " ".join(text.split("\n")), [], peak_mb, seconds)


@dataclass(frozen=True)
class Store:
    url: str
    cycle: int
    dti_cycle: int


def make_store(folder: Path) -> Store:
    """A SQLite database with the country's units, a 2024 cycle of the sample commune framework (one unit
    already imported, so «unchanged» also means «not overwritten») and a DTI cycle of the province index."""
    from certify.intake.importer import import_files
    from certify.store.cycles import open_cycle
    from certify.store.engine import make_engine, transaction
    from certify.store.migrate import upgrade
    from certify.store.unit_sources import read_sources
    from certify.store.units import load_units
    from tests.intake.helpers import FW, filled_form

    url = f"sqlite:///{folder / 'certify.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        load_units(s, read_sources())
        cycle = open_cycle(s, year=2024, framework=FW, actor="test").id
        dti_cycle = open_cycle(s, year=2025, framework="vinh-long-2554-commune", actor="test").id
    with transaction(engine) as s:
        assert import_files(s, cycle, [filled_form(folder, "29644")], "test").ok
    engine.dispose()
    return Store(url, cycle, dti_cycle)


def row_counts(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from certify.store.engine import make_engine
    from certify.store.models import AuditEvent, Certification, DtiResult, EntryValue, ImportBatch, Submission

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Submission, EntryValue, Certification, ImportBatch, AuditEvent, DtiResult)
            }
    finally:
        engine.dispose()


def run(case: Case, store: Store | None = None) -> Outcome:
    """One CLI case through the real entry point: a whole process when it tests exhaustion, else in-process."""
    env = case.env
    if store is not None:
        env = {"CERTIFY_DATABASE_URL": store.url, **env}
    if case.exhaust:
        return run_process(case.args(store), env, case.stdin)
    with environment(env):
        return run_cli(case.args(store), case.stdin)


def codes(outcome: Outcome) -> list[str]:
    return [p.code for p in outcome.problems]
