//! Opening connections: TCP (through an HTTP proxy if there is one, with a `CONNECT` tunnel for
//! `https://` hosts), then TLS for `https://` hosts; and the stream a connection reads and writes.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Context;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::framing::{MAX_HEADERS, USER_AGENT};
use super::{HttpError, Origin};
use crate::proxy::Proxy;

/// How to open a new connection to one origin.
pub(crate) struct Connector {
    /// For `https://` origins: the TLS setup and the name the certificate must carry.
    tls: Option<(TlsConnector, ServerName<'static>)>,
    /// The HTTP proxy connections go through, if any.
    proxy: Option<Proxy>,
    /// How long TCP, the tunnel and the TLS handshake may take together.
    timeout: Duration,
}

impl Connector {
    /// A connector for `origin`; `tls` is used for `https://` origins. Fails if the origin's host
    /// cannot be a TLS server name.
    pub(crate) fn new(
        origin: &Origin,
        tls: Arc<rustls::ClientConfig>,
        proxy: Option<Proxy>,
        timeout: Duration,
    ) -> Result<Connector, String> {
        let tls = if origin.tls {
            let name = ServerName::try_from(origin.host.clone())
                .map_err(|e| format!("'{}' is not a valid TLS server name: {e}", origin.host))?;
            Some((TlsConnector::from(tls), name))
        } else {
            None
        };
        Ok(Connector { tls, proxy, timeout })
    }

    /// Opens a connection to `origin` (the one this connector was made for), within the connect
    /// timeout. Errors say nothing was sent.
    pub(crate) async fn connect(&self, origin: &Origin) -> Result<Io, HttpError> {
        let (host, port) = match &self.proxy {
            Some(p) => (p.host.as_str(), p.port),
            None => (origin.host.as_str(), origin.port),
        };
        let via = if self.proxy.is_some() { "proxy " } else { "" };
        let fail = |what: &str, e: &dyn std::fmt::Display| HttpError {
            sent: false,
            detail: format!("{what} {via}{host}:{port}: {e}"),
        };
        let connect = async {
            let mut tcp =
                TcpStream::connect((host, port)).await.map_err(|e| fail("cannot connect to", &e))?;
            tcp.set_nodelay(true).map_err(|e| fail("cannot set up the connection to", &e))?;
            let io = match &self.tls {
                None => Io::Plain(tcp),
                Some((connector, name)) => {
                    if let Some(proxy) = &self.proxy {
                        tunnel(&mut tcp, proxy, origin).await.map_err(|e| fail("the tunnel through", &e))?;
                    }
                    Io::Tls(Box::new(
                        connector
                            .connect(name.clone(), tcp)
                            .await
                            .map_err(|e| fail("TLS handshake with", &e))?,
                    ))
                }
            };
            Ok(io)
        };
        match tokio::time::timeout(self.timeout, connect).await {
            Ok(r) => r,
            Err(_) => Err(fail("timed out connecting to", &format!("after {} ms", self.timeout.as_millis()))),
        }
    }
}

/// Asks the proxy on `tcp` for a tunnel to `origin` (`CONNECT host:port`) and reads its answer.
async fn tunnel(tcp: &mut TcpStream, proxy: &Proxy, origin: &Origin) -> Result<(), String> {
    let target = origin.connect_target();
    let mut head = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nUser-Agent: {USER_AGENT}\r\n");
    if let Some(auth) = &proxy.authorization {
        head.push_str("Proxy-Authorization: ");
        head.push_str(auth);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    tcp.write_all(head.as_bytes()).await.map_err(|e| format!("sending CONNECT: {e}"))?;
    let mut buf = Vec::with_capacity(1024);
    loop {
        if tcp.read_buf(&mut buf).await.map_err(|e| format!("reading the answer to CONNECT: {e}"))? == 0 {
            return Err("the proxy closed the connection instead of answering CONNECT".into());
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(&buf) {
            Ok(httparse::Status::Complete(n)) => {
                let code = resp.code.unwrap_or(0);
                if !(200..300).contains(&code) {
                    let hint = if code == 407 {
                        " (the proxy wants credentials: http://user:password@host:port)"
                    } else {
                        ""
                    };
                    return Err(format!(
                        "the proxy answered CONNECT with {code} {}{hint}",
                        resp.reason.unwrap_or("")
                    ));
                }
                if n != buf.len() {
                    return Err("the proxy sent data before the tunnel was set up".into());
                }
                return Ok(());
            }
            Ok(httparse::Status::Partial) if buf.len() < 64 * 1024 => {}
            Ok(httparse::Status::Partial) => {
                return Err("the proxy's answer to CONNECT is too long".into());
            }
            Err(e) => return Err(format!("the proxy's answer to CONNECT is not HTTP: {e}")),
        }
    }
}

/// An open connection's byte stream: plain TCP or TLS over TCP.
pub(crate) enum Io {
    /// `http://`.
    Plain(TcpStream),
    /// `https://` (boxed: rustls's connection state is large).
    Tls(Box<TlsStream<TcpStream>>),
}

impl Io {
    /// Writes all of `bytes` (and flushes TLS, so the request leaves now).
    pub(super) async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Io::Plain(s) => s.write_all(bytes).await,
            Io::Tls(s) => {
                s.write_all(bytes).await?;
                s.flush().await
            }
        }
    }

    /// Reads what is available onto the end of `buf`, growing it first if it is nearly full. `Ok(0)`:
    /// the connection ended.
    pub(super) async fn read_more(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        if buf.capacity() - buf.len() < 4096 {
            buf.reserve(buf.capacity().max(8192));
        }
        match self {
            Io::Plain(s) => s.read_buf(buf).await,
            Io::Tls(s) => s.read_buf(buf).await,
        }
    }

    /// `true` if nothing can be read right now: not the end of the stream, no data (an idle
    /// connection has nothing to read unless the server closed it or broke the protocol). Does not
    /// wait; TLS records that carry no data (session tickets, key updates) are consumed by rustls.
    pub(super) fn is_open_and_quiet(&mut self) -> bool {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut byte = [0u8; 1];
        let mut buf = ReadBuf::new(&mut byte);
        let poll = match self {
            Io::Plain(s) => Pin::new(s).poll_read(&mut cx, &mut buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_read(&mut cx, &mut buf),
        };
        poll.is_pending()
    }
}

/// The byte stream as tokio's traits (what the WebSocket layer reads and writes through).
impl tokio::io::AsyncRead for Io {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl tokio::io::AsyncWrite for Io {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> std::task::Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_flush(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> std::task::Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
