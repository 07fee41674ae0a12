//! CLI tests: `mbx` run as a process (assert_cmd), outputs checked byte for byte or snapshotted (insta).

mod crash;
mod doctor;
mod keys;
mod market;
mod profile;
mod regression;
mod rest;
mod sandbox;
mod secrets;
mod sign;
mod stream;
mod support;
mod trade;
mod verify;
