//! Generated cases: proptest strategies for tables with one to three key columns (or a
//! partition column), mixed types, batches of 1 to 200 rows, rows already present with other
//! values, and the ways of telling idemsql the key and the strategy.
//!
//! Every case has its own proptest RNG seeded from (run seed, engine, case index), so one case
//! can be run alone: `IDEMSQL_ENGINE_SEED=<seed> IDEMSQL_ENGINE_CASE=<index>`. The first failing
//! case of each engine and strategy is shrunk (a bounded number of steps) to a smaller input.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use idemsql::{Options, Strategy as IdemStrategy};

use crate::check::{Case, Expect};
use crate::db::Kind;
use crate::model::{Col, Incoming, Semantics, Table, Ty, Val, literal, sql_type};

/// 2024-01-01 as a day count from 2000-01-01.
const Y2024: i64 = 8766;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `options.schema` holds the CREATE TABLE.
    SchemaOption,
    /// The CREATE TABLE is in the same input, before the INSERT.
    DdlInInput,
    /// `options.keys` / `options.partitions`.
    Option,
    /// `-- idemsql: key(...)` / `partition(...)` before the statement.
    Directive,
}

#[derive(Debug, Clone)]
pub struct RawRow {
    pub key: Vec<Val>,
    pub data: Vec<Val>,
    pub part: usize,
    /// Take the key of an existing row instead (index, modulo their number).
    pub reuse: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub key_tys: Vec<Ty>,
    pub data_tys: Vec<Ty>,
    pub parts: Vec<Val>,
    pub batch_parts: usize,
    pub existing: Vec<RawRow>,
    pub batch: Vec<RawRow>,
    pub key_source: KeySource,
    pub strategy_in_directive: bool,
    pub auto: bool,
    pub omit: Option<usize>,
    pub select_form: bool,
    pub no_column_list: bool,
    pub perm_seed: u64,
    pub quoted_name: bool,
    pub multiline: bool,
    pub null_safe: bool,
    pub unique: bool,
}

const ALPHABET: &[char] = &[
    'a', 'b', 'z', 'A', 'Q', '0', '7', ' ', '\'', '\\', '"', '%', '_', ';', '-', 'é', 'ß', 'ø',
    'ñ', 'ü', 'Ж', 'ы', '中', 'ł', 'Ω', '😀', '\n', '(', ',',
];

fn text(max: usize) -> impl Strategy<Value = String> {
    vec(proptest::sample::select(ALPHABET), 0..=max).prop_map(|cs| cs.into_iter().collect())
}

fn key_ty() -> impl Strategy<Value = Ty> {
    prop_oneof![3 => Just(Ty::Int), 2 => Just(Ty::Text), 1 => Just(Ty::Date)]
}

fn data_ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::Int),
        Just(Ty::Dec),
        Just(Ty::Text),
        Just(Ty::Date),
        Just(Ty::Ts)
    ]
}

/// Key values come from small domains so that batches meet existing rows.
fn key_val(ty: Ty) -> BoxedStrategy<Val> {
    match ty {
        Ty::Int => (-3i64..40).prop_map(Val::Int).boxed(),
        Ty::Text => prop_oneof![
            proptest::sample::select(vec![
                "a",
                "A",
                "it's",
                "back\\slash",
                "Ærø",
                "ümlaut",
                "Жук",
                "",
                " x",
                "x "
            ])
            .prop_map(|s| Val::Text(s.to_string())),
            text(6).prop_map(Val::Text),
        ]
        .boxed(),
        Ty::Date => (Y2024 - 5..Y2024 + 30).prop_map(Val::Date).boxed(),
        Ty::Dec | Ty::Ts => unreachable!("not a key type here"),
    }
}

fn data_val(ty: Ty) -> BoxedStrategy<Val> {
    let v: BoxedStrategy<Val> = match ty {
        Ty::Int => prop_oneof![(-100i64..100), (-1_000_000_000_000i64..1_000_000_000_000)]
            .prop_map(Val::Int)
            .boxed(),
        Ty::Dec => (-999_999_999_999i64..=999_999_999_999)
            .prop_map(Val::Dec)
            .boxed(),
        Ty::Text => text(24).prop_map(Val::Text).boxed(),
        Ty::Date => (0i64..12_000).prop_map(Val::Date).boxed(),
        Ty::Ts => (
            0i64..12_000,
            0i64..86_400,
            prop_oneof![Just(0i64), 0i64..1_000_000],
        )
            .prop_map(|(d, s, us)| Val::Ts(d * 86_400_000_000 + s * 1_000_000 + us))
            .boxed(),
    };
    prop_oneof![1 => Just(Val::Null), 6 => v].boxed()
}

fn part_val(ty: Ty) -> BoxedStrategy<Val> {
    match ty {
        Ty::Int => (1i64..7).prop_map(Val::Int).boxed(),
        Ty::Text => proptest::sample::select(vec!["eu", "us", "apac", "ü-west", "o'neil", "a\\b"])
            .prop_map(|s| Val::Text(s.to_string()))
            .boxed(),
        _ => (Y2024..Y2024 + 8).prop_map(Val::Date).boxed(),
    }
}

pub fn spec() -> impl Strategy<Value = Spec> {
    let shape = (
        vec(key_ty(), 1..=3),
        vec(data_ty(), 1..=4),
        prop_oneof![3 => Just(Ty::Date), 1 => Just(Ty::Int), 1 => Just(Ty::Text)],
    );
    let flags = (
        prop_oneof![
            Just(KeySource::SchemaOption),
            Just(KeySource::DdlInInput),
            Just(KeySource::Option),
            Just(KeySource::Directive)
        ],
        any::<bool>(),
        prop::bool::weighted(0.25),
        prop::option::weighted(0.2, 0usize..4),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        any::<u64>(),
        prop::bool::weighted(0.2),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.3),
        1usize..=3,
    );
    (shape, flags).prop_flat_map(|((key_tys, data_tys, part_ty), flags)| {
        let row = (
            key_tys.iter().map(|&t| key_val(t)).collect::<Vec<_>>(),
            data_tys.iter().map(|&t| data_val(t)).collect::<Vec<_>>(),
            0usize..8,
            prop::option::weighted(0.35, 0usize..64),
        )
            .prop_map(|(key, data, part, reuse)| RawRow {
                key,
                data,
                part,
                reuse,
            });
        let batch = prop_oneof![
            6 => vec(row.clone(), 1..=10),
            3 => vec(row.clone(), 10..=60),
            1 => vec(row.clone(), 60..=200),
        ];
        (
            Just((key_tys, data_tys)),
            vec(part_val(part_ty), 1..=4),
            vec(row, 0..=30),
            batch,
            Just(flags),
        )
            .prop_map(|((key_tys, data_tys), parts, existing, batch, f)| Spec {
                key_tys,
                data_tys,
                parts,
                batch_parts: f.11,
                existing,
                batch,
                key_source: f.0,
                strategy_in_directive: f.1,
                auto: f.2,
                omit: f.3,
                select_form: f.4,
                no_column_list: f.5,
                perm_seed: f.6,
                quoted_name: f.7,
                multiline: f.8,
                null_safe: f.9,
                unique: f.10,
            })
    })
}

fn permutation(n: usize, mut seed: u64) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        p.swap(i, j);
    }
    p
}

/// The case for `spec` on `kind`, loaded with `strategy` (upsert, ignore, merge or overwrite).
pub fn build(spec: &Spec, kind: Kind, strategy: IdemStrategy, name: String) -> Case {
    let overwrite = strategy == IdemStrategy::Overwrite;
    let semantics = match strategy {
        IdemStrategy::Ignore => Semantics::Ignore,
        IdemStrategy::Overwrite => Semantics::Overwrite,
        _ => Semantics::Upsert,
    };
    // Spark's table names are letters, digits and `_` only, even quoted.
    let table_name = if spec.quoted_name && kind != Kind::Spark {
        "Gen Tab"
    } else {
        "gen"
    };
    let mut cols = Vec::new();
    let (key, partition) = if overwrite {
        let pty = match spec.parts.first() {
            Some(Val::Int(_)) => Ty::Int,
            Some(Val::Text(_)) => Ty::Text,
            _ => Ty::Date,
        };
        cols.push(Col {
            name: "p".into(),
            ty: pty,
            not_null: true,
        });
        (Vec::new(), Some(0))
    } else {
        for (i, &ty) in spec.key_tys.iter().enumerate() {
            cols.push(Col {
                name: format!("k{}", i + 1),
                ty,
                not_null: true,
            });
        }
        ((0..spec.key_tys.len()).collect(), None)
    };
    let first_data = cols.len();
    for (i, &ty) in spec.data_tys.iter().enumerate() {
        cols.push(Col {
            name: format!("d{}", i + 1),
            ty,
            not_null: false,
        });
    }
    let table = Table {
        name: table_name.into(),
        cols,
        key,
        partition,
        unique_instead_of_pk: spec.unique,
    };
    let ncols = table.cols.len();

    // Distinct partition values; the batch writes the first `batch_parts` of them.
    let mut parts: Vec<Val> = Vec::new();
    for p in &spec.parts {
        if !parts.contains(p) {
            parts.push(p.clone());
        }
    }
    let written = spec.batch_parts.clamp(1, parts.len());

    let full_row = |raw: &RawRow, key: &[Val], pool: usize| -> Vec<Val> {
        let mut r = Vec::with_capacity(ncols);
        if overwrite {
            r.push(parts[raw.part % pool].clone());
        } else {
            r.extend(key.iter().cloned());
        }
        r.extend(raw.data.iter().cloned());
        r
    };
    let mut existing: Vec<Vec<Val>> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for raw in &spec.existing {
        if !overwrite && !seen.insert(raw.key.clone()) {
            continue;
        }
        existing.push(full_row(raw, &raw.key, parts.len()));
    }
    let mut batch_full: Vec<Vec<Val>> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for raw in &spec.batch {
        let key = match (raw.reuse, overwrite) {
            (Some(j), false) if !existing.is_empty() => {
                existing[j % existing.len()][..spec.key_tys.len()].to_vec()
            }
            _ => raw.key.clone(),
        };
        if !overwrite && !seen.insert(key.clone()) {
            continue;
        }
        batch_full.push(full_row(raw, &key, written));
    }

    // ClickHouse and Spark tables declare no keys or partitions idemsql reads as such: it is
    // told them by an option or a directive.
    let key_source = match (spec.key_source, kind) {
        (KeySource::SchemaOption, Kind::Clickhouse | Kind::Spark) => KeySource::Option,
        (KeySource::DdlInInput, Kind::Clickhouse | Kind::Spark) => KeySource::Directive,
        (k, _) => k,
    };
    let ddl = table.ddl(kind);
    let no_column_list = spec.no_column_list
        && matches!(key_source, KeySource::SchemaOption | KeySource::DdlInInput);
    // The column left out of the INSERT (a nullable data column), if any.
    let omit = match (spec.omit, no_column_list) {
        (Some(i), false) => Some(first_data + i % spec.data_tys.len()),
        _ => None,
    };
    let batch: Vec<Incoming> = batch_full
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(c, v)| {
                    if Some(c) == omit {
                        None
                    } else {
                        Some(v.clone())
                    }
                })
                .collect()
        })
        .collect();
    let expected_rows = table.expected(&existing, &batch, semantics);

    // The INSERT statement.
    let order: Vec<usize> = if no_column_list {
        (0..ncols).collect()
    } else {
        permutation(ncols, spec.perm_seed)
            .into_iter()
            .filter(|&c| Some(c) != omit)
            .collect()
    };
    let col_list = if no_column_list {
        String::new()
    } else {
        let names: Vec<String> = order.iter().map(|&c| table.col(kind, c)).collect();
        format!(" ({})", names.join(", "))
    };
    let sep = if spec.multiline { ",\n    " } else { ", " };
    let select_form = spec.select_form && !overwrite;
    let body = if select_form {
        let selects: Vec<String> = batch_full
            .iter()
            .map(|r| {
                let vals: Vec<String> = order
                    .iter()
                    .map(|&c| match (&r[c], kind) {
                        // A bare NULL in a UNION is text to PostgreSQL; a user would cast it.
                        (Val::Null, Kind::Postgres) => {
                            format!("CAST(NULL AS {})", sql_type(table.cols[c].ty, kind))
                        }
                        (v, _) => literal(v, kind),
                    })
                    .collect();
                format!("SELECT {}", vals.join(", "))
            })
            .collect();
        format!(
            "\n{}",
            selects.join(if spec.multiline {
                "\nUNION ALL "
            } else {
                " UNION ALL "
            })
        )
    } else {
        let rows: Vec<String> = batch_full
            .iter()
            .map(|r| {
                let vals: Vec<String> = order.iter().map(|&c| literal(&r[c], kind)).collect();
                format!("({})", vals.join(", "))
            })
            .collect();
        format!(" VALUES {}", rows.join(sep))
    };
    let insert = format!("INSERT INTO {}{col_list}{body};\n", table.quoted(kind));

    // How idemsql is told the key, the partition and the strategy.
    let mut options = Options::for_dialect(kind.dialect());
    let mut directive: Vec<String> = Vec::new();
    let table_ident = table.quoted(kind);
    let table_ref = if spec.quoted_name {
        table_ident.clone()
    } else {
        table.name.clone()
    };
    let key_cols: Vec<String> = table
        .key
        .iter()
        .map(|&i| table.cols[i].name.clone())
        .collect();
    let mut ddl_in_input = false;
    match key_source {
        KeySource::SchemaOption => options.schema = format!("{ddl};\n"),
        KeySource::DdlInInput => ddl_in_input = true,
        KeySource::Option => {
            if overwrite {
                options
                    .partitions
                    .insert(table_ref.clone(), vec!["p".into()]);
            } else {
                options.keys.insert(table_ref.clone(), key_cols.clone());
            }
        }
        KeySource::Directive => {
            if overwrite {
                directive.push("partition(p)".into());
            } else {
                directive.push(format!("key({})", key_cols.join(", ")));
            }
        }
    }
    // Overwrite needs the partition column whatever says the columns.
    if overwrite && matches!(key_source, KeySource::SchemaOption | KeySource::DdlInInput) {
        if spec.strategy_in_directive {
            directive.push("partition(p)".into());
        } else {
            options
                .partitions
                .insert(table_ref.clone(), vec!["p".into()]);
        }
    }
    let strategy_used =
        if spec.auto && matches!(strategy, IdemStrategy::Upsert | IdemStrategy::Overwrite) {
            IdemStrategy::Auto
        } else {
            strategy
        };
    if spec.strategy_in_directive {
        directive.push(format!("strategy({strategy_used})"));
    } else {
        options.strategy = strategy_used;
    }
    if spec.null_safe && strategy == IdemStrategy::Merge {
        options.null_safe = true;
    }
    let input = if directive.is_empty() {
        insert
    } else {
        format!("-- idemsql: {}\n{insert}", directive.join(" "))
    };

    // Without the DDL, a PostgreSQL MERGE source column of only NULLs cannot be typed (it
    // would be text): idemsql must refuse with IDEM011 rather than write a failing MERGE.
    let ddl_given = matches!(key_source, KeySource::SchemaOption | KeySource::DdlInInput);
    let untyped_null_column = order
        .iter()
        .any(|&c| batch_full.iter().all(|r| matches!(r[c], Val::Null)));
    // Spark without the DDL: an INSERT listing only the partition column leaves no column for
    // `INSERT OVERWRITE ... PARTITION (p = v) (...)`, and the others' order is unknown.
    let only_partition_listed =
        !no_column_list && order.iter().all(|&c| Some(c) == table.partition);
    let spark_no_columns = kind == Kind::Spark && overwrite && !ddl_given && only_partition_listed;
    let postgres_untyped_null = kind == Kind::Postgres
        && strategy == IdemStrategy::Merge
        && !select_form
        && !ddl_given
        && untyped_null_column;
    let expect = if spark_no_columns || postgres_untyped_null {
        Expect::Refuse("IDEM011")
    } else {
        Expect::Rewrite
    };

    let mut expected = Vec::new();
    expected.extend(table.plain_insert(kind, &expected_rows));
    let mut initial = Vec::new();
    initial.extend(table.plain_insert(kind, &existing));
    let _ = (partition, written);
    Case {
        name: format!(
            "{name}: {strategy_used} ({}), {} key col(s), {} batch row(s), {} existing, key via {key_source:?}{}{}",
            semantics_name(semantics),
            table.key.len(),
            batch.len(),
            existing.len(),
            if select_form {
                ", INSERT ... SELECT"
            } else {
                ""
            },
            if omit.is_some() {
                ", one column left out"
            } else {
                ""
            },
        ),
        ddl: vec![ddl],
        initial,
        input,
        ddl_in_input,
        options,
        expected,
        tables: vec![table_ident],
        expect,
        repro: None,
    }
}

fn semantics_name(s: Semantics) -> &'static str {
    match s {
        Semantics::Upsert => "incoming wins",
        Semantics::Ignore => "existing wins",
        Semantics::Overwrite => "partitions replaced",
    }
}

/// A proptest runner whose RNG is fixed by (seed, engine, index).
pub fn runner(seed: u64, kind: Kind, index: usize) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(index as u64).to_le_bytes());
    bytes[16] = kind as u8;
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// The value tree of case `index` (for running it and for shrinking it).
pub fn tree(seed: u64, kind: Kind, index: usize) -> impl ValueTree<Value = Spec> {
    let mut r = runner(seed, kind, index);
    spec()
        .new_tree(&mut r)
        .unwrap_or_else(|e| panic!("generating case {index}: {e}"))
}
