"""The house rules of docs/ARCHITECTURE.md, checked on the source.

- core/ and gui/ are trees: counting every import (also those inside functions, relative ones
  too), no module and no sub-package imports anything that imports it back.
- core/ packages import only the packages below them (the layer order below), and never Qt.
- gui/ground imports no gui feature; a feature imports only the ground and core; the shell is on
  top.
- A module over 300 lines says at its top why it is long.
Each rule has a negative control that feeds it a small wrong tree and checks that it fails.
"""
import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# core's sub-packages, bottom first: a package may import only packages before it in this list.
CORE_LAYERS = ["core.errors", "core.storage", "core.nn", "core.data", "core.drawing", "core.settings",
               "core.evaluation", "core.training", "core.files", "core.records", "core.training_process", "core.analysis", "core.figures", "core.reports", "core.lessons", "core.cli"]
# gui's: the ground, the features (each imports only the ground and core, never another feature),
# the shell on top.
GUI_GROUND, GUI_SHELL = "gui.ground", "gui.shell"
GUI_FEATURES = ["gui.views", "gui.data", "gui.training", "gui.draw", "gui.inspect", "gui.my_digits", "gui.my_drawings",
                "gui.runs", "gui.lessons"]
QT = ("PyQt5", "pyqtgraph", "gui")


def python_files(folder, root=ROOT):
    return sorted(p for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path, root=ROOT):
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def is_module(name, root=ROOT):
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(path, root=ROOT):
    """Every module named by an import statement anywhere in the file (inside functions too,
    relative imports resolved); `from core.files import model_io` names core.files.model_io."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if is_module(full, root) else base
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def import_graph(top, root=ROOT):
    """{module: {modules of the same top package it imports}} for every module under `top`."""
    graph = {}
    for path in python_files(top, root):
        name = module_name(path, root)
        graph[name] = {target for target in imported_modules(path, root)
                       if target.split(".")[0] == top and target != name and is_module(target, root)}
    return graph


def sub_package(module):
    return ".".join(module.split(".")[:2])


def package_graph(graph):
    packages = {}
    for module, targets in graph.items():
        source = sub_package(module)
        packages.setdefault(source, set()).update(sub_package(t) for t in targets if sub_package(t) != source)
    return packages


def cycles(graph):
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter[0]; counter[0] += 1
        stack.append(start); on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]; counter[0] += 1
                    stack.append(child); on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop(); on_stack.discard(member); component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def layer_violations(graph, layers):
    """(module, target) pairs where a package imports a package at or above its own layer."""
    rank = {package: i for i, package in enumerate(layers)}
    bad = []
    for module, targets in graph.items():
        source = sub_package(module)
        for target in targets:
            other = sub_package(target)
            if other != source and (source not in rank or other not in rank or rank[other] >= rank[source]):
                bad.append((module, target))
    return sorted(bad)


@pytest.mark.parametrize("top", ["core", "gui"])
def test_no_module_cycle_and_no_sub_package_cycle(top):
    graph = import_graph(top)
    assert len(graph) > 50, "the scan found too few modules to mean anything"
    assert cycles(graph) == [], f"module cycles in {top}/"
    assert cycles(package_graph(graph)) == [], f"sub-package cycles in {top}/"


def test_core_packages_import_only_the_layers_below():
    graph = import_graph("core")
    unknown = sorted({sub_package(m) for m in graph} - set(CORE_LAYERS) - {"core"})
    assert not unknown, f"sub-packages not placed in the layer order of tests/test_architecture.py: {unknown}"
    assert layer_violations(graph, CORE_LAYERS) == [], "docs/ARCHITECTURE.md: imports run one way"


def feature_violations(graph):
    """(module, target) pairs breaking the gui rule: the ground imports no other gui package, a
    feature imports only the ground (and core), the shell anything."""
    bad = []
    for module, targets in graph.items():
        source = sub_package(module)
        for target in targets:
            other = sub_package(target)
            if other == source or source == GUI_SHELL:
                continue
            if source == GUI_GROUND or other != GUI_GROUND:
                bad.append((module, target))
    return sorted(bad)


def test_gui_features_import_only_the_ground():
    graph = import_graph("gui")
    unknown = sorted({sub_package(m) for m in graph} - set(GUI_FEATURES) - {GUI_GROUND, GUI_SHELL, "gui"})
    assert not unknown, f"gui packages not named in tests/test_architecture.py: {unknown}"
    assert feature_violations(graph) == [], "docs/ARCHITECTURE.md: a feature imports only the ground and core"


def test_negative_control_a_feature_importing_another_feature_is_refused():
    graph = {"gui.runs.race": {"gui.training.training_controller", "gui.ground.theme"},
             "gui.ground.theme": {"gui.views.plots"}, "gui.shell.main_window": {"gui.runs.race"}}
    assert feature_violations(graph) == [("gui.ground.theme", "gui.views.plots"),
                                         ("gui.runs.race", "gui.training.training_controller")]


@pytest.mark.parametrize("path", python_files("core"), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_reaches_qt(path):
    bad = [target for target in imported_modules(path) if target.split(".")[0] in QT]
    assert not bad, f"{module_name(path)} may not import {sorted(set(bad))}: core/ never imports Qt"


def write_tree(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_negative_control_cycles_inside_functions_and_relative_imports_are_found(tmp_path):
    """A cycle closed by an import inside a function, or by a relative import, is still a cycle."""
    write_tree(tmp_path, {
        "core/__init__.py": "",
        "core/nn/__init__.py": "",
        "core/nn/a.py": "def late():\n    from core.data import b\n",
        "core/data/__init__.py": "",
        "core/data/b.py": "from core.nn import a\nfrom . import c\n",
        "core/data/c.py": "from .b import thing\n",
    })
    graph = import_graph("core", tmp_path)
    assert graph["core.nn.a"] == {"core.data.b"}
    assert graph["core.data.c"] == {"core.data.b"}
    assert cycles(graph) == [["core.data.b", "core.data.c", "core.nn.a"]]
    assert cycles(package_graph(graph)) == [["core.data", "core.nn"]]
    assert layer_violations(graph, ["core.nn", "core.data"]) == [("core.nn.a", "core.data.b")]


def test_negative_control_the_qt_rule_fails_on_a_core_module_that_imports_qt(tmp_path):
    """Run the real Qt rule as pytest would, on a tree whose core module imports PyQt5 inside a
    function: it must fail."""
    write_tree(tmp_path, {
        "core/__init__.py": "",
        "core/nn/__init__.py": "",
        "core/nn/view.py": "def show():\n    from PyQt5.QtWidgets import QLabel\n    return QLabel\n",
        "tests/test_rule.py": f"""
            import sys
            sys.path.insert(0, {str(ROOT / 'tests')!r})
            import importlib.util
            spec = importlib.util.spec_from_file_location("arch", {str(Path(__file__))!r})
            arch = importlib.util.module_from_spec(spec); spec.loader.exec_module(arch)
            from pathlib import Path
            ROOT = Path(__file__).resolve().parents[1]

            def test_rule():
                for path in arch.python_files("core", ROOT):
                    bad = [t for t in arch.imported_modules(path, ROOT) if t.split(".")[0] in arch.QT]
                    assert not bad, bad
            """,
    })
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "tests")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "PyQt5.QtWidgets" in result.stdout


@pytest.mark.parametrize("path", python_files("core") + python_files("gui"), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_long_module_says_why(path):
    text = path.read_text(encoding="utf-8")
    n_lines = text.count("\n") + 1
    if n_lines <= 300:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert "Over 300 lines" in docstring, (f"{path.relative_to(ROOT)} has {n_lines} lines: split it by concern, or "
                                           f"say in its docstring why not ('Over 300 lines: ...')")


def private_reaches(path):
    """(line, code) of getattr / setattr / hasattr calls that name another object's private
    attribute (a '_name' on anything but self or cls)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) >= 2):
            owner, name = node.args[0], node.args[1]
            if (isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value.startswith("_")
                    and not name.value.startswith("__") and not (isinstance(owner, ast.Name) and owner.id in ("self", "cls"))):
                yield node.lineno, ast.unparse(node)


@pytest.mark.parametrize("top", ["core", "gui"])
def test_no_getattr_on_another_objects_private_members(top):
    found = [(str(path.relative_to(ROOT)), line, code) for path in python_files(top) for line, code in private_reaches(path)]
    assert found == [], "use a public method or the explicit TrainingState instead"


def test_negative_control_a_getattr_on_a_trainers_private_is_found(tmp_path):
    path = tmp_path / "reach.py"
    path.write_text("rng = getattr(trainer, '_order_rng', None)\nok = getattr(self, '_cache', None)\n")
    assert list(private_reaches(path)) == [(1, "getattr(trainer, '_order_rng', None)")]
