"""The rules of ARCHITECTURE.md that a newcomer could break without noticing: imports flow one
way, and only one module starts processes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "netzwerk"


def modules() -> dict[str, Path]:
    """Each netzwerk module by name, and its file."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.with_suffix("").relative_to(PACKAGE.parent).parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports() -> dict[str, set[str]]:
    """Each netzwerk module and the netzwerk modules it imports, anywhere in it."""
    files = modules()
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name] |= {t for t in targets if t in files and t not in (name, "netzwerk")}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += graph[module]
    return seen


def test_no_import_cycles() -> None:
    graph = imports()
    cycles = sorted(name for name in graph if name in reachable(graph, name))
    assert cycles == []


def test_the_model_imports_nothing_of_netzwerk() -> None:
    assert imports()["netzwerk.model"] == set()


def test_reading_never_imports_checks_edits_templates_or_the_command_line() -> None:
    graph = imports()
    reading = ["netzwerk.notes", "netzwerk.scan", "netzwerk.vault"]
    reading += [name for name in graph if name.startswith("netzwerk.store")]
    forbidden = {"netzwerk.validate", "netzwerk.edit", "netzwerk.render"}
    forbidden |= {name for name in graph if name.startswith("netzwerk.cli")}
    for module in reading:
        assert not reachable(graph, module) & forbidden, module
        assert "import click" not in modules()[module].read_text(encoding="utf-8"), module


def test_the_command_line_knows_no_cache_process_or_scan() -> None:
    graph = imports()
    for name in [n for n in graph if n.startswith("netzwerk.cli")]:
        direct = graph[name]
        assert not {m for m in direct if m.startswith(("netzwerk.store", "netzwerk.scan"))}, name
        assert "netzwerk.parallel" not in direct and "netzwerk.vault" not in direct, name


def test_the_command_line_modules_are_small() -> None:
    # Click only: each module well under 800 lines.
    for path in PACKAGE.glob("cli*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 500, path.name


def test_one_module_starts_processes_and_one_uses_it() -> None:
    forks = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "os.fork(" in text or "multiprocessing" in text or "concurrent.futures" in text:
            forks.append(path.name)
    assert forks == ["parallel.py"]
    users = {name for name, deps in imports().items() if "netzwerk.parallel" in deps}
    assert users == {"netzwerk.vault"}


def test_every_problem_code_is_registered_and_documented() -> None:
    # A code a user meets must be in the README's table, and in problems.CODES.
    from netzwerk.problems import CODES

    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r'"(NW\d{3})"', path.read_text(encoding="utf-8")))
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| (NW\d{3}) \|", readme, re.MULTILINE))
    assert used == set(CODES) == documented
