#!/usr/bin/env python3
"""Run the hooks of .pre-commit-config.yaml offline, with the tools installed
in .venv (setup/requirements-dev.txt pins the same versions as the config's
revisions).

pre-commit itself needs the network to fetch each hook's repository; this
script does what ``pre-commit run --all-files`` does without it: for every
hook of the config, the git-tracked files that match its ``files`` /
``exclude`` / ``types`` (the config's global ``exclude`` too) are passed to
the hook's command with the config's ``args``. The hooks run on a copy of the
checkout, so the fixers (ruff --fix, ruff format, trailing whitespace, the
README generator…) change nothing here: a hook fails when it exits non-zero
or when it modified a file, and the diff is printed.

    .venv/bin/python setup/lint.py          # all hooks; exit 1 when one fails
    .venv/bin/python setup/lint.py ruff     # only the hooks with these ids
"""

import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from identify import identify

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Folders the tools write for themselves, not changes to the checkout.
CACHE_DIRS = {".git", ".ruff_cache", "__pycache__", ".pytest_cache", ".mypy_cache"}

# What the hooks' repositories declare in their .pre-commit-hooks.yaml (entry
# and file types), for the hooks the config uses.
REMOTE_HOOKS = {
    "whool-init": {
        "entry": "whool init --exit-non-zero-on-changes",
        "pass_filenames": False,
        "always_run": True,
    },
    "oca-checks-odoo-module": {
        "entry": "oca-checks-odoo-module",
        "types_or": ["csv", "markdown", "pofile", "python", "rst", "xml"],
        "require_serial": True,
    },
    "oca-checks-po": {"entry": "oca-checks-po", "types_or": ["pofile"]},
    "trailing-whitespace": {"entry": "trailing-whitespace-fixer", "types": ["text"]},
    "end-of-file-fixer": {"entry": "end-of-file-fixer", "types": ["text"]},
    "debug-statements": {"entry": "debug-statement-hook", "types": ["python"]},
    "fix-encoding-pragma": {"entry": "fix-encoding-pragma", "types": ["python"]},
    "check-case-conflict": {"entry": "check-case-conflict"},
    "check-docstring-first": {"entry": "check-docstring-first", "types": ["python"]},
    "check-executables-have-shebangs": {
        "entry": "check-executables-have-shebangs",
        "types": ["text", "executable"],
    },
    "check-merge-conflict": {"entry": "check-merge-conflict", "types": ["text"]},
    "check-symlinks": {"entry": "check-symlinks", "types": ["symlink"]},
    "check-xml": {"entry": "check-xml", "types": ["xml"]},
    "mixed-line-ending": {"entry": "mixed-line-ending", "types": ["text"]},
    "ruff": {"entry": "ruff check --force-exclude", "types_or": ["python", "pyi", "jupyter"]},
    "ruff-format": {"entry": "ruff format --force-exclude", "types_or": ["python", "pyi", "jupyter"]},
    "pylint_odoo": {"entry": "pylint", "types": ["python"]},
}


def tracked_files():
    """The files pre-commit would check: git's (tracked, and untracked but
    not ignored, so a new file is linted before it is added); outside a git
    checkout, every file but the dot folders."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
        paths = sorted(set(out.split("\0")) - {""})
    except (OSError, subprocess.CalledProcessError):
        paths = []
        for dirpath, dirnames, filenames in os.walk(ROOT):
            dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
            paths.extend(str((Path(dirpath) / name).relative_to(ROOT)) for name in filenames)
    return [path for path in paths if os.path.lexists(ROOT / path)]


def copy_checkout(files, dst):
    for path in files:
        src, target = ROOT / path, dst / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), target)
        else:
            shutil.copy2(src, target)


def snapshot(base):
    """{path: content} of every file of the copy (symlinks: their target),
    so that a hook that changes, creates or deletes a file is seen."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [name for name in dirnames if name not in CACHE_DIRS]
        for name in filenames:
            full = Path(dirpath) / name
            path = str(full.relative_to(base))
            result[path] = os.readlink(full).encode() if full.is_symlink() else full.read_bytes()
    return result


def matches(hook, path, tags, global_exclude):
    if global_exclude and re.search(global_exclude, path):
        return False
    if hook.get("files") and not re.search(hook["files"], path):
        return False
    if hook.get("exclude") and re.search(hook["exclude"], path):
        return False
    if hook.get("types") and not set(hook["types"]) <= tags:
        return False
    if hook.get("types_or") and not set(hook["types_or"]) & tags:
        return False
    return not (hook.get("exclude_types") and set(hook["exclude_types"]) & tags)


def command(entry):
    argv = shlex.split(entry)
    if argv[0] in ("python", "python3"):
        argv[0] = sys.executable
    elif (BIN / argv[0]).exists():
        argv[0] = str(BIN / argv[0])
    return argv


def hooks_of(config):
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            if repo["repo"] == "local":
                yield dict(hook)
            else:
                if hook["id"] not in REMOTE_HOOKS:
                    raise SystemExit(f"setup/lint.py does not know how to run the hook {hook['id']!r}")
                yield {**REMOTE_HOOKS[hook["id"]], **hook}


def run_hook(hook, workdir, files, tags, global_exclude):
    selected = [path for path in files if matches(hook, path, tags[path], global_exclude)]
    if not selected and not hook.get("always_run"):
        return None, ""
    if hook.get("language") == "fail":
        return 1, hook["entry"] + "\n" + "\n".join(selected) + "\n"
    argv = command(hook["entry"]) + list(hook.get("args", []))
    if hook.get("pass_filenames", True):
        argv += selected
    proc = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def main(argv=None):
    only = set(argv if argv is not None else sys.argv[1:])
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    global_exclude = config.get("exclude", "")
    files = tracked_files()
    failed = []
    with tempfile.TemporaryDirectory(prefix="lint-") as tmp:
        workdir = Path(tmp)
        copy_checkout(files, workdir)
        # Hooks that ask git (check-case-conflict, check-merge-conflict) see the copy as a checkout.
        subprocess.run(["git", "init", "-q"], cwd=workdir, check=True)
        subprocess.run(["git", "add", "-A"], cwd=workdir, check=True)
        tags = {path: identify.tags_from_path(str(workdir / path)) for path in files}
        hooks = list(hooks_of(config))
        unknown = only - {hook["id"] for hook in hooks}
        if unknown:
            raise SystemExit(f"no such hook in .pre-commit-config.yaml: {', '.join(sorted(unknown))}")
        for hook in hooks:
            if only and hook["id"] not in only:
                continue
            name = hook.get("name", hook["id"])
            before = snapshot(workdir)
            returncode, output = run_hook(hook, workdir, files, tags, global_exclude)
            after = snapshot(workdir)
            changed = sorted(
                path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
            )
            if returncode is None:
                print(f"{name:.<70}(no files to check)Skipped")
                continue
            if returncode == 0 and not changed:
                print(f"{name:.<70}Passed")
                continue
            failed.append(hook["id"])
            print(f"{name:.<70}Failed")
            print(f"- hook id: {hook['id']}")
            if returncode:
                print(f"- exit code: {returncode}")
            if changed:
                print("- files were modified by this hook")
            if output.strip():
                print("\n".join(output.strip().splitlines()[:200]))
            for path in changed:
                old = before.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
                new = after.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
                sys.stdout.writelines(list(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))[:60])
            # The next hooks see the checkout as it is, not this hook's fixes.
            for path in changed:
                (workdir / path).unlink(missing_ok=True)
                if path in before:
                    copy_checkout([path], workdir)
    if failed:
        print(f"failed hooks: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
