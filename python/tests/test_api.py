"""The Python API: rewrite, check, fix, check_python, fix_python, options and their errors."""

from __future__ import annotations

import dataclasses
import textwrap
import threading
import time

import pytest

import idemsql

UPSERT = "INSERT INTO orders (order_id, total) VALUES (?, ?);"


def apply(text: str, edits) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.text + text[e.end :]
    return text


def test_rewrite_returns_the_upsert_and_its_edits():
    out = idemsql.rewrite(UPSERT, dialect="sqlite", keys={"orders": ["order_id"]})
    assert out.sql == (
        "INSERT INTO orders (order_id, total) VALUES (?, ?) ON CONFLICT (order_id) "
        "DO UPDATE SET total = EXCLUDED.total WHERE orders.total IS NOT EXCLUDED.total;"
    )
    assert out.changed and out.diagnostics == () and out.errors == ()
    assert apply(UPSERT, out.edits) == out.sql


def test_rewriting_the_output_again_changes_nothing():
    options = dict(dialect="postgres", keys={"orders": ["order_id"]})
    once = idemsql.rewrite(UPSERT, **options)
    twice = idemsql.rewrite(once.sql, **options)
    assert twice.sql == once.sql and not twice.changed


def test_results_are_typed_frozen_dataclasses():
    out = idemsql.rewrite("INSERT INTO t (a) VALUES (1);")
    assert isinstance(out, idemsql.Output)
    d = out.diagnostics[0]
    assert isinstance(d, idemsql.Diagnostic)
    assert (d.code, d.name, d.severity) == ("IDEM002", "missing-key", "error")
    assert (d.line, d.column) == (1, 1)
    assert d.help and "--key t=<column>" in d.help
    assert d.url.endswith("/docs/rules/missing-key.md")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.code = "X"  # type: ignore[misc]
    assert str(d).startswith("1:1: error IDEM002 ")


def test_positions_count_characters_as_str_indexes_do():
    sql = "-- Zoë's café load 😀\nINSERT INTO t (a) VALUES ('é');"
    [d] = [d for d in idemsql.check(sql, default_key=["a"]) if d.code == "IDEM001"]
    assert sql[d.start : d.end] == "INSERT INTO t (a) VALUES ('é')"
    assert (d.line, d.column, d.end_line, d.end_column) == (2, 1, 2, 31)
    fixed = apply(sql, d.fix.edits)
    assert fixed == idemsql.fix(sql, default_key=["a"]).sql
    assert fixed.startswith("-- Zoë's café load 😀\nINSERT INTO t (a) VALUES ('é') ON CONFLICT (a)")


def test_check_reports_every_unsafe_write_with_its_fix():
    sql = "CREATE TABLE t (a int PRIMARY KEY);\nINSERT INTO t (a) VALUES (1);\nUPDATE t SET a = a + 1;\n"
    found = idemsql.check(sql, dialect="postgres")
    codes = [d.code for d in found]
    assert codes == ["IDEM013", "IDEM001", "IDEM012"], codes
    assert found[0].fix and found[0].fix.message
    assert found[2].fix is None


def test_fix_applies_every_fix_and_reports_what_remains():
    sql = "CREATE TABLE t (a int PRIMARY KEY, b int);\nINSERT INTO t (a, b) VALUES (1, 2);\nUPDATE t SET b = b + 1;\n"
    out = idemsql.fix(sql, dialect="postgres")
    assert out.sql.startswith("CREATE TABLE IF NOT EXISTS t")
    assert "ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b" in out.sql
    assert [d.code for d in out.diagnostics] == ["IDEM012"]
    assert out.diagnostics[0].line == 3
    assert apply(sql, out.edits) == out.sql


def test_python_modules_are_read_and_fixed_in_their_strings():
    source = textwrap.dedent(
        '''\
        def load(cur, rows):
            cur.executemany("INSERT INTO orders (order_id, total) VALUES (%s, %s)", rows)
        '''
    )
    [d] = idemsql.check_python(source, keys={"orders": ["order_id"]})
    assert (d.code, d.line) == ("IDEM001", 2)
    assert source[d.start : d.end] == "INSERT INTO orders (order_id, total) VALUES (%s, %s)"
    out = idemsql.fix_python(source, keys={"orders": ["order_id"]})
    assert "VALUES (%s, %s) ON CONFLICT (order_id) DO UPDATE SET total = EXCLUDED.total" in out.sql
    compile(out.sql, "fixed.py", "exec")


def test_dialects_and_their_strategies():
    dialects = idemsql.dialects()
    assert "upsert" in dialects["postgres"]
    assert {"sqlite", "duckdb", "mysql", "mssql", "bigquery", "clickhouse"} <= set(dialects)


def test_option_names_are_those_of_idemsql_toml():
    assert idemsql.OPTION_NAMES == (
        "dialect", "strategy", "keys", "default_key", "partitions", "partition_values",
        "schema", "schema_files", "null_safe", "dedupe", "ignore", "severity", "python_calls",
    )


@pytest.mark.parametrize(
    "options, field",
    [
        ({"dialct": "postgres"}, "`dialct`"),
        ({"dialect": "postgress"}, "`dialect`"),
        ({"strategy": "replace"}, "`strategy`"),
        ({"keys": {"orders": "order_id"}}, "`keys.orders`"),
        ({"keys": {"orders": []}}, "`keys`"),
        ({"default_key": ["a b c"]}, "`default_key`"),
        ({"partition_values": {"d": []}}, "`partition_values`"),
        ({"null_safe": "yes"}, "`null_safe`"),
        ({"dedupe": "newest"}, "`dedupe`"),
        ({"ignore": ["IDEM999"]}, "`ignore`"),
        ({"severity": {"IDEM001": "fatal"}}, "`severity.IDEM001`"),
        ({"schema_files": "schema.sql"}, "`schema_files`"),
    ],
)
def test_option_errors_raise_value_error_naming_the_field(options, field):
    with pytest.raises(ValueError) as e:
        idemsql.rewrite("SELECT 1;", **options)
    assert field in str(e.value), str(e.value)


def test_wrong_argument_types_raise_type_error():
    with pytest.raises(TypeError):
        idemsql.rewrite(b"INSERT INTO t VALUES (1)")  # type: ignore[arg-type]


def test_none_means_the_default():
    assert idemsql.rewrite(UPSERT, dialect=None, keys=None).sql == idemsql.rewrite(UPSERT).sql


def test_options_from_idemsql_toml_with_arguments_winning(tmp_path):
    (tmp_path / "schema.sql").write_text("CREATE TABLE orders (order_id int PRIMARY KEY, total int);")
    config = tmp_path / "idemsql.toml"
    config.write_text('dialect = "mysql"\nschema_files = ["schema.sql"]\n')
    out = idemsql.rewrite(UPSERT.replace("?", "%s"), config=config)
    assert "AS new ON DUPLICATE KEY UPDATE total = new.total" in out.sql, out
    out = idemsql.rewrite(UPSERT, config=str(config), dialect="sqlite")
    assert "ON CONFLICT (order_id)" in out.sql


def test_options_from_pyproject_toml(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "etl"\n\n[tool.idemsql]\ndialect = "sqlite"\n[tool.idemsql.keys]\norders = ["order_id"]\n')
    assert "ON CONFLICT (order_id)" in idemsql.rewrite(UPSERT, config=pyproject).sql
    pyproject.write_text('[project]\nname = "etl"\n')
    with pytest.raises(ValueError, match=r"no \[tool.idemsql\] table"):
        idemsql.rewrite(UPSERT, config=pyproject)
    bad = tmp_path / "idemsql.toml"
    bad.write_text("dialect = 3\n")
    with pytest.raises(ValueError, match="dialect"):
        idemsql.rewrite(UPSERT, config=bad)


def test_a_multi_megabyte_script():
    rows = ",\n".join(f"({i}, 'clienté {i}', {i % 97}.50)" for i in range(200))
    statement = f"INSERT INTO orders (order_id, customer, total) VALUES\n{rows};\n"
    sql = statement * 800
    assert len(sql) > 4_000_000
    start = time.perf_counter()
    out = idemsql.rewrite(sql, keys={"orders": ["order_id"]}, dedupe="last")
    seconds = time.perf_counter() - start
    assert out.sql.count("ON CONFLICT (order_id) DO UPDATE SET") == 800
    assert len(out.edits) == 800
    assert out.edits[-1].start == len(sql) - 2  # character offsets, before the last `;`
    assert seconds < 60, f"{seconds:.1f} s"


def test_other_threads_run_while_a_rewrite_works():
    sql = "INSERT INTO t (a) VALUES (1);\n" * 30_000
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.perf_counter()
        idemsql.rewrite(sql, default_key=["a"])
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    during = [x for x in ticks if start < x < end]
    # The GIL is released while the library works: the other thread kept ticking.
    assert end - start < 0.05 or len(during) > 5, (end - start, len(during))


def test_bad_input_never_crashes_the_interpreter():
    for sql in ["", "\x00", "INSERT INTO", "'" * 1000, "(" * 100_000, "INSERT INTO t VALUES (" + "1," * 10_000]:
        idemsql.check(sql)
        idemsql.fix(sql)
    idemsql.check_python("def (:")
