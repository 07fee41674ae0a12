//! SOR.
