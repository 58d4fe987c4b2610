//! What a run is told: the [`options::Options`] struct, the directive comments on each
//! statement, and the configuration file with what the adapters lay over it ([`config`]).
//!
//! Owns every setting and where it comes from. It may not read files (the adapters hand it a
//! read callback) and may not look at the SQL beyond the comments directives live in.

pub mod config;
pub(crate) mod directive;
pub(crate) mod options;
