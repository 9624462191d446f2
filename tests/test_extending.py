"""docs/EXTENDING.md is true: its files, installed as a package, and its commands, run as a user types them.

The page's code blocks tagged `file=PATH` are written into a throw-away package folder, its
`pyproject.toml` block becomes the package's entry points (a `*.dist-info` folder on the path, as pip
would leave), and every `$ command` of its console blocks runs in that folder as a separate process;
the lines shown under a command must appear in what it prints (`...` skips lines, `…` skips words).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "EXTENDING.md"
FENCE = re.compile(r"^```(?P<lang>\w+)(?: file=(?P<file>\S+))?\n(?P<body>.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, str | None, str]]:
    return [(m["lang"], m["file"], m["body"]) for m in FENCE.finditer(PAGE.read_text(encoding="utf-8"))]


def files() -> dict[str, str]:
    return {file: body for _, file, body in blocks() if file}


def commands() -> list[tuple[str, list[str]]]:
    """Each `$ command` of the console blocks with the output lines shown under it."""
    found: list[tuple[str, list[str]]] = []
    for lang, _, body in blocks():
        if lang != "console":
            continue
        for line in body.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found and line.strip():
                found[-1][1].append(line)
    return found


def normal(text: str) -> str:
    """Table borders and runs of spaces vary with the terminal width; the words do not."""
    return " ".join(re.sub(r"[│┃┏┓┗┛┡┩└┘├┤┼─━╇╈┯┷┳┻]", " ", text).split())


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page's package, installed: its files, and a dist-info folder carrying its entry points."""
    folder = tmp_path_factory.mktemp("certify-extras")
    for name, body in files().items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    project = tomllib.loads(files()["pyproject.toml"])["project"]
    info = folder / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items()) + "\n"
            for group, entries in project["entry-points"].items()
        ),
        encoding="utf-8",
    )
    (folder / "samples").symlink_to(ROOT / "samples")  # the page's commands read certify's bundled samples
    return folder


def run(command: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    words = [os.path.expandvars(w.replace("$PWD", str(folder))) for w in shlex.split(command)]
    program = {"certify": [sys.executable, "-m", "certify"], "alembic": [sys.executable, "-m", "alembic"]}
    return subprocess.run(
        [*program[words[0]], *words[1:]], cwd=folder, env=env, capture_output=True, text=True, encoding="utf-8"
    )


def expect_lines(shown: list[str], output: str, command: str) -> None:
    """Each shown line, in the order shown, within what was printed (long lines wrap, so across lines too)."""
    printed = normal(output)
    for line in shown:
        if line.strip() == "...":
            continue
        pattern = ".*?".join(re.escape(normal(part)) for part in line.split("…"))
        found = re.search(pattern, printed)
        assert found, f"$ {command}\nexpected: {line}\nprinted:\n{output}"
        printed = printed[found.end() :]


def test_the_page_has_the_four_extensions_and_a_migration() -> None:
    entry_points = tomllib.loads(files()["pyproject.toml"])["project"]["entry-points"]
    assert set(entry_points) == {"certify.gap_formats", "certify.scoring_methods", "certify.kinds", "certify.commands"}
    assert any(c.startswith("alembic revision") for c, _ in commands())


def test_the_certify_commands_of_the_page(package: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package), os.environ.get("PYTHONPATH", "")])}
    env.pop("CERTIFY_FRAMEWORKS", None)
    env.pop("CERTIFY_DEBUG", None)
    env["COLUMNS"] = "120"  # a terminal of the page's width: tables wrap as shown
    ran: dict[str, subprocess.CompletedProcess[str]] = {}
    for command, shown in commands():
        if command.startswith("export "):
            name, _, value = command.removeprefix("export ").partition("=")
            env[name] = value.replace("$PWD", str(package))
            continue
        if not command.startswith("certify "):
            continue
        proc = run(command, package, env)
        ran[command] = proc
        failing = any(line.startswith("LỖI/ERROR") for line in shown)
        assert proc.returncode == (2 if failing else 0), f"$ {command}\n{proc.stdout}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr and "WARNING" not in proc.stderr, proc.stderr
        expect_lines(shown, proc.stdout + proc.stderr, command)

    # What the page implies beyond the lines it shows: the stepped criterion scores in quarters of 10 points.
    import json

    scored = next(p for c, p in ran.items() if c.startswith("certify score"))
    units = json.loads(scored.stdout)["units"]
    points = {next(c["points"] for c in u["criteria"] if c["code"] == "1.3") for u in units}
    assert points <= {0, 2.5, 5, 7.5, 10} and len(points) > 1
    csv = next(p for c, p in ran.items() if "--format csv" in c).stdout.splitlines()
    assert len(csv) > 1 and all(row.startswith("29584,") for row in csv[1:])


def test_the_migration_of_the_page(tmp_path: Path) -> None:
    """`alembic revision` in a copy of the checkout writes the next migration after the head; the page's body
    then upgrades a database and downgrades it again."""
    shutil.copy(ROOT / "alembic.ini", tmp_path / "alembic.ini")
    shutil.copytree(ROOT / "certify" / "store" / "migrations", tmp_path / "certify" / "store" / "migrations")
    command = next(c for c, _ in commands() if c.startswith("alembic revision"))
    rev_id = shlex.split(command)[shlex.split(command).index("--rev-id") + 1]
    proc = run(command, tmp_path, dict(os.environ))
    assert proc.returncode == 0, proc.stderr

    from alembic import command as alembic
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(tmp_path / "alembic.ini"))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [rev_id]  # one head, the new revision
    previous = script.get_revision(rev_id).down_revision
    assert previous == ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()

    generated = Path(script.get_revision(rev_id).path)
    assert generated.name == f"{rev_id}_unit_phone_number.py"
    body = files()["migration-body.py"]
    text = generated.read_text(encoding="utf-8")
    text = text[: text.index("def upgrade()")] + body
    generated.write_text(text, encoding="utf-8")

    db = tmp_path / "db.sqlite"
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
    alembic.upgrade(config, "head")
    assert "phone" in columns(db, "admin_unit")
    alembic.downgrade(config, str(previous))
    assert "phone" not in columns(db, "admin_unit")


def columns(db: Path, table: str) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows: list[Any] = conn.execute(f"PRAGMA table_info({table})").fetchall()
    return {r[1] for r in rows}


def test_the_schema_has_one_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    assert len(ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_heads()) == 1
