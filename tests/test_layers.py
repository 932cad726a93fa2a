"""The package is layered by pipeline stage: a stage imports only the stages below it.

Every `import` and `from ... import` in `booklet/` (at module level or inside a
function) is read with `ast`; an import of a higher stage, or a cycle between modules,
fails with the offending module named.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .helpers import ROOT

PACKAGE = ROOT / "booklet"

#: Stages from the bottom up; a module may import its own stage and those below it.
#: Top-level modules other than the CLI form the base every stage may use.
STAGES = ("base", "pdfua", "engine", "sandbox", "source", "authoring", "render", "pdf",
          "epub", "web", "build", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__init__", "__main__"):
        return "cli" if module.endswith("__main__") else "base"
    if parts[1] == "cli":
        return "cli"
    return parts[1] if parts[1] in STAGES else "base"


def imports(path: Path) -> set[str]:
    """The booklet modules a file imports (resolving relative imports)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if _is_type_checking(block)
                   for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in typing_only:  # imports for type hints only: no cycle at run time
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("booklet")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("booklet"):
                continue
            for alias in node.names:  # `from . import x` names a module
                candidate = f"{target}.{alias.name}"
                if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists() or \
                        (PACKAGE.parent / candidate.replace(".", "/")).is_dir():
                    found.add(candidate)
                else:
                    found.add(target)
    return found


def _is_type_checking(node: ast.AST) -> bool:
    """An `if TYPE_CHECKING:` block."""
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and \
        node.test.id == "TYPE_CHECKING"


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) - {module_name(p)} for p in PACKAGE.rglob("*.py")}


def test_stages_import_downwards() -> None:
    upward = []
    for module, targets in sorted(graph().items()):
        for target in sorted(targets):
            if target == "booklet":  # `from .. import __version__`
                continue
            if STAGES.index(stage(target)) > STAGES.index(stage(module)):
                upward.append(f"{module} ({stage(module)}) imports {target} ({stage(target)})")
    assert upward == []


def test_no_import_cycles() -> None:
    edges = graph()
    cycles = []

    def visit(node: str, path: list[str], seen: set[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target == path[0]:
                cycles.append(" -> ".join([*path, target]))
            elif target not in seen and target in edges and target > path[0]:
                seen.add(target)
                visit(target, [*path, target], seen)

    for start in sorted(edges):
        visit(start, [start], set())
    assert cycles == []
