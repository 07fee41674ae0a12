//! The benchmark floor for `scripts/bench-sandbox`: a trivial axum handler answering `{}` on every path,
//! on `127.0.0.1:0` (the port is printed), with the same runtime setup as the sandbox. The sandbox's
//! routes are measured as ratios to this server's throughput in the same run.

use std::net::SocketAddr;

// The same allocator as the mbx binary that serves the sandbox.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = axum::Router::new().fallback(|| async { ([("content-type", "application/json")], "{}") });
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    println!("http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
