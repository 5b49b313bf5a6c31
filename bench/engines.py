"""The engine's future: build the handbook with MkDocs (the default), ProperDocs and Zensical, and
report what each produced. Slow (it creates two virtual environments), so not part of `./run test`:

    .venv/bin/python -m bench.engines [--work DIR] [--zensical 0.0.60] [--properdocs 1.6.7]

ProperDocs and Zensical are installed into throwaway virtual environments under the work folder
(never into .venv). ProperDocs gets Material without MkDocs (`--no-deps` plus Material's own
dependencies): ProperDocs answers Material's `import mkdocs...`. Every engine builds the same
generated Markdown (build/docs of a copy of this project); the figures are printed as a
Markdown table for docs/engines.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MATERIAL_DEPS = (
    "babel",
    "backrefs",
    "colorama",
    "mkdocs-material-extensions",
    "paginate",
    "pygments",
    "pymdown-extensions",
    "requests",
)
CASE_PAGE = "cases/highlands/index.html"  # a case page with charts and the theme override


@dataclass
class Outcome:
    engine: str
    variant: str
    status: int
    seconds: float
    pages: int
    override: bool  # the print header from site_templates/overrides/main.html is on the case page
    charts: bool  # the case page loads assets/charts.js
    search: bool  # a search index was written
    same_as_mkdocs: str  # how many HTML pages are byte-identical to MkDocs' output
    message: str  # the first error line, if any


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, help="folder for the virtual environments and the project copy")
    p.add_argument("--properdocs", default="1.6.7")
    p.add_argument("--zensical", default="0.0.60", help="0.0.61 and later need zensical-ui, not in the registry here")
    args = p.parse_args(argv)
    work = (args.work or Path(tempfile.mkdtemp(prefix="handbook-engines-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    project = generate(work / "project")
    material = metadata.version("mkdocs-material")
    pd = venv(
        work / "venv-properdocs", [f"properdocs=={args.properdocs}", *MATERIAL_DEPS], [f"mkdocs-material=={material}"]
    )
    zs = venv(work / "venv-zensical", [f"zensical=={args.zensical}"])
    runs = [
        ("mkdocs", "as configured", [sys.executable, "-m", "mkdocs", "build", "--strict"], {}),
        ("properdocs", "as configured", [str(pd / "properdocs"), "build", "--strict"], {}),
        ("zensical", "as configured", [str(zs / "zensical"), "build", "--strict"], {}),
        (
            "zensical",
            "override without its header block",
            [str(zs / "zensical"), "build", "--strict"],
            {"header_block": False},
        ),
        (
            "zensical",
            "without custom_dir and hook",
            [str(zs / "zensical"), "build", "--strict"],
            {"custom_dir": False, "hooks": False},
        ),
    ]
    outcomes: list[Outcome] = []
    for engine, variant, cmd, drop in runs:
        outcomes.append(build_with(project, engine, variant, cmd, drop, outcomes[0] if outcomes else None))
    print(table(outcomes, args, material))
    return 0


def generate(project: Path) -> Path:
    """A copy of this project with its pages generated (build/docs), as `handbook build` would."""
    if not project.exists():
        project.mkdir(parents=True)
        for name in ("casestudies", "content", "toolkit"):
            shutil.copytree(REPO / name, project / name)
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        for name in ("site_templates", "generator"):
            (project / name).symlink_to(REPO / name)
    from generator.config import load_config
    from generator.pipeline import generate as run_generator

    run_generator(load_config(project))
    return project


def venv(folder: Path, packages: list[str], no_deps: tuple[str, ...] | list[str] = ()) -> Path:
    """A virtual environment with `packages` (and `no_deps` without their dependencies); its bin/."""
    if not (folder / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + packages, check=True)
    if no_deps:
        subprocess.run(pip + ["--no-deps", *no_deps], check=True)
    return folder / "bin"


def config_for(project: Path, name: str, drop: dict[str, bool]) -> Path:
    """mkdocs.yml with the output in `out-<name>/`, and without custom_dir / hooks if asked."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_dir: .*$", f"site_dir: out-{name}", text)
    if "custom_dir" in drop:
        text = re.sub(r"(?m)^  custom_dir: .*\n", "", text)
    if "hooks" in drop:
        text = re.sub(r"(?m)^hooks:\n(  - .*\n)+", "", text)
    if "header_block" in drop:  # a copy of the override without `{% block header %}` (super() in a set block)
        overrides = project / "overrides-no-header"
        shutil.rmtree(overrides, ignore_errors=True)
        shutil.copytree(project / "site_templates" / "overrides", overrides)
        main = overrides / "main.html"
        main.write_text(
            re.sub(r"(?s)\{% block header %\}.*?\{% endblock %\}\n", "", main.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
        text = re.sub(r"(?m)^  custom_dir: .*$", "  custom_dir: overrides-no-header", text)
    path = project / f"mkdocs-{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build_with(
    project: Path, engine: str, variant: str, cmd: list[str], drop: dict[str, bool], baseline: Outcome | None
) -> Outcome:
    name = engine + ("-" + "-".join(sorted(drop)) if drop else "")
    config = config_for(project, name, drop)
    out = project / f"out-{name}"
    shutil.rmtree(out, ignore_errors=True)
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "SOURCE_DATE_EPOCH": "1199145600",
    }
    started = time.perf_counter()
    proc = subprocess.run([*cmd, "-f", str(config)], cwd=project, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
    errors = [ln for ln in lines if re.search(r"error|warning|aborted", ln, re.I) and "Traceback" not in ln]
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) if out.is_dir() else []
    case = (out / CASE_PAGE).read_text(encoding="utf-8") if (out / CASE_PAGE).is_file() else ""
    same = ""
    if baseline is not None and pages:
        ref = project / "out-mkdocs"
        equal = sum((ref / p).is_file() and _comparable(ref / p) == _comparable(out / p) for p in pages)
        same = f"{equal} of {len(pages)}"
    status = proc.returncode if proc.returncode else (0 if pages else -1)
    message = (errors or lines[-1:] or [""])[0].strip() if proc.returncode or not pages else ""
    search = out.is_dir() and (any((out / "search").glob("*.json")) or (out / "search.json").is_file())
    return Outcome(
        engine,
        variant,
        status,
        seconds,
        len(pages),
        "hb-print-header" in case,
        "assets/charts.js" in case,
        search,
        same,
        message[:200],
    )


def _comparable(path: Path) -> bytes:
    """A page's bytes without the generator's name and version (<meta name="generator">)."""
    return re.sub(rb'<meta name="generator" content="[^"]*">', b"", path.read_bytes())


def table(outcomes: list[Outcome], args: argparse.Namespace, material: str) -> str:
    rows = [
        f"Engines on this handbook (properdocs {args.properdocs}, zensical {args.zensical}, "
        f"mkdocs-material {material}, {os.cpu_count()} CPUs)",
        "",
        "| engine | configuration | exit | seconds | HTML pages | theme override | charts script | search index "
        "| pages identical to MkDocs' | first error |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        rows.append(
            f"| {o.engine} | {o.variant} | {o.status} | {o.seconds:.1f} | {o.pages} | {'yes' if o.override else 'no'} "
            f"| {'yes' if o.charts else 'no'} | {'yes' if o.search else 'no'} | {o.same_as_mkdocs or '-'} "
            f"| {o.message.replace('|', '/') or '-'} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
