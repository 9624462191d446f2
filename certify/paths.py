"""Where the data shipped with certify (frameworks, samples) lives: the checkout, or inside the wheel."""

from __future__ import annotations

from pathlib import Path


def bundled_root(name: str) -> Path:
    """A data folder shipped with the project: the checkout's top level, or inside the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / name, here / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    return here.parent / name
