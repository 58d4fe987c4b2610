//! sqlparser dialects that read strings as the engine does.
//!
//! Spark SQL and Hive read `\'` and `\\` inside string literals as escapes (Spark's
//! `spark.sql.parser.escapedStringLiterals` is off by default), and idemsql's lexer does too,
//! but sqlparser 0.64's `SparkSqlDialect` and `HiveDialect` do not: `'it\'s'` ends their
//! string early and the INSERT is not read. Each wrapper here is the sqlparser dialect with
//! backslash escapes on: it forwards every method that dialect overrides, and reports the
//! wrapped dialect's type, so sqlparser's `dialect_of!` checks still see Spark or Hive.

use std::any::TypeId;

use sqlparser::ast::Expr;
use sqlparser::dialect::{Dialect, HiveDialect, SparkSqlDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};

macro_rules! with_backslash_escapes {
    ($(#[$doc:meta])* $name:ident, $inner:ident, [$(fn $m:ident(&self $(, $a:ident: $t:ty)*) -> $r:ty;)*]) => {
        $(#[$doc])*
        #[derive(Debug, Default)]
        pub(crate) struct $name;

        impl Dialect for $name {
            fn dialect(&self) -> TypeId {
                TypeId::of::<$inner>()
            }

            fn supports_string_literal_backslash_escape(&self) -> bool {
                true
            }

            $(fn $m(&self $(, $a: $t)*) -> $r {
                $inner::default().$m($($a),*)
            })*
        }
    };
}

with_backslash_escapes!(
    /// `SparkSqlDialect` with backslash escapes in strings.
    Spark,
    SparkSqlDialect,
    [
        fn is_delimited_identifier_start(&self, ch: char) -> bool;
        fn supports_string_literal_column_alias(&self, explicit: bool) -> bool;
        fn supports_string_literal_table_alias(&self, explicit: bool) -> bool;
        fn supports_comparison_in_between_low_bound(&self) -> bool;
        fn identifier_quote_style(&self, identifier: &str) -> Option<char>;
        fn is_identifier_start(&self, ch: char) -> bool;
        fn is_identifier_part(&self, ch: char) -> bool;
        fn supports_filter_during_aggregation(&self) -> bool;
        fn supports_group_by_expr(&self) -> bool;
        fn supports_group_by_with_modifier(&self) -> bool;
        fn supports_lambda_functions(&self) -> bool;
        fn supports_select_wildcard_except(&self) -> bool;
        fn supports_struct_literal(&self) -> bool;
        fn supports_nested_comments(&self) -> bool;
        fn supports_create_table_using(&self) -> bool;
        fn supports_long_type_as_bigint(&self) -> bool;
        fn supports_values_as_table_factor(&self) -> bool;
        fn require_interval_qualifier(&self) -> bool;
        fn supports_bang_not_operator(&self) -> bool;
        fn supports_select_item_multi_column_alias(&self) -> bool;
        fn supports_cte_without_as(&self) -> bool;
        fn supports_map_literal_with_angle_brackets(&self) -> bool;
        fn supports_pipe_operator(&self) -> bool;
        fn parse_infix(&self, parser: &mut Parser, expr: &Expr, precedence: u8) -> Option<Result<Expr, ParserError>>;
    ]
);

with_backslash_escapes!(
    /// `HiveDialect` with backslash escapes in strings.
    Hive,
    HiveDialect,
    [
        fn is_delimited_identifier_start(&self, ch: char) -> bool;
        fn supports_hash_comment(&self) -> bool;
        fn supports_string_literal_column_alias(&self, explicit: bool) -> bool;
        fn supports_string_literal_table_alias(&self, explicit: bool) -> bool;
        fn identifier_quote_style(&self, identifier: &str) -> Option<char>;
        fn is_identifier_start(&self, ch: char) -> bool;
        fn is_identifier_part(&self, ch: char) -> bool;
        fn is_table_factor(&self, kw: &Keyword, parser: &mut Parser) -> bool;
        fn supports_filter_during_aggregation(&self) -> bool;
        fn supports_numeric_prefix(&self) -> bool;
        fn require_interval_qualifier(&self) -> bool;
        fn supports_bang_not_operator(&self) -> bool;
        fn supports_load_data(&self) -> bool;
        fn supports_table_sample_before_alias(&self) -> bool;
        fn supports_group_by_with_modifier(&self) -> bool;
        fn supports_from_first_insert(&self) -> bool;
        fn supports_map_literal_with_angle_brackets(&self) -> bool;
    ]
);

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(d: &dyn Dialect, sql: &str) -> bool {
        Parser::parse_sql(d, sql).is_ok()
    }

    #[test]
    fn backslash_escaped_quotes_end_no_string() {
        let sql = r"INSERT INTO t (a, b) VALUES ('it\'s', 'c:\\'), ('x', 'y')";
        assert!(
            !reads(&SparkSqlDialect, sql),
            "sqlparser fixed it: drop the wrapper"
        );
        assert!(reads(&Spark, sql));
        assert!(reads(&Hive, sql));
    }

    #[test]
    fn the_wrapped_dialect_is_still_seen() {
        let d: &dyn Dialect = &Spark;
        assert!(d.is::<SparkSqlDialect>());
        let d: &dyn Dialect = &Hive;
        assert!(d.is::<HiveDialect>());
        // Dialect-specific syntax goes through `dialect_of!` checks and the forwarded methods:
        // each wrapper reads what its dialect reads.
        for sql in [
            "CREATE TABLE t (a INT, d DATE) USING parquet PARTITIONED BY (d)",
            "INSERT OVERWRITE TABLE t PARTITION (d = '2024-06-01') SELECT 1",
            "SELECT a DIV 2, !b FROM t",
            "SELECT * FROM t # comment",
            "FROM t INSERT INTO u SELECT a",
            "SELECT x FROM t TABLESAMPLE (10 PERCENT) s",
            "SELECT 1 `a b`",
        ] {
            assert_eq!(reads(&Spark, sql), reads(&SparkSqlDialect, sql), "{sql}");
            assert_eq!(reads(&Hive, sql), reads(&HiveDialect {}, sql), "{sql}");
        }
    }
}
