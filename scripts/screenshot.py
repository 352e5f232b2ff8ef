"""Take a screenshot of a Closeloop page as a given user, to look at what we build.

    uv run python scripts/screenshot.py http://127.0.0.1:8000/jobs/ out.png --login hank@example.com

Logs in through the real login form (password defaults to the demo password).
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/lib/chromium/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--login")
    parser.add_argument("--password", default="closeloop-demo")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--full", action="store_true", help="Capture the full page height.")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        if args.login:
            base = "/".join(args.url.split("/")[:3])
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", args.login)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
        page.goto(args.url)
        page.screenshot(path=args.out, full_page=args.full)
        browser.close()


if __name__ == "__main__":
    main()
