//! Integration tests of mbx-sandbox over real loopback sockets: each test starts its own sandbox on
//! `127.0.0.1:0` (mbx-testkit) and talks HTTP to it. No sleeps: every wait is on an answer.

mod account;
mod admin;
mod admin_accounts;
mod amend;
mod auth;
mod bad_input;
mod book_feed;
mod browser;
mod cancel_replace;
mod cancel_reports;
mod console;
mod doctor_cases;
mod expiry_reasons;
mod faults;
mod general;
mod invariants;
mod limits;
mod market;
mod matching;
mod order_counts;
mod order_features;
mod order_lists;
mod oto_lists;
mod persistence;
mod prevented_matches;
mod price_filters;
mod rules;
mod sor;
mod streams;
mod support;
mod trading;
mod unknown_params;
mod user_stream;
mod ws;
mod ws_connections;
