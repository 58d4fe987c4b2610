//! What a run is told: the [`options::Options`] struct and the directive comments on each
//! statement.

pub(crate) mod directive;
pub(crate) mod options;
