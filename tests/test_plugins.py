"""One plugin loader for kinds, scoring methods, formats and commands: built-ins load exactly as an
installed package's plugins do, and a broken plugin is reported once without taking the tool down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from certify import plugins
from certify.catalog import bundled_root
from certify.cli.app import app
from certify.cli.common import run_guarded
from certify.dti.methods import get_method
from certify.errors import CertifyError
from certify.formats import gap_formats, get_gap_format
from certify.kinds import get_kind

SAMPLE = bundled_root("samples") / "assessments" / "2024-xa-hoa-ninh.yaml"

BROKEN_MODULE = "import no_such_library_anywhere\n"
NOT_A_FORMAT = "FORMAT = 'a string, not a GapFormat'\n"


def certify(*args: str, capsys: Any) -> tuple[int, str, str]:
    err = Console(record=True, width=300)
    code = run_guarded(app, err, list(args))
    captured = capsys.readouterr()
    return code, captured.out, err.export_text() + captured.err


def listing(capsys: Any) -> dict[tuple[str, str], dict[str, Any]]:
    code, out, err = certify("plugins", "--json", capsys=capsys)
    assert code == 0, err
    return {(p["group"], p["name"]): p for p in json.loads(out)}


def test_every_built_in_is_a_plugin_of_its_group(capsys: Any) -> None:
    found = listing(capsys)
    groups = {group for group, _ in found}
    assert groups == set(plugins.GROUPS)
    assert {("certify.kinds", "levels"), ("certify.kinds", "dti")} <= set(found)
    assert {("certify.gap_formats", f) for f in ("json", "text", "md", "html", "pdf", "docx", "xlsx")} <= set(found)
    assert ("certify.scoring_methods", "min_max") in found and ("certify.commands", "serve") in found
    assert all(p["origin"] == "built-in" and p["status"] == "loaded" for p in found.values())


def test_each_format_carries_its_media_type() -> None:
    types = {name: fmt.media_type for name, fmt in gap_formats().items()}
    assert types["pdf"] == "application/pdf" and types["html"].startswith("text/html")
    assert types["xlsx"].endswith("spreadsheetml.sheet") and types["json"] == "application/json"
    binary = {".pdf", ".docx", ".xlsx"}
    assert [n for n, fmt in gap_formats().items() if fmt.binary] == [
        n for n, f in gap_formats().items() if f.suffix in binary
    ]
    assert {"docx", "pdf", "xlsx"} <= {n for n, fmt in gap_formats().items() if fmt.binary}


def test_a_package_adds_a_format_a_kind_a_method_and_a_command(install_plugin: Any, capsys: Any) -> None:
    install_plugin(
        "province-extras",
        {
            "certify.gap_formats": {"csv": "province_extras:CSV"},
            "certify.commands": {"hello": "province_extras:register"},
        },
        {
            "province_extras": (
                "from certify.formats import GapFormat\n"
                "CSV = GapFormat('csv', '.csv', 'CSV', lambda r: 'unit,level\\n' + r.unit_id + '\\n')\n"
                "def register(app):\n"
                "    app.command('hello')(lambda: print('xin chào'))\n"
            )
        },
    )
    fmt = get_gap_format("csv")
    assert fmt.media_type == "text/csv; charset=utf-8" and not fmt.binary
    found = listing(capsys)
    assert found[("certify.gap_formats", "csv")]["origin"] == "province-extras 0.1"
    assert found[("certify.gap_formats", "csv")]["status"] == "loaded"


@pytest.mark.parametrize(
    ("group", "name", "source", "expect"),
    [
        ("certify.gap_formats", "odt", BROKEN_MODULE, "ModuleNotFoundError"),
        ("certify.gap_formats", "odt", NOT_A_FORMAT, "expected a GapFormat"),
        ("certify.kinds", "budget", BROKEN_MODULE, "ModuleNotFoundError"),
        ("certify.scoring_methods", "bonus", BROKEN_MODULE, "ModuleNotFoundError"),
    ],
)
def test_a_broken_plugin_is_reported_once_and_the_rest_works(
    group: str, name: str, source: str, expect: str, install_plugin: Any, capsys: Any
) -> None:
    install_plugin("broken-extension", {group: {name: "broken_extension:FORMAT"}}, {"broken_extension": source})
    found = listing(capsys)  # loads every plugin: the broken one fails here
    assert found[(group, name)]["status"] == "failed" and expect in found[(group, name)]["error"]
    assert found[(group, name)]["origin"] == "broken-extension 0.1"
    assert all(p["status"] == "loaded" for key, p in found.items() if key != (group, name))
    _, _, err = certify("plugins", "--json", capsys=capsys)
    assert "WARNING" not in err  # reported once per process, not at every use

    code, out, err = certify("gap", str(SAMPLE), "--format", "json", capsys=capsys)
    assert code == 0 and json.loads(out)["items"]
    assert get_kind("levels") is not None and get_method("ratio") is not None


def test_a_broken_command_group_leaves_the_others(install_plugin: Any, tmp_path: Path) -> None:
    site = install_plugin(
        "broken-extension",
        {"certify.commands": {"extra": "broken_extension:register"}},
        {"broken_extension": BROKEN_MODULE},
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "certify", *args], capture_output=True, text=True, env=env)

    proc = run("evaluate", str(SAMPLE), "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["level"]
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("CẢNH BÁO/WARNING")]
    assert len(warnings) == 1 and "«extra»" in warnings[0] and "no_such_library_anywhere" in warnings[0]
    proc = run("plugins", "--json")
    found = {(p["group"], p["name"]): p for p in json.loads(proc.stdout)}
    assert found[("certify.commands", "extra")]["status"] == "failed"
    assert found[("certify.commands", "assess")]["status"] == "loaded"


def test_a_broken_plugin_warns_in_both_languages(install_plugin: Any, capsys: Any) -> None:
    install_plugin(
        "broken-extension", {"certify.gap_formats": {"odt": "broken_extension:X"}}, {"broken_extension": BROKEN_MODULE}
    )
    with pytest.raises(CertifyError) as raised:
        get_gap_format("odt")
    message = raised.value.problems[0].message()
    assert "đã được cài" in message and "is installed" in message and "no_such_library_anywhere" in message
    warning = capsys.readouterr().err.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("CẢNH BÁO/WARNING")
    assert "«odt»" in warning[0] and "'odt'" in warning[0] and "broken-extension 0.1" in warning[0]
    get_gap_format("json")
    with pytest.raises(CertifyError):
        get_gap_format("odt")
    assert capsys.readouterr().err == ""  # once


def test_a_package_cannot_replace_a_built_in(install_plugin: Any, capsys: Any) -> None:
    install_plugin(
        "impostor",
        {"certify.gap_formats": {"pdf": "impostor:PDF"}},
        {"impostor": "from certify.formats import GapFormat\nPDF = GapFormat('pdf', '.pdf', 'x', lambda r: b'')\n"},
    )
    assert get_gap_format("pdf").render.__module__ == "reports.gap_pdf"
    assert "already taken by built-in" in capsys.readouterr().err


def test_an_install_without_our_entry_points_says_how_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugins, "entry_points", lambda: [])
    plugins.refresh()
    try:
        with pytest.raises(CertifyError) as raised:
            plugins.names("certify.kinds")
        assert "pip install -e ." in raised.value.problems[0].message()
    finally:
        monkeypatch.undo()
        plugins.refresh()
