"""Take README screenshots of a running Odoo (./setup/run.sh) with headless Chromium.

    .venv/bin/python setup/screenshot.py URL_PATH OUTPUT.png [--login admin] [--lang zh_CN]

Logs in through /web/login, then drives Chromium over the DevTools protocol
(websocket-client) to open the page and capture it.
"""

import argparse
import base64
import json
import re
import shutil
import subprocess
import tempfile
import time

import requests
import websocket


def login(base, user, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": user, "password": password, "csrf_token": token},
        timeout=30,
    )
    return session.cookies.get("session_id")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("output")
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=4.0)
    args = parser.parse_args()

    session_id = login(args.base, args.login, args.password or args.login)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    profile = tempfile.mkdtemp()
    port = 9333
    proc = subprocess.Popen(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            f"--window-size={args.width},{args.height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(50):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                break
            except requests.RequestException:
                time.sleep(0.2)
        page = next(t for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        counter = iter(range(1, 10_000))

        def call(method, **params):
            msg_id = next(counter)
            ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                reply = json.loads(ws.recv())
                if reply.get("id") == msg_id:
                    return reply.get("result", {})

        call("Network.enable")
        call(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            url=args.base,
        )
        call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        call("Page.navigate", url=f"{args.base}{args.path}")
        time.sleep(args.wait)
        shot = call("Page.captureScreenshot", format="png")
        with open(args.output, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        print(args.output)
    finally:
        proc.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
