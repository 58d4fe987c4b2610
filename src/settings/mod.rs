//! What a run is told: the [`options::Options`] struct, the directive comments on each
//! statement, and the configuration file with what the adapters lay over it ([`config`]).

pub mod config;
pub(crate) mod directive;
pub(crate) mod options;
