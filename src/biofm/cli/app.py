"""The Typer app every ``biofm`` command registers on, and what the commands share.

Every ``BiofmError`` becomes one red line and exit code 2 — a user never sees a traceback for a
problem they can fix.
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path
from typing import Any

import click
import typer
from rich.markup import escape
from rich.table import Table

from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.core.errors import BiofmError

PACKAGE = Path(__file__).resolve().parents[1]  # src/biofm
ENGINE_HELP = "torch, or an exported graph: onnx / onnx-int8 (see `biofm export`)."
app = typer.Typer(help="Adapt foundation models to molecules, DNA and clinical text.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
datasets_app = typer.Typer(help="Bundled datasets (offline, with licence and provenance).", no_args_is_help=True)
app.add_typer(datasets_app, name="datasets")


def main() -> None:
    """The ``biofm`` executable: the app, with Typer's usage errors (a missing option, a bad value) as the
    same one red line and exit code 2 as every other error, instead of a framed box."""
    try:
        code = app(standalone_mode=False)
    except click.ClickException as exc:
        message = " ".join(exc.format_message().split())
        if message:  # empty when `biofm` alone printed its help
            where = f" (see `{exc.ctx.command_path} --help`)" if getattr(exc, "ctx", None) else ""
            console.print("[bold red]error:[/] " + escape(message) + where, highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        console.print("[bold red]interrupted[/]")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def default(where: str, parameter: str) -> Any:
    """The library's own default for ``parameter`` of ``where`` ("module:function", or "module:Class" for a
    dataclass field): a CLI flag never restates it.

    Read from the module's source, not by importing it: every command imports its library only when it
    runs, so ``biofm --help`` and a mistyped flag answer in a second instead of loading torch first.  A
    default must be a literal or a module-level literal constant (a test compares each with ``inspect``)."""
    module, _, name = where.partition(":")
    tree = _source_tree(module)
    [found] = [node for node in tree.body if getattr(node, "name", None) == name]
    node = _declared_defaults(found)[parameter]
    if isinstance(node, ast.Name):  # a module constant, e.g. steps: int = IG_STEPS
        [node] = [n.value for n in tree.body if isinstance(n, ast.Assign)
                  and any(getattr(t, "id", None) == node.id for t in n.targets)]
    return ast.literal_eval(node)


@functools.cache
def _source_tree(module: str) -> ast.Module:
    """A biofm module's syntax tree, found by path (``importlib.util.find_spec`` would import its package)."""
    stem = PACKAGE.joinpath(*module.split(".")[1:])
    path = stem.with_suffix(".py") if stem.with_suffix(".py").exists() else stem / "__init__.py"
    return ast.parse(path.read_text(encoding="utf-8"))


def _declared_defaults(node: ast.FunctionDef | ast.ClassDef) -> dict[str, ast.expr]:
    """Each parameter's (or dataclass field's) default, as written."""
    if isinstance(node, ast.ClassDef):
        return {n.target.id: n.value for n in node.body if isinstance(n, ast.AnnAssign) and n.value}
    args = node.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    found = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True))
    return found | {a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None}


def friendly(command):
    """Turn user-fixable errors into a message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BiofmError as exc:
            # one line, as promised; escaped, so a SMILES like [nH] or a placeholder like [NAME] is not markup
            console.print("[bold red]error:[/] " + escape(" ".join(str(exc).split())), highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            console.print("[bold red]interrupted[/]")
            raise typer.Exit(130) from None

    return wrapper


def start_or_resume(command: str, config: Path | None, out: Path | None, set_: list[str] | None,
                     resume: Path | None, kind: type = RunConfig, folder: str = "run folder",
                     placeholder: str = "RUN_DIR"):
    """The config of a fresh start, or None when ``--resume FOLDER`` alone asks to continue one."""
    if resume is not None:
        if config or out or set_:
            raise BiofmError(f"--resume takes only the {folder}: its config.yaml is reused as it was")
        return None
    if config is None or out is None:
        raise BiofmError(f"{command} needs --config and --out (or --resume {placeholder})")
    return kind.from_file(config, set_ or [])


def show_metrics(metrics: dict, splits: tuple[str, ...] = ("val", "test")) -> None:
    """A table of the model's metrics per split, with the baseline's beside them."""
    parts = [p for p in splits if isinstance(metrics.get(p), dict)]
    baseline = metrics.get("baseline", {})
    columns = [f"model {p}" for p in parts] + [f"baseline {p}" for p in parts if p in baseline]
    table = Table("metric", *columns, title=baseline.get("name") and f"baseline: {baseline['name']}")
    keys = next((list(metrics[p]) for p in parts), [])
    for key in keys:
        if key == "per_task":
            continue
        values = [metrics[p].get(key) for p in parts] + [baseline[p].get(key) for p in parts if p in baseline]
        style = "bold" if key == metrics.get("primary_metric") else None
        table.add_row(key, *("—" if v is None else f"{v:.4f}" for v in values), style=style)
    console.print(table)
    for note in metrics.get("warnings", []) + baseline.get("warnings", []):
        console.print(f"[yellow]warning:[/] {note}")
    if metrics.get("verdict"):
        from biofm.trust.significance import blend_label, verdict_line

        console.print(verdict_line(metrics["verdict"], baseline.get("name", "baseline")), highlight=False)
        if blend := metrics.get("blend"):
            console.print(verdict_line(blend["verdict"], baseline.get("name", "baseline"), blend_label(blend)),
                          highlight=False)
