//! Integration tests of mbx-sandbox over real loopback sockets: each test starts its own sandbox on
//! `127.0.0.1:0` (mbx-testkit) and talks HTTP to it. No sleeps: every wait is on an answer.

mod account;
mod admin;
mod auth;
mod bad_input;
mod doctor_cases;
mod general;
mod market;
mod matching;
mod persistence;
mod support;
mod trading;
