"""The generator's layout is documented: README's module map names every module, and each
package's __init__ says what every one of its modules holds (issue 20 point 1)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "generator"


def modules() -> list[Path]:
    return sorted(p for p in GENERATOR.rglob("*.py") if p.name not in ("__init__.py", "__main__.py"))


def test_readme_module_map_names_every_module() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("Every module, by package") :]
    named = set(re.findall(r"`((?:[a-z_]+/)?[a-z_]+\.py)`", table))  # `stages/load.py`, `cli.py`
    missing = [rel for rel in (p.relative_to(GENERATOR).as_posix() for p in modules()) if rel not in named]
    assert not missing, f"README's module map does not name: {missing}"


def test_every_package_says_what_each_of_its_modules_holds() -> None:
    missing = []
    for init in sorted(GENERATOR.rglob("__init__.py")):
        if init.parent == GENERATOR:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        for module in sorted(init.parent.glob("*.py")):
            if module.name != "__init__.py" and f"`{module.stem}`" not in doc:
                missing.append(f"{init.relative_to(REPO)}: `{module.stem}`")
    assert not missing, f"package docstrings that do not name a module: {missing}"
