//! The benchmark floor for `scripts/bench-sandbox`: a trivial axum handler answering `{}` on every path,
//! on `127.0.0.1:0` (the port is printed), with the same runtime setup as the sandbox. The sandbox's
//! routes are measured as ratios to this server's throughput in the same run.
//!
//! `floor FILE` answers FILE's bytes instead (read once at start): a floor that sends as many bytes
//! as a route does, to tell what the route costs beyond carrying its body.

use std::net::SocketAddr;

// The same allocator as the mbx binary that serves the sandbox.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let body = match std::env::args_os().nth(1) {
        Some(file) => axum::body::Bytes::from(std::fs::read(file)?),
        None => axum::body::Bytes::from_static(b"{}"),
    };
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { ([("content-type", "application/json")], body) }
    });
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    println!("http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
