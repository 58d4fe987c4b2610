# Type stubs of the idemsql package (idemsql/__init__.py).
import os
from dataclasses import dataclass
from typing import Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union

from typing_extensions import TypedDict, Unpack

__version__: str
OPTION_NAMES: Tuple[str, ...]

Dialect = Literal[
    "postgres", "mysql", "mariadb", "sqlite", "duckdb", "mssql", "oracle", "snowflake",
    "bigquery", "redshift", "databricks", "spark", "hive", "clickhouse", "trino",
]
Strategy = Literal["auto", "upsert", "ignore", "merge", "overwrite"]
SeverityName = Literal["info", "warning", "error"]
PathLike = Union[str, os.PathLike[str]]

class Options(TypedDict, total=False):
    """The keys of ``idemsql.toml``."""

    dialect: Dialect
    strategy: Strategy
    keys: Mapping[str, Sequence[str]]
    default_key: Sequence[str]
    partitions: Mapping[str, Sequence[str]]
    partition_values: Mapping[str, Sequence[str]]
    schema: str
    schema_files: Sequence[PathLike]
    null_safe: bool
    dedupe: Literal["first", "last"]
    ignore: Sequence[str]
    severity: Mapping[str, SeverityName]
    python_calls: Sequence[str]

@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str

@dataclass(frozen=True)
class Fix:
    message: str
    edits: Tuple[Edit, ...]

@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: SeverityName
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

@dataclass(frozen=True)
class Output:
    sql: str
    diagnostics: Tuple[Diagnostic, ...]
    edits: Tuple[Edit, ...]
    @property
    def changed(self) -> bool: ...
    @property
    def errors(self) -> Tuple[Diagnostic, ...]: ...

def rewrite(sql: str, *, config: Optional[PathLike] = ..., **options: Unpack[Options]) -> Output: ...
def check(sql: str, *, config: Optional[PathLike] = ..., **options: Unpack[Options]) -> List[Diagnostic]: ...
def fix(sql: str, *, config: Optional[PathLike] = ..., **options: Unpack[Options]) -> Output: ...
def check_python(source: str, *, config: Optional[PathLike] = ..., **options: Unpack[Options]) -> List[Diagnostic]: ...
def fix_python(source: str, *, config: Optional[PathLike] = ..., **options: Unpack[Options]) -> Output: ...
def dialects() -> Dict[str, List[str]]: ...
