"""Screenshots of every role's main pages at 1366 px (office PC) and 390 px (phone), into docs/screenshots/.

    python docs/screenshots/regenerate.py [--out docs/screenshots]

Builds the demo province with one account per role on a temporary SQLite file, starts the app on loopback,
submits the demo commune so that the appraiser has something in the queue, and photographs each page in
Debian's Chromium (Playwright, no downloaded browser). Look at them after a change to a page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.api.demo_site import OWN, PASSWORD, build  # noqa: E402
from tests.api.live_server import launch_chromium, live_server  # noqa: E402

UNIT = f"/cycles/1/units/{OWN}"
PAGES: dict[str, list[tuple[str, str]]] = {
    "public": [
        ("home", "/"),
        ("dashboard", "/dashboard"),
        ("framework", "/frameworks/sample-2361-commune"),
        ("sample-form", "/assess/sample-2361-commune?from=2025-xa-long-ho"),
    ],
    "editor": [("home", "/"), ("form", f"{UNIT}/edit"), ("evidence", f"{UNIT}/evidence"), ("unit", UNIT)],
    "appraiser": [("queue", "/"), ("appraisal", f"{UNIT}/appraise")],
    "admin": [
        ("home", "/"),
        ("recognition", "/recognition?year=2024"),
        ("cycles", "/admin/cycles"),
        ("users", "/admin/users"),
    ],
}
WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp) / "certify.sqlite")
        env = {
            "CERTIFY_DATABASE_URL": f"sqlite:///{db}",
            "CERTIFY_SECRET_KEY": "screenshots",
            "CERTIFY_EVIDENCE_DIR": str(Path(tmp) / "evidence"),
        }
        with live_server("/dashboard.json", env) as base, sync_playwright() as pw:
            browser = launch_chromium(pw)
            for role, pages in PAGES.items():
                for width, (w, h) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": w, "height": h}, locale="vi-VN")
                    page = context.new_page()
                    if role != "public":
                        page.goto(f"{base}/login")
                        page.fill("#username", role)
                        page.fill("#password", PASSWORD)
                        page.click("form.login button[type=submit]")
                        page.wait_for_selector("#whoami")
                    if role == "editor" and width == "1366":  # the appraiser's queue needs a submitted unit
                        page.goto(f"{base}{UNIT}/edit")
                        page.click("#submit")
                        page.click("#confirm")
                        page.wait_for_selector('#state[data-state="submitted"]')
                    for name, url in pages:
                        page.goto(base + url)
                        target = args.out / f"{role}-{name}-{width}.png"
                        page.screenshot(path=str(target))
                        print(target.relative_to(ROOT))
                    context.close()
            browser.close()


if __name__ == "__main__":
    main()
