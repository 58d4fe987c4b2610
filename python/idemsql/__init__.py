"""idemsql: make SQL writes safe to run twice.

The Python API over the idemsql library (the same code as the ``idemsql`` command)::

    import idemsql

    out = idemsql.rewrite(sql, dialect="postgres", keys={"orders": ["order_id"]})
    out.sql          # every plain INSERT in its idempotent form, every other byte kept
    out.diagnostics  # why a statement was left as it was

Options are keyword arguments named as in ``idemsql.toml`` (``dialect``, ``strategy``,
``keys``, ``default_key``, ``partitions``, ``partition_values``, ``schema``,
``schema_files``, ``null_safe``, ``dedupe``, ``ignore``, ``severity``, ``python_calls``);
``config=`` reads them from an ``idemsql.toml`` or a ``pyproject.toml``'s ``[tool.idemsql]``
first, and the keyword arguments win. An unusable option raises ``ValueError`` naming it.

Positions (``start``, ``end``, ``column``) count characters, as ``str`` indexes: ``sql[d.start:d.end]``
is the text a diagnostic is about.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _native

__all__ = [
    "Diagnostic",
    "Edit",
    "Fix",
    "OPTION_NAMES",
    "Output",
    "check",
    "check_python",
    "dialects",
    "fix",
    "fix_python",
    "rewrite",
    "__version__",
]

__version__: str = _native.version()


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` (character offsets) with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    """The edits that resolve one diagnostic, and what applying them does."""

    message: str
    edits: Tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
    """One finding at one place: ``line`` and ``column`` are 1-based, ``start`` and ``end`` are
    character offsets into the text that was checked."""

    code: str
    name: str
    severity: str
    message: str
    help: Optional[str]
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    fix: Optional[Fix]
    url: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity} {self.code} {self.message}"


@dataclass(frozen=True)
class Output:
    """The result of :func:`rewrite` and :func:`fix`: the new text, the diagnostics, and the
    edits (in offsets of the input) that turn the input into ``sql``."""

    sql: str
    diagnostics: Tuple[Diagnostic, ...]
    edits: Tuple[Edit, ...]

    @property
    def changed(self) -> bool:
        """Whether any edit was made."""
        return bool(self.edits)

    @property
    def errors(self) -> Tuple[Diagnostic, ...]:
        """The diagnostics of severity ``error``: what ``idemsql check`` fails on."""
        return tuple(d for d in self.diagnostics if d.severity == "error")


PathLike = Union[str, "os.PathLike[str]"]


def rewrite(sql: str, *, config: Optional[PathLike] = None, **options: Any) -> Output:
    """Rewrite every plain INSERT of ``sql`` into its idempotent form; keep every other byte.

    Statements that cannot be made safe are left unchanged, each with a diagnostic that says
    why and how to fix it.
    """
    return _output(_native.rewrite(_text(sql, "sql"), _options(config, options)))


def check(sql: str, *, config: Optional[PathLike] = None, **options: Any) -> List[Diagnostic]:
    """Report every write in ``sql`` that is not safe to rerun, each with its fix when one exists."""
    found = json.loads(_native.check(_text(sql, "sql"), _options(config, options)))
    return [_diagnostic(d) for d in found]


def fix(sql: str, *, config: Optional[PathLike] = None, **options: Any) -> Output:
    """Apply every available fix (INSERT rewrites and DDL guards), as ``idemsql check --fix``
    does; the diagnostics are those that remain, positioned in the fixed text. A script with a
    statement idemsql could not read is not fixed at all."""
    return _output(_native.fix(_text(sql, "sql"), _options(config, options)))


def check_python(
    source: str, *, config: Optional[PathLike] = None, **options: Any
) -> List[Diagnostic]:
    """:func:`check` for the SQL strings of a Python module (``cursor.execute("...")``,
    ``sql=`` of Airflow operators, ...); positions are in the module's source."""
    found = json.loads(_native.check_python(_text(source, "source"), _options(config, options)))
    return [_diagnostic(d) for d in found]


def fix_python(source: str, *, config: Optional[PathLike] = None, **options: Any) -> Output:
    """:func:`fix` inside the plain string literals of a Python module; the module still parses."""
    return _output(_native.fix_python(_text(source, "source"), _options(config, options)))


def dialects() -> Dict[str, List[str]]:
    """Every dialect idemsql knows, with the strategies it can write for it."""
    return {d["name"]: list(d["strategies"]) for d in json.loads(_native.dialects())}


# ----- options in -----


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


# The option names, read from the library's own defaults so that the two cannot drift apart.
_DEFAULTS: Dict[str, Any] = json.loads(_native.config_options("", False))
OPTION_NAMES: Tuple[str, ...] = tuple(_snake(name) for name in _DEFAULTS)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value


def _options(config: Optional[PathLike], given: Dict[str, Any]) -> str:
    """The options as the JSON object the library reads: the config file's, then ``given``."""
    unknown = sorted(name for name in given if name not in OPTION_NAMES)
    if unknown:
        raise ValueError(
            f"unknown option `{unknown[0]}`; idemsql's options are: {', '.join(OPTION_NAMES)}"
        )
    merged: Dict[str, Any] = {}
    base = os.getcwd()
    if config is not None:
        merged, base = _read_config(config)
    for name, value in given.items():
        if value is not None:
            merged[_camel(name)] = value
    _read_schema_files(merged, base)
    return json.dumps(merged)


def _read_config(path: PathLike) -> Tuple[Dict[str, Any], str]:
    """The options a config file sets (only those that differ from the defaults, so that the
    keyword arguments can replace them one by one), and the folder its paths are relative to."""
    path = os.fspath(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    pyproject = os.path.basename(path) == "pyproject.toml"
    found = _native.config_options(text, pyproject)
    if found is None:
        raise ValueError(f"{path}: no [tool.idemsql] table")
    options = {k: v for k, v in json.loads(found).items() if v != _DEFAULTS.get(k)}
    return options, os.path.dirname(os.path.abspath(path))


def _read_schema_files(options: Dict[str, Any], base: str) -> None:
    """``schema_files`` are read here, as the CLI does (the library reads no files): relative to
    the config file, or to the working directory when given as an argument."""
    files = options.pop("schemaFiles", None)
    if not files:
        return
    if isinstance(files, (str, bytes)) or not isinstance(files, (list, tuple)):
        raise ValueError("invalid option `schema_files`: expected a list of paths")
    texts = [options.get("schema", "")] if options.get("schema") else []
    for name in files:
        with open(os.path.join(base, os.fspath(name)), encoding="utf-8") as f:
            texts.append(f.read())
    options["schema"] = "\n".join(texts)


# ----- results out -----


def _edit(e: Dict[str, Any]) -> Edit:
    return Edit(e["start"], e["end"], e["text"])


def _diagnostic(d: Dict[str, Any]) -> Diagnostic:
    fix = d["fix"]
    return Diagnostic(
        code=d["code"],
        name=d["name"],
        severity=d["severity"],
        message=d["message"],
        help=d["help"],
        line=d["line"],
        column=d["column"],
        end_line=d["end_line"],
        end_column=d["end_column"],
        start=d["start"],
        end=d["end"],
        fix=Fix(fix["message"], tuple(_edit(e) for e in fix["edits"])) if fix else None,
        url=d["url"],
    )


def _output(text: str) -> Output:
    out = json.loads(text)
    return Output(
        sql=out["sql"],
        diagnostics=tuple(_diagnostic(d) for d in out["diagnostics"]),
        edits=tuple(_edit(e) for e in out["edits"]),
    )
