"""The command line: argument parsing, one call into the generator per command, and the one place
that turns an error into a message and an exit code.

Exit codes (see generator/errors.py): 0 success, 1 the sources have problems (listed as file:line),
2 the build or the command itself failed (a template or MkDocs error, a bad argument, a file that
exists) or something unexpected happened (one line; `--debug` prints the traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from generator import pipeline
from generator.commands.changed import changed_files, check_changed
from generator.commands.scaffold import write_scaffold
from generator.config import load_config
from generator.errors import BuildError, HandbookError
from generator.speed import Speed


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    root = Path(args.root).resolve()
    try:
        return int(args.run(args, root) or 0)
    except Exception as e:  # noqa: BLE001 - every failure ends here: one message and its exit code
        return _failed(e, debug=args.debug)


def _failed(error: Exception, debug: bool) -> int:
    """Say on stderr what went wrong and return the exit code: the handbook's own errors in their
    own words, anything else (a bug, a full disk...) in one line; the traceback only under --debug."""
    if debug:
        traceback.print_exception(error)
    if isinstance(error, HandbookError):
        print(error.report(), file=sys.stderr)
        return error.exit_code
    first = next(iter(str(error).strip().splitlines()), "")
    hint = "" if debug else " Run again with --debug for the traceback."
    print(f"handbook: unexpected error ({type(error).__name__}: {first}).{hint}", file=sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="handbook", description="Build and check the evidence handbook.")
    p.add_argument("--root", default=".", help="the project folder (default: the current folder)")
    p.add_argument("-v", "--verbose", action="store_true", help="say what each stage did")
    p.add_argument("--debug", action="store_true", help="on an error, also print the Python traceback")
    sub = p.add_subparsers(required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="check the sources, generate the pages and build site/")
    build.add_argument(
        "--drafts", action="store_true", help="include draft case studies (shown with a banner); never for publishing"
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="read and keep no cache in build/, run in one process (same site, slower)",
    )
    build.set_defaults(run=_build)
    sub.add_parser(
        "offline", help="build the offline edition: dist/handbook-offline.zip, also copied into site/assets/"
    ).set_defaults(run=_offline)
    serve = sub.add_parser("serve", help="preview the site, regenerating when a source changes")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.add_argument(
        "--dirty",
        action="store_true",
        help="after the first build, rebuild only the pages the generator rewrote (much quicker for a "
        "large handbook). MkDocs warns that a dirty build's navigation may be stale, so the preview is "
        "not strict; its search holds only the rebuilt pages. `handbook build` stays strict.",
    )
    serve.set_defaults(run=_serve)
    check = sub.add_parser("check", help="validate every source and cross-reference; writes nothing")
    check.add_argument(
        "--changed",
        nargs="?",
        const="origin/main",
        metavar="BASE",
        help="report only problems in files changed since BASE (git), plus references into and out of them",
    )
    check.set_defaults(run=_check)
    diff = sub.add_parser(
        "diff",
        help="what the working tree changes since a git revision: records and the pages they affect, as Markdown",
    )
    diff.add_argument("base", metavar="BASE", help="the git revision to compare with, e.g. origin/main")
    diff.set_defaults(run=_diff)
    links = sub.add_parser("linkcheck", help="list every internal link or anchor in a built SITE that leads nowhere")
    links.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    links.set_defaults(run=_linkcheck)
    edition = sub.add_parser("edition", help="dated editions published beside the current handbook")
    steps = edition.add_subparsers(required=True, metavar="STEP")
    cut = steps.add_parser("cut", help="build edition NAME into SITE/editions/NAME/ and list it in SITE/versions.json")
    cut.add_argument("name", metavar="NAME", help="YEAR.NUMBER, e.g. 2027.1")
    cut.add_argument("--rev", help="the git revision to build (default: the working tree), e.g. edition-2027.1")
    cut.add_argument("--into", default="site", help="the built site to add it to (default: site)")
    cut.set_defaults(run=_edition_cut)
    listing = steps.add_parser("list", help="rewrite SITE/versions.json from the editions in SITE and print them")
    listing.add_argument("--into", default="site", help="the built site (default: site)")
    listing.set_defaults(run=_edition_list)
    sub.add_parser("schemas", help="write the JSON Schemas in schemas/ from the models").set_defaults(run=_schemas)
    new = sub.add_parser("new", help="scaffold a new record with every field explained")
    new.add_argument("kind", choices=["case-study"], help="what to create")
    new.add_argument("id", help="the new record's id: lowercase words joined by hyphens")
    new.set_defaults(run=_new)
    return p


def _build(args: argparse.Namespace, root: Path) -> int:
    result = pipeline.build(load_config(root, drafts=args.drafts, cache=not args.no_cache))
    print(
        f"Built site/ from {sum(len(v) for v in result.index.records.values())} records "
        f"({len(result.written)} pages changed)."
    )
    return 0


def _offline(args: argparse.Namespace, root: Path) -> int:
    from generator.output.offline import build_offline

    path = build_offline(load_config(root))
    print(f"Wrote {path.relative_to(root) if path.is_relative_to(root) else path}: unzip it and open index.html.")
    return 0


def _serve(args: argparse.Namespace, root: Path) -> int:
    import os
    import subprocess

    pipeline.generate(load_config(root, drafts=True))  # a preview shows drafts, each with its banner
    env = {**os.environ, "HANDBOOK_SERVE": "1", "HANDBOOK_DRAFTS": "1", "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "--dev-addr", args.dev_addr]
    return subprocess.call(cmd + (["--dirty", "--no-strict"] if args.dirty else []), cwd=root, env=env)


def _check(args: argparse.Namespace, root: Path) -> int:
    if args.changed:
        files = changed_files(root, args.changed)
        count = check_changed(root, files)
        print(f"OK: {len(files)} changed file(s) and {count} record(s) that refer to them are valid.")
        return 0
    # records of files unchanged since the last build come from its cache (read, never written)
    index = pipeline.check(root, Speed(root / "build", read_only=True))
    print(f"OK: {sum(len(v) for v in index.records.values())} records are valid and every reference resolves.")
    return 0


def _diff(args: argparse.Namespace, root: Path) -> int:
    from generator.commands.diff import diff

    sys.stdout.write(diff(root, args.base))
    return 0


def _linkcheck(args: argparse.Namespace, root: Path) -> int:
    from generator.commands.linkcheck import broken_links

    site = (root / args.site).resolve()
    if not site.is_dir():
        raise FileNotFoundError(f"{site}: no built site here. Run `handbook build` first.")
    broken = broken_links(site)
    print("\n".join(broken) if broken else f"Every internal link and anchor in {args.site}/ resolves.")
    return 1 if broken else 0


def _edition_cut(args: argparse.Namespace, root: Path) -> int:
    from generator.commands.editions import cut

    target = cut(root, args.name, (root / args.into).resolve(), args.rev)
    print(f"Edition {args.name} is in {target}; {args.into}/versions.json lists it.")
    return 0


def _edition_list(args: argparse.Namespace, root: Path) -> int:
    from generator.commands.editions import versions, write_versions

    site = (root / args.into).resolve()
    if not site.is_dir():
        raise BuildError(f"{site}: no built site here. Run `handbook build` first.")
    write_versions(site)
    for entry in versions(site):
        print(f"{entry['version']}: {entry['title']}")
    return 0


def _schemas(args: argparse.Namespace, root: Path) -> int:
    from generator.records.schemas import write_schemas

    changed = write_schemas(root)
    print(f"schemas/: {len(changed)} file(s) updated." if changed else "schemas/ is up to date.")
    return 0


def _new(args: argparse.Namespace, root: Path) -> int:
    path = write_scaffold(root, args.kind, args.id)
    print(f"Wrote {path.relative_to(root)}. Fill in each field (the comments explain them), then run `handbook check`.")
    return 0
