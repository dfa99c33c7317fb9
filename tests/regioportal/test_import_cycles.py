"""No module of the portal imports itself back through another module at import time."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["participants", "programmes", "regioportal", "reports", "subsidies"]


def _modules():
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _module_level_imports(name, path, modules):
    """The portal modules that ``name`` imports when it is loaded. Imports inside functions
    are left out: they run later, so they cannot deadlock a partly loaded module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    # Loading a submodule loads its packages first, except the importing module's own
    # packages: they are already being loaded when it runs (a package's modules import
    # each other freely).
    for module in list(found):
        while "." in module:
            module = module.rpartition(".")[0]
            if not name.startswith(f"{module}."):
                found.add(module)
    return {module for module in found if module in modules and module != name}


def _cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycles_between_modules():
    modules = _modules()
    graph = {name: _module_level_imports(name, path, modules) for name, path in modules.items()}

    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
