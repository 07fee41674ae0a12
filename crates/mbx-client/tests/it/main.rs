//! mbx-client against a real sandbox over loopback (one sandbox per test, random port).

mod book;
mod chaos;
mod listen_key;
mod market;
mod outcomes;
mod replace;
mod rest;
mod sandbox_admin;
mod secrets;
mod soak;
mod storms;
mod streams;
mod trading;
mod transport;
mod ws_api;
