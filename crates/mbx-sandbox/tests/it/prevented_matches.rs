//! Prevented matches.
