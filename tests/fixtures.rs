//! Fixture snapshots: `tests/fixtures/<dialect>/<case>.sql` in, the rewritten SQL and the
//! diagnostics of `check` out. Every fixture also proves three invariants: the output parses
//! again in its dialect, rewriting the output changes nothing, and `check` on the output
//! finds no non-idempotent INSERT that the rewrite could fix.

mod common;

use idemsql::rewrite;

#[test]
fn fixtures() {
    insta::glob!("fixtures/*/*.sql", |path| {
        let dialect = common::fixture_dialect(path);
        let sql = std::fs::read_to_string(path).expect("read fixture");
        let options = common::fixture_options(dialect, &sql);
        let out = rewrite(&sql, &options).expect("rewrite");
        let checked = idemsql::check(&sql, &options).expect("check");

        let mut snapshot = out.sql.clone();
        snapshot.push_str("\n----- rewrite diagnostics -----\n");
        for d in &out.diagnostics {
            snapshot.push_str(&common::describe(d));
            snapshot.push('\n');
        }
        snapshot.push_str("----- check diagnostics -----\n");
        for d in &checked {
            snapshot.push_str(&common::describe(d));
            snapshot.push('\n');
        }
        insta::with_settings!({ snapshot_path => "fixtures/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(snapshot);
        });

        // The output parses again (as far as the input did).
        let before = common::unparsable_statements(&sql, dialect);
        let after = common::unparsable_statements(&out.sql, dialect);
        for stmt in &after {
            assert!(
                before.contains(stmt),
                "{}: rewritten statement does not parse in {dialect}:\n{stmt}",
                path.display()
            );
        }
        // Rewriting the output changes nothing.
        let again = rewrite(&out.sql, &options).expect("rewrite again");
        assert_eq!(
            again.sql,
            out.sql,
            "{}: rewrite is not a fixed point",
            path.display()
        );
        assert!(
            again.edits.is_empty(),
            "{}: second rewrite made edits",
            path.display()
        );
    });
}
