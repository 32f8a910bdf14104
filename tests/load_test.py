"""Load test: N web-client users on a running (multi-worker) Odoo.

Each simulated user logs in over /web/session/authenticate as one of the
demo users (reps and managers, password = login), loads the Customer
Archives action and its list and form views as the web client does, then
for ``--duration`` seconds repeats, with a person's think time between
actions (1-5 s, seeded random): the Contacts list with its pager's count
(web_search_read with the list view's fields), a name search (many2one
dropdown), a form open (web_read with the form view's fields); every 10th
step a write (web_save of the archive's notes) and now and then the contact
list export (wizard + XLSX download). Prints, per call: count, errors,
p50 / p95 / max in ms and calls per second.

    WORKERS=4 ./setup/run.sh                     # in another terminal (see README "Scaling")
    .venv/bin/python tests/load_test.py --users 5 --duration 120
    .venv/bin/python tests/load_test.py --users 20 --duration 120 --url http://127.0.0.1:8069 --db customer_archive

Exit status 1 when a call failed.
"""

import argparse
import random
import re
import statistics
import threading
import time
from collections import defaultdict

import requests

DEMO_USERS = ("rep", "rep2", "marketing_manager", "service_manager", "service", "archive_admin")
ACTION = "customer_archive.action_customer_archive"
ARCHIVE_DOMAIN = [("is_customer_archive", "=", True)]
# What a Chinese user types in a many2one dropdown: surnames, a name, a number prefix.
SEARCHES = ("张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "张伟", "科技", "KH-2026")
WRITE_EVERY = 10
EXPORT_EVERY = 25
SETUP_CALLS = ("login", "action load", "get_views")
FIELD_NAME = re.compile(r'<field\b[^>]*\bname="([^"]+)"')


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.messages = defaultdict(set)

    def record(self, call, seconds, error=None):
        with self.lock:
            self.times[call].append(seconds)
            if error:
                self.errors[call] += 1
                self.messages[call].add(error[:200])


class WebClientUser:
    """One person at the web client, with their own session."""

    def __init__(self, url, db, login, stats, rng):
        self.url, self.db, self.login = url, db, login
        self.stats, self.rng = stats, rng
        self.session = requests.Session()
        self.call_id = 0
        self.uid = None
        self.ids = []
        self.own_ids = []

    # -- transport ------------------------------------------------------
    def rpc(self, path, params):
        self.call_id += 1
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": self.call_id, "params": params},
            timeout=300,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise RuntimeError(f"{data.get('name')}: {data.get('message', '')}")
        return body["result"]

    def call_kw(self, model, method, args=(), **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def timed(self, call, function):
        start = time.perf_counter()
        try:
            result = function()
        except (requests.RequestException, RuntimeError, ValueError, KeyError) as error:
            self.stats.record(call, time.perf_counter() - start, error=f"{type(error).__name__}: {error}")
            return None
        self.stats.record(call, time.perf_counter() - start)
        return result

    # -- what the web client does --------------------------------------
    def log_in(self):
        info = self.timed(
            "login",
            lambda: self.rpc(
                "/web/session/authenticate", {"db": self.db, "login": self.login, "password": self.login}
            ),
        )
        if not info or not info.get("uid"):
            return False
        self.uid = info["uid"]
        self.context = info.get("user_context", {})
        action = self.timed("action load", lambda: self.rpc("/web/action/load", {"action_id": ACTION}))
        if not action:
            return False
        views = [[view_id or False, kind] for view_id, kind in action["views"] if kind in ("list", "form")]
        result = self.timed(
            "get_views",
            lambda: self.call_kw("res.partner", "get_views", views=views, options={"load_filters": True}),
        )
        if not result:
            return False
        fields = result["models"]["res.partner"]["fields"]
        self.list_spec = self._specification(result["views"]["list"]["arch"], fields)
        self.form_spec = self._specification(result["views"]["form"]["arch"], fields)
        return True

    @staticmethod
    def _specification(arch, fields):
        spec = {}
        for name in FIELD_NAME.findall(arch):
            field = fields.get(name)
            if not field or name in spec:
                continue
            spec[name] = {"fields": {"display_name": {}}} if field["type"] == "many2one" else {}
        return spec

    def contacts_list(self):
        result = self.timed(
            "list (web_search_read + count)",
            lambda: self.call_kw(
                "res.partner",
                "web_search_read",
                domain=ARCHIVE_DOMAIN,
                specification=self.list_spec,
                offset=self.rng.choice((0, 0, 0, 80)),
                limit=80,
                order="",
                count_limit=10001,
                context=self.context,
            ),
        )
        if result:
            self.ids = [record["id"] for record in result["records"]]
            self.own_ids = [
                record["id"]
                for record in result["records"]
                if isinstance(record.get("user_id"), dict) and record["user_id"].get("id") == self.uid
            ] or self.own_ids

    def name_search(self):
        self.timed(
            "name_search",
            lambda: self.call_kw(
                "res.partner", "name_search", name=self.rng.choice(SEARCHES), limit=8, context=self.context
            ),
        )

    def form_open(self):
        if self.ids:
            record_id = self.rng.choice(self.ids)
            self.timed(
                "form open (web_read)",
                lambda: self.call_kw(
                    "res.partner",
                    "web_read",
                    [[record_id]],
                    specification=self.form_spec,
                    context=self.context,
                ),
            )

    def write(self):
        # a person edits the archives they are responsible for
        if not self.own_ids:
            self.contacts_list()
            return
        record_id = self.rng.choice(self.own_ids)
        note = f"<p>负载测试 {self.login} {time.time():.0f}</p>"
        self.timed(
            "write (web_save)",
            lambda: self.call_kw(
                "res.partner",
                "web_save",
                [[record_id], {"comment": note}],
                specification={},
                context=self.context,
            ),
        )

    def export(self):
        def run():
            model = "customer.archive.contact.list.export"
            wizard = self.call_kw(
                model, "web_save", [[], {"scope": "mine"}], specification={}, context=self.context
            )[0]["id"]
            action = self.rpc(
                f"/web/dataset/call_button/{model}/action_export",
                {
                    "model": model,
                    "method": "action_export",
                    "args": [[wizard]],
                    "kwargs": {"context": self.context},
                },
            )
            for _attempt in range(20):  # a replica may lag the primary by a few ms
                response = self.session.get(self.url + action["url"], timeout=300)
                if response.status_code != 404:
                    break
                time.sleep(0.05)
            response.raise_for_status()
            if not response.content.startswith(b"PK"):
                raise ValueError("the contact list is not an XLSX file")

        self.timed("contact list export", run)

    def run(self, ready, start, think, duration):
        logged_in = self.log_in()
        ready.wait()  # the load starts when every user has logged in (workers warm)
        if not logged_in:
            return
        deadline = start[0] + duration
        step = 0
        while time.monotonic() < deadline:
            step += 1
            if step % WRITE_EVERY == 0:
                self.write()
            elif step % EXPORT_EVERY == 0 or (step == 7 and self.rng.random() < 0.3):
                self.export()
            else:
                self.rng.choice((self.contacts_list, self.contacts_list, self.name_search, self.form_open))()
            pause = self.rng.uniform(*think)
            if time.monotonic() + pause >= deadline:
                break
            time.sleep(pause)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=5, help="concurrent web-client users")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load after the ramp-up")
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="customer_archive")
    parser.add_argument(
        "--logins", default=",".join(DEMO_USERS), help="demo logins (password = login), cycled"
    )
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--think", default="1,5", help="think time range in seconds, min,max")
    args = parser.parse_args()

    think = tuple(float(value) for value in args.think.split(","))
    logins = [login.strip() for login in args.logins.split(",") if login.strip()]
    stats = Stats()
    start = [None]
    # the clock starts when the last user has logged in, before anyone goes on
    ready = threading.Barrier(args.users + 1, action=lambda: start.__setitem__(0, time.monotonic()))
    threads = []
    for index in range(args.users):
        user = WebClientUser(
            args.url.rstrip("/"),
            args.db,
            logins[index % len(logins)],
            stats,
            random.Random(args.seed * 1000 + index),
        )
        thread = threading.Thread(target=user.run, args=(ready, start, think, args.duration), daemon=True)
        threads.append(thread)
        thread.start()
        time.sleep(0.1)  # users do not all log in in the same millisecond
    ready.wait(timeout=900)
    setup = {call: stats.times.pop(call) for call in SETUP_CALLS if call in stats.times}
    for thread in threads:
        thread.join(args.duration + 600)
    elapsed = time.monotonic() - start[0]

    print(
        f"{args.users} users, {elapsed:.0f} s after all logged in, think time {think[0]:g}-{think[1]:g} s, seed {args.seed}, {args.url} db {args.db}"
    )
    header = (
        f"{'call':<32} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'calls/s':>8}"
    )
    print(header)
    print("-" * len(header))
    total = errors = 0
    for call, times in sorted(stats.times.items(), key=lambda item: -len(item[1])):
        ms = [value * 1000 for value in times]
        total += len(ms)
        errors += stats.errors[call]
        print(
            f"{call:<32} {len(ms):>6} {stats.errors[call]:>6} {statistics.median(ms):>8.0f} "
            f"{percentile(ms, 0.95):>8.0f} {max(ms):>8.0f} {len(ms) / elapsed:>8.2f}"
        )
    print("-" * len(header))
    print(f"{'all calls':<32} {total:>6} {errors:>6} {'':>8} {'':>8} {'':>8} {total / elapsed:>8.2f}")
    for call, times in setup.items():
        print(
            f"before the clock: {call} x{len(times)}, {stats.errors[call]} errors, max {max(times) * 1000:.0f} ms"
        )
    errors += sum(stats.errors[call] for call in setup)
    for call, messages in stats.messages.items():
        for message in sorted(messages)[:3]:
            print(f"  error in {call}: {message}")
    return 1 if errors or not total else 0


if __name__ == "__main__":
    raise SystemExit(main())
