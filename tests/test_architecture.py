"""The house rules of docs/ARCHITECTURE.md, checked on the source: imports run one way, core/
never touches Qt, and a module over 300 lines says at its top why it is long."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEAVES = {"core.errors", "core.files.atomic", "core.files.user_dirs", "core.files.resources"}
# package -> the core packages (or leaf modules) it may import; itself and core.errors always.
ALLOWED = {
    "core.nn": set(),
    "core.data": {"core.nn"} | LEAVES,
    "core.drawing": {"core.data", "core.nn"} | LEAVES,
    "core.training": {"core.nn", "core.data", "core.files"},
    "core.files": {"core.nn", "core.data", "core.training"},
    "core.analysis": {"core.nn", "core.data", "core.training", "core.files", "core.drawing"},
    "core.cli": {"core.nn", "core.data", "core.training", "core.files", "core.drawing", "core.analysis"},
}
QT = ("PyQt5", "pyqtgraph", "gui")


def python_files(folder):
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def is_module(name):
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(path):
    """Every module named by an import statement anywhere in the file (also inside functions);
    `from core.files import atomic` names core.files.atomic."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if is_module(full) else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def allowed(target, rules):
    return any(target == rule or target.startswith(rule + ".") for rule in rules)


@pytest.mark.parametrize("path", python_files("core"), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_imports_run_one_way_and_never_reach_qt(path):
    name = module_name(path)
    package = ".".join(name.split(".")[:2])
    own = {package, "core.errors"} | ALLOWED.get(package, set())
    if name in LEAVES:
        own = {name, "core.errors"}
    bad = [target for target in imported_modules(path)
           if target.split(".")[0] in QT or (target.startswith("core.") and not allowed(target, own))]
    assert not bad, f"{name} may not import {sorted(set(bad))} (docs/ARCHITECTURE.md: imports run one way)"


def test_the_rules_catch_a_wrong_import(tmp_path):
    """Negative control: an nn module importing training, or core importing Qt, is refused."""
    assert not allowed("core.training.config", {"core.nn", "core.errors"})
    assert allowed("core.files.atomic", LEAVES)
    assert not allowed("core.files.model_io", LEAVES)


@pytest.mark.parametrize("path", python_files("core") + python_files("gui"), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_long_module_says_why(path):
    text = path.read_text(encoding="utf-8")
    n_lines = text.count("\n") + 1
    if n_lines <= 300:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert "Over 300 lines" in docstring, (f"{path.relative_to(ROOT)} has {n_lines} lines: split it by concern, or "
                                           f"say in its docstring why not ('Over 300 lines: ...')")
