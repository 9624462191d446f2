"""Where the data shipped with certify (frameworks, samples) lives: the checkout, or inside the wheel;
and where certify keeps what it may compute again (the user's cache folder)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def bundled_root(name: str) -> Path:
    """A data folder shipped with the project: the checkout's top level, or inside the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / name, here / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    return here.parent / name


def default_cache_dir() -> Path | None:
    """The user's cache folder for certify: `%LOCALAPPDATA%\\certify\\cache` on Windows,
    `$XDG_CACHE_HOME/certify` (by default `~/.cache/certify`) elsewhere; None without a home folder."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "certify" / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "certify"
    try:
        return Path.home() / ".cache" / "certify"
    except RuntimeError:  # no HOME and no password entry (some containers)
        return None
