#!/usr/bin/env python3
"""Check SQL statements written by idemsql with sqlglot; used by tests/sqlglot_validate.rs.

stdin:  a JSON array of {"target": "<idemsql dialect>", "dialect": "<sqlglot dialect>",
        "sql": "<one statement, without its terminator>", "terminated": <bool: a `;` follows>}
stdout: a JSON array, one entry per input, in order: {"ok": true} or
        {"ok": false, "error": "<why>"}

Two layers:
1. Parse. sqlglot reads the statement in its dialect with error_level=RAISE. It is rejected
   when sqlglot raises, when it parses into no statement or several, or when it falls back to
   an opaque `Command` (sqlglot parses anything that way, so that proves nothing).
2. Dialect rules. sqlglot, like sqlparser, reads many forms a database rejects (ON CONFLICT in
   MySQL, MERGE in SQLite, `AS` aliases in Oracle). The rules below check the parsed tree (and
   the tokens, where the tree forgets a detail) against what the target database documents;
   each cites `shared/design/dialects.md` (section or trap number) or the vendor's page.

Exit status 3 when sqlglot is missing, so the Rust test can say what to install.
"""
import json
import logging
import re
import sys

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, SqlglotError
    from sqlglot.tokens import TokenType
except ImportError as e:  # pragma: no cover - reported by the Rust test
    print(f"sqlglot is not installed ({e}); run `pip install sqlglot==30.30.0`", file=sys.stderr)
    sys.exit(3)

ANSI = re.compile(r"\x1b\[[0-9;]*m")

MERGE_DIALECTS = {
    "postgres", "duckdb", "snowflake", "bigquery", "mssql", "oracle", "databricks", "spark",
    "hive", "redshift", "trino",
}
ON_CONFLICT_DIALECTS = {"postgres", "sqlite", "duckdb"}
ODKU_DIALECTS = {"mysql", "mariadb"}
# `a <=> b` (dialects.md §15).
SPACESHIP_DIALECTS = {"mysql", "mariadb", "databricks", "spark", "hive"}
# `a IS NOT DISTINCT FROM b` (dialects.md §15; SQL Server only from 2022, which idemsql does not assume).
IS_DISTINCT_DIALECTS = {"postgres", "duckdb", "snowflake", "bigquery", "trino", "databricks", "spark", "sqlite"}
# Dialects without transaction statements, where idemsql must write none (dialects.md §0, trap 21).
NO_TRANSACTION_STATEMENTS = {"hive", "databricks", "spark", "trino", "clickhouse"}
# Dialects whose MERGE/ON CONFLICT SET targets must be unqualified (trap 5).
UNQUALIFIED_SET = {"postgres", "redshift", "hive", "sqlite", "duckdb"}


class Fallbacks(logging.Handler):
    """Collect sqlglot's warnings ("Falling back to parsing as a 'Command'", ...)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def parse(dialect, sql):
    handler = Fallbacks()
    logger = logging.getLogger("sqlglot")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        trees = [t for t in sqlglot.parse(sql, read=dialect, error_level=ErrorLevel.RAISE) if t is not None]
    finally:
        logger.removeHandler(handler)
    if len(trees) != 1:
        raise ValueError(f"parsed into {len(trees)} statements, expected 1")
    if any(True for _ in trees[0].find_all(exp.Command)):
        why = "; ".join(handler.messages) or "sqlglot parsed it as an opaque Command"
        raise ValueError(f"not understood (Command fallback): {why}")
    return trees[0]


def top_level_tokens(tokens):
    """(index, token) pairs outside any parentheses."""
    depth = 0
    for i, t in enumerate(tokens):
        if t.token_type == TokenType.L_PAREN:
            depth += 1
        elif t.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0:
            yield i, t


def merge_rules(target, tree, tokens, terminated):
    errors = []
    for m in tree.find_all(exp.Merge):
        if target not in MERGE_DIALECTS:
            errors.append(f"{target} has no MERGE statement (dialects.md §0)")
            continue
        tgt = m.this
        src = m.args.get("using")
        whens = [w for w in (m.args.get("whens").expressions if m.args.get("whens") else [])]
        # Target columns named in ON: a MERGE must not update them (trap 8).
        tgt_names = {tgt.alias_or_name.lower()} if isinstance(tgt, exp.Table) else set()
        on_cols = {
            c.name.lower()
            for c in m.args["on"].find_all(exp.Column)
            if c.table and c.table.lower() in tgt_names
        }
        for w in whens:
            then = w.args.get("then")
            if isinstance(then, exp.Update):
                for eq in then.expressions:
                    left = eq.this
                    if isinstance(left, exp.Column):
                        if left.name.lower() in on_cols:
                            errors.append(f"MERGE updates key column `{left.name}`, which its ON compares (trap 8)")
                        if left.table and target in UNQUALIFIED_SET:
                            errors.append(f"{target} MERGE SET targets must be unqualified: `{left.sql()}` (trap 5)")
            if w.args.get("source") and not w.args.get("condition") and isinstance(then, exp.Var) and then.name.upper() == "DELETE":
                errors.append("WHEN NOT MATCHED BY SOURCE THEN DELETE without a condition deletes every other row (trap 17)")
            if w.args.get("source") and target == "trino":
                errors.append("Trino MERGE has no WHEN NOT MATCHED BY SOURCE (dialects.md §14)")
        if target == "redshift":
            # r_MERGE: MERGE INTO target_table USING source_table [[AS] alias]: no target alias,
            # a table (not a subquery) as source, one MATCHED and one NOT MATCHED arm.
            if isinstance(tgt, exp.Table) and tgt.alias:
                errors.append("Redshift MERGE takes no target alias (dialects.md §12)")
            if not isinstance(src, exp.Table):
                errors.append(
                    "Redshift MERGE reads a table, not a subquery or VALUES: \"source_table: the temporary or "
                    "permanent table supplying the rows\" (https://docs.aws.amazon.com/redshift/latest/dg/r_MERGE.html)"
                )
            if len(whens) != 2:
                errors.append("Redshift MERGE needs exactly one WHEN MATCHED and one WHEN NOT MATCHED arm (dialects.md §12)")
        if target == "oracle":
            if not isinstance(m.args["on"], exp.Paren):
                errors.append("Oracle MERGE needs ON ( condition ) in parentheses (trap 7)")
            # The tree forgets `AS`; look at the tokens before USING and before ON.
            top = list(top_level_tokens(tokens))
            for i, (_, t) in enumerate(top):
                if t.token_type in (TokenType.USING, TokenType.ON) and i >= 2 and top[i - 2][1].token_type == TokenType.ALIAS:
                    errors.append("Oracle table aliases take no AS (trap 7)")
        if target == "mssql":
            hints = tgt.args.get("hints") or []
            if not any("HOLDLOCK" in h.sql().upper() for h in hints):
                errors.append("SQL Server MERGE needs WITH (HOLDLOCK) on the target (trap 10)")
            if not terminated:
                errors.append("SQL Server MERGE must end with `;` (trap 9, error 10713)")
        if target == "bigquery" and isinstance(src, exp.Values):
            errors.append("BigQuery has no VALUES table constructor; use SELECT ... UNION ALL (dialects.md §7)")
    return errors


def insert_rules(target, tree, tokens):
    errors = []
    for ins in tree.find_all(exp.Insert):
        conflict = ins.args.get("conflict")
        if conflict is not None:
            if conflict.args.get("duplicate"):
                if target not in ODKU_DIALECTS:
                    errors.append(f"{target} has no ON DUPLICATE KEY UPDATE")
            else:
                if target not in ON_CONFLICT_DIALECTS:
                    errors.append(f"{target} has no ON CONFLICT")
                action = (conflict.args.get("action") or exp.Var(this="")).name.upper()
                if target == "postgres" and "UPDATE" in action and not conflict.args.get("conflict_keys") and not conflict.args.get("constraint"):
                    errors.append("PostgreSQL ON CONFLICT DO UPDATE needs a conflict target (trap 4)")
                for eq in conflict.expressions:
                    if isinstance(eq.this, exp.Column) and eq.this.table:
                        errors.append(f"ON CONFLICT SET targets must be unqualified: `{eq.this.sql()}` (trap 5)")
                src = ins.expression
                if target == "sqlite" and isinstance(src, exp.Select) and src.args.get("from_") and not src.args.get("where") \
                        and not src.args.get("group") and not src.args.get("order") and not src.args.get("limit"):
                    errors.append("SQLite reads `SELECT ... FROM t ON CONFLICT` as a join; add WHERE true (trap 6)")
            values = ins.expression
            if target == "mariadb" and isinstance(values, exp.Values) and values.alias:
                errors.append("MariaDB has no row alias `VALUES (...) AS new` (trap 12)")
        if ins.args.get("overwrite"):
            table = ins.this if isinstance(ins.this, exp.Table) else ins.this.find(exp.Table)
            part = table.args.get("partition") if table is not None else None
            if target == "snowflake":
                errors.append("Snowflake INSERT OVERWRITE truncates the whole table (trap 18)")
            elif part is None:
                errors.append("INSERT OVERWRITE without PARTITION replaces the whole table (trap 18)")
            elif any(not isinstance(p, exp.EQ) for p in part.expressions):
                errors.append("INSERT OVERWRITE with a dynamic partition column can replace partitions it does not write (trap 18)")
    return errors


def other_rules(target, tree, tokens, sql):
    errors = []
    for d in tree.find_all(exp.Delete):
        if not d.args.get("where"):
            errors.append("DELETE without WHERE deletes every partition, not the ones written (trap 16)")
    if isinstance(tree, (exp.Transaction, exp.Commit, exp.Rollback)) and target in NO_TRANSACTION_STATEMENTS:
        errors.append(f"{target} has no transaction statements for idemsql to write (trap 21)")
    if isinstance(tree, exp.Transaction) and target == "oracle":
        # Oracle starts transactions implicitly and ends them with COMMIT; BEGIN opens a PL/SQL block.
        errors.append("Oracle has no BEGIN/START TRANSACTION; BEGIN opens a PL/SQL block (trap 21)")
    if isinstance(tree, exp.Transaction) and target in ("snowflake", "bigquery") and sql.strip().upper() == "BEGIN":
        errors.append("in Snowflake and BigQuery a bare BEGIN opens a script block; write BEGIN TRANSACTION (trap 21)")
    if target == "hive":
        for sub in tree.find_all(exp.Subquery):
            if sub.this is not None and (sub.this.args.get("with_") or sub.this.args.get("with")):
                errors.append(
                    "Hive does not accept WITH inside a subquery (\"The WITH clause is not supported within SubQuery "
                    "Blocks\", https://hive.apache.org/docs/latest/language/common-table-expression)"
                )
    for node in tree.find_all(exp.Var, exp.Column):
        is_default = (isinstance(node, exp.Var) and node.name.upper() == "DEFAULT") or (
            isinstance(node, exp.Column) and not node.table and node.name.upper() == "DEFAULT"
            and not node.this.args.get("quoted")
        )
        if not is_default:
            continue
        parent = node.parent
        while parent is not None and not isinstance(parent, (exp.Values, exp.Select, exp.Update)):
            parent = parent.parent
        in_insert_values = isinstance(parent, exp.Values) and isinstance(parent.parent, exp.Insert)
        if not in_insert_values and not isinstance(parent, exp.Update):
            errors.append(
                "DEFAULT is only allowed in INSERT ... VALUES, not in a derived table or SELECT (PostgreSQL: \"DEFAULT "
                "is not allowed in this context\"; https://docs.snowflake.com/sql-reference/constructs/values)"
            )
            break
    kinds = [t.token_type for t in tokens]
    if TokenType.NULLSAFE_EQ in kinds and target not in SPACESHIP_DIALECTS:
        errors.append(f"{target} has no `<=>` (dialects.md §15)")
    for i in range(len(tokens) - 3):
        if (kinds[i], kinds[i + 1], kinds[i + 2]) == (TokenType.IS, TokenType.NOT, TokenType.DISTINCT) \
                and target not in IS_DISTINCT_DIALECTS:
            errors.append(f"{target} has no IS NOT DISTINCT FROM (dialects.md §15)")
            break
    return errors


def check(item):
    target, dialect, sql = item["target"], item["dialect"], item["sql"]
    try:
        tree = parse(dialect, sql)
        tokens = sqlglot.tokenize(sql, read=dialect)
    except (SqlglotError, ValueError) as e:
        return {"ok": False, "error": ANSI.sub("", f"{type(e).__name__}: {e}")}
    except Exception as e:  # sqlglot bugs surface as other exceptions; report them too
        return {"ok": False, "error": ANSI.sub("", f"{type(e).__name__}: {e}")}
    errors = (
        merge_rules(target, tree, tokens, item.get("terminated", False))
        + insert_rules(target, tree, tokens)
        + other_rules(target, tree, tokens, sql)
    )
    if errors:
        return {"ok": False, "error": "; ".join(dict.fromkeys(errors))}
    return {"ok": True}


def main():
    items = json.load(sys.stdin)
    json.dump([check(i) for i in items], sys.stdout)


if __name__ == "__main__":
    main()
