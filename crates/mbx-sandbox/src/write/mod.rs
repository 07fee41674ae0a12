//! The writers of the sandbox's output: JSON with Binance's field order ([`json`]), decimal text
//! ([`decimal`]) and times in microseconds for the clients that ask ([`micros`]). None knows about
//! HTTP or the engine, so both layers write with them.

pub mod decimal;
pub mod json;
pub mod micros;
