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

/// A client of the sandbox's demo account (HMAC key).
fn demo_client(sb: &mbx_testkit::TestSandbox) -> mbx_client::Client {
    mbx_client::Client::builder()
        .environment(mbx_client::Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .build()
        .unwrap()
}
