"""Screenshot of the annotation page on the demo article, for the README (`make screenshots`).

Starts its own server on a temporary SQLite database with the demo loaded, drives Debian's
Chromium through Playwright, and writes docs/annotate.png.
"""

import os
import subprocess
import sys
import tempfile

from live_server import CHROMIUM_ARGS, ROOT, running_server
from playwright.sync_api import sync_playwright

PASSWORD = "screenshot-pass-1"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{folder}/shots.sqlite3"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [*manage, "load_demo", "--password", PASSWORD],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with running_server(env) as base:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", "annotator")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.goto(f"{base}/articles/1/")
                page.wait_for_selector("[data-article-text][data-ready=true]")
                # The Sheinbaum quote: its speaker in the panel, the claims and entities around it.
                page.click("[data-panel-id] >> nth=2")
                page.wait_for_timeout(300)
                out = ROOT / "docs" / "annotate.png"
                page.screenshot(path=str(out))
                browser.close()
            print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
