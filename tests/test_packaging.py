"""The locks in requirements/ install what the code imports, at versions pyproject.toml admits, with hashes."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
RUN_LOCK = ROOT / "requirements" / "run.lock"
DEV_LOCK = ROOT / "requirements" / "dev.lock"
CODE = [ROOT / "bot", ROOT / "index", ROOT / "eval", ROOT / "prompts", ROOT / "app.py"]
LOCAL = {"bot", "index", "eval", "prompts", "app"}
# The machines the locks are compiled for (Makefile LOCK_TARGET): markers are judged there.
TARGET = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def read_lock(path: Path) -> dict[str, tuple[Version, list[str]]]:
    """name -> (pinned version, sha256 hashes); an entry that is not 'name==version' fails here."""
    entries: dict[str, tuple[Version, list[str]]] = {}
    logical = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: not an exact pin: {line[:80]!r}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
        entries[canonicalize_name(match[1])] = (Version(match[2]), hashes)
    return entries


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.fixture(scope="module")
def run_lock() -> dict[str, tuple[Version, list[str]]]:
    return read_lock(RUN_LOCK)


@pytest.fixture(scope="module")
def dev_lock() -> dict[str, tuple[Version, list[str]]]:
    return read_lock(DEV_LOCK)


def requirements(specs: list[str]) -> list[Requirement]:
    parsed = [Requirement(spec) for spec in specs]
    return [req for req in parsed if req.marker is None or req.marker.evaluate(TARGET)]


def test_every_locked_package_is_pinned_with_hashes(run_lock, dev_lock):
    for name, lock in (("run.lock", run_lock), ("dev.lock", dev_lock)):
        assert len(lock) > 50, f"{name} holds only {len(lock)} packages: not the whole tree"
        unhashed = sorted(pkg for pkg, (_, hashes) in lock.items() if not hashes)
        assert not unhashed, f"{name}: no --hash for {unhashed}"


def test_locks_satisfy_pyproject_ranges(project, run_lock, dev_lock):
    run = requirements(project["dependencies"])
    dev = run + requirements(project["optional-dependencies"]["dev"])
    for name, lock, reqs in (("run.lock", run_lock, run), ("dev.lock", dev_lock, dev)):
        for req in reqs:
            key = canonicalize_name(req.name)
            assert key in lock, f"{name} lacks {req} (run `make lock`)"
            version = lock[key][0]
            assert req.specifier.contains(version, prereleases=True), f"{name} pins {key}=={version}, outside {req}"


def test_dev_lock_keeps_the_run_lock_pins(run_lock, dev_lock):
    differ = {
        pkg: (str(v), str(dev_lock[pkg][0]) if pkg in dev_lock else None)
        for pkg, (v, _) in run_lock.items()
        if pkg not in dev_lock or dev_lock[pkg][0] != v
    }
    assert not differ, f"dev.lock is not run.lock plus the dev extra: {differ}"


def test_locks_hold_no_cuda_wheels(run_lock, dev_lock):
    """No machine of this project has a GPU; CUDA wheels are gigabytes of download for nothing."""
    cuda = sorted(pkg for lock in (run_lock, dev_lock) for pkg in lock if pkg.startswith(("nvidia-", "cuda-")))
    assert not cuda, f"the locks pull CUDA packages: {cuda}"


def imported_modules() -> set[str]:
    """Dotted names of third-party modules that the shipped code imports, anywhere in a file."""
    files = [p for entry in CODE for p in ([entry] if entry.is_file() else entry.rglob("*.py"))]
    found: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    return {m for m in found if m.split(".")[0] not in LOCAL and m.split(".")[0] not in sys.stdlib_module_names}


def distribution_of(module: str, top_level: dict[str, list[str]]) -> str:
    """The installed distribution holding `module`; for a namespace shared by several (llama_index), the one
    whose files hold the longest leading part of the dotted name."""
    parts = module.split(".")
    candidates = top_level.get(parts[0], [])
    if len(candidates) <= 1:
        return canonicalize_name(candidates[0] if candidates else parts[0])
    for depth in range(len(parts), 0, -1):
        prefix = "/".join(parts[:depth])
        owners = {
            canonicalize_name(dist)
            for dist in candidates
            if any(
                str(f).startswith((prefix + "/", prefix + ".py"))
                for f in importlib.metadata.distribution(dist).files or []
            )
        }
        if len(owners) == 1:
            return owners.pop()
    raise AssertionError(f"cannot tell which of {candidates} provides {module}")


def test_imported_packages_are_declared_and_locked(project, run_lock, dev_lock):
    direct = {canonicalize_name(r.name) for r in requirements(project["dependencies"])}
    extras = {
        canonicalize_name(r.name) for specs in project["optional-dependencies"].values() for r in requirements(specs)
    }
    top_level = importlib.metadata.packages_distributions()
    problems = []
    for module in sorted(imported_modules()):
        dist = distribution_of(module, top_level)
        if dist in direct:
            if dist not in run_lock:
                problems.append(f"{module}: {dist} is a dependency but not in run.lock")
        elif dist in extras:
            if dist not in dev_lock:
                problems.append(f"{module}: {dist} is an optional dependency but not in dev.lock")
        else:
            problems.append(f"{module}: {dist} is imported but pyproject.toml does not name it")
    assert not problems, "\n".join(problems)


def test_html_loader_import_chain(project, run_lock):
    """trafilatura -> jusText -> lxml.html.clean: lxml ships that module as the separate lxml_html_clean, which
    a fresh resolution has left out; pyproject.toml names it so that no resolution can."""
    assert "lxml-html-clean" in {canonicalize_name(r.name) for r in requirements(project["dependencies"])}
    assert "lxml-html-clean" in run_lock
    importlib.import_module("lxml.html.clean")
    importlib.import_module("trafilatura")  # the HTML loader imports it when it reads a page
    loaders = importlib.import_module("index.loaders")
    assert ".html" in loaders.SUPPORTED_EXTENSIONS
