"""What refuge imports is what pyproject.toml declares, pinned (issue 8).

refuge once relied on a module (``lxml.html.clean``) that only an extra of a dependency of a
dependency installed, and the pip that ``python3 -m venv`` brings did not install that extra: the
main command failed for everyone who followed the README. These tests read the source and the
installed metadata, so a new undeclared import, or another extra that old pip would skip,
fails here and not on a user's machine.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(r) for r in PYPROJECT["dependencies"]]
TEST = [Requirement(r) for r in PYPROJECT["optional-dependencies"]["test"]]


def _declared(requirements: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in requirements}


def _imports(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Top-level names of absolute imports (also inside functions: lazy imports count), and
    the packages named in ``spacy.load("...")``, with their line numbers."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno
        elif (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) == "spacy.load"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield str(node.args[0].value), node.lineno


def _undeclared(folder: Path, declared: set[str], local: set[str]) -> list[str]:
    """``file:line module`` for every third-party import not covered by ``declared``."""
    owners = metadata.packages_distributions()
    problems = []
    for path in sorted(folder.rglob("*.py")):
        for module, line in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if module in sys.stdlib_module_names or module in local:
                continue
            distributions = {canonicalize_name(d) for d in owners.get(module, [])}
            if not distributions & declared:
                where = path.relative_to(ROOT)
                problems.append(f"{where}:{line} {module} (from {sorted(distributions)})")
    return problems


def test_every_import_of_the_package_is_a_declared_runtime_dependency() -> None:
    problems = _undeclared(ROOT / "src" / "refuge", _declared(RUNTIME), {"refuge"})
    assert problems == [], "imported but not in [project] dependencies:\n" + "\n".join(problems)


def test_every_import_of_tests_and_benchmarks_is_declared() -> None:
    declared = _declared(RUNTIME) | _declared(TEST)
    for folder in ("tests", "bench"):
        # Modules beside the tests and benchmarks (helpers such as fakes.py) are local.
        local = {"refuge", folder} | {p.stem for p in (ROOT / folder).rglob("*.py")}
        problems = _undeclared(ROOT / folder, declared, local)
        assert problems == [], f"imported in {folder}/ but not declared:\n" + "\n".join(problems)


def test_every_dependency_is_pinned_exactly() -> None:
    loose = [str(r) for r in RUNTIME + TEST if not re.fullmatch(r"==[\w.]+", str(r.specifier))]
    assert loose == [], f"not pinned with ==: {loose}"


def test_every_extra_old_pip_would_skip_is_declared_directly() -> None:
    """pip before 23.3 compares extra names literally (no PEP 685 normalisation): a request for
    ``lxml[html_clean]`` finds no extra in lxml, which spells it ``html-clean``, and installs
    nothing. Whatever such an extra would bring must be a direct dependency of refuge."""
    declared = _declared(RUNTIME)
    problems = []
    for requirement, extra in _requested_extras(RUNTIME):
        provided = metadata.distribution(requirement.name).metadata.get_all("Provides-Extra") or []
        if extra in provided:
            continue
        for needed in _extra_requirements(requirement.name, extra):
            if canonicalize_name(needed.name) not in declared:
                problems.append(f"{requirement} needs {needed.name} (extra {extra!r})")
    assert problems == [], "declare these directly:\n" + "\n".join(problems)


def _requested_extras(roots: list[Requirement]) -> Iterator[tuple[Requirement, str]]:
    """Every (requirement, extra) pair in the installed dependency tree of ``roots``."""
    seen: set[str] = set()
    queue = list(roots)
    while queue:
        requirement = queue.pop()
        for extra in requirement.extras:
            yield requirement, extra
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.distribution(requirement.name).requires or []:
            child = Requirement(text)
            if child.marker is None or child.marker.evaluate({"extra": ""}):
                queue.append(child)
        queue.extend(_all_extra_requirements(requirement))


def _all_extra_requirements(requirement: Requirement) -> list[Requirement]:
    return [r for extra in requirement.extras for r in _extra_requirements(requirement.name, extra)]


def _extra_requirements(name: str, extra: str) -> list[Requirement]:
    """What ``name[extra]`` brings, matching the extra as PEP 685 (new pip) does."""
    wanted = canonicalize_name(extra)
    found = []
    for text in metadata.distribution(name).requires or []:
        marker = Requirement(text).marker
        if marker is not None and marker.evaluate({"extra": wanted}):
            found.append(Requirement(text))
    return [r for r in found if r.marker is not None and not r.marker.evaluate({"extra": ""})]


def test_the_lock_file_pins_every_declared_dependency_at_its_version_with_hashes() -> None:
    """CI installs from requirements.lock with --require-hashes: a dependency added to
    pyproject.toml without `scripts/lock` would be missing there, or at another version."""
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = {
        canonicalize_name(m.group(1)): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+) \\\n\s+--hash=sha256:", lock, re.M)
    }
    stale = [
        f"{r.name}{r.specifier} (lock: {locked.get(canonicalize_name(r.name), 'missing')})"
        for r in RUNTIME + TEST
        if locked.get(canonicalize_name(r.name)) != next(iter(r.specifier)).version
    ]
    assert stale == [], "run scripts/lock; requirements.lock differs:\n" + "\n".join(stale)
