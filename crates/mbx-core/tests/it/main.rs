//! mbx-core integration tests: one binary (linking is slow on two cores).

mod catalog;
mod endpoints;
mod keys;
mod robustness;
mod roundtrip_prop;
mod secrets;
mod support;
mod vectors;
