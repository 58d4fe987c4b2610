//! The rule pages, compiled in so `idemsql explain` works offline.

use super::Rule;

macro_rules! pages {
    ($( $variant:ident => $file:literal, )*) => {
        pub(crate) fn page(rule: Rule) -> &'static str {
            match rule {
                $( Rule::$variant => include_str!(concat!("../../docs/rules/", $file, ".md")), )*
            }
        }
    };
}

pages! {
    NonIdempotentInsert => "non-idempotent-insert",
    MissingKey => "missing-key",
    KeyNotInserted => "key-not-inserted",
    DuplicateKeyInBatch => "duplicate-key-in-batch",
    NullableKey => "nullable-key",
    VolatileKey => "volatile-key",
    MergeUpdatesKey => "merge-updates-key",
    OverwriteOutsidePartition => "overwrite-outside-partition",
    UnknownPartitionValues => "unknown-partition-values",
    UnsupportedForm => "unsupported-form",
    UnknownColumns => "unknown-columns",
    RelativeUpdate => "relative-update",
    CreateWithoutIfNotExists => "create-without-if-not-exists",
    DropWithoutIfExists => "drop-without-if-exists",
    AddColumnWithoutIfNotExists => "add-column-without-if-not-exists",
    UnparsedStatement => "unparsed-statement",
    AmbiguousConflictTarget => "ambiguous-conflict-target",
    InvalidDirective => "invalid-directive",
    KeyNotUnique => "key-not-unique",
}
