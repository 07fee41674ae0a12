//! The writers of the sandbox's output: JSON with Binance's field order ([`json`]) and decimal text
//! ([`decimal`]). Neither knows about HTTP or the engine, so both layers write with them.

pub mod decimal;
pub mod json;
