//! The connection loop: hyper's HTTP/1.1 server under the axum router, with the limits
//! `axum::serve` does not offer. A client that opens a connection and then sends its request
//! head slowly, or never, is cut off after `header_read` (hyper's timer, which `axum::serve`
//! leaves unset); at most `max_connections` are open at once, and further clients wait in the
//! listen queue instead of each taking memory and a task, and one client address holds at most
//! `per_address` of them, so a single host cannot keep everyone else waiting (security N14).
//! Bodies and whole requests have their own limits in the router (`http::routes`).
//!
//! On shutdown it stops accepting, lets every open connection finish the request it is
//! answering (then closes it), and gives up on stragglers after `drain`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// What one server process allows its clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a request head may take once the server waits for one (a silent connection
    /// included).
    pub header_read: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// Connections one client address may hold at once (IPv4, or an IPv6 /64); 0 for no such
    /// cap. Peers in `uncapped` (the practice's own proxies, which carry everyone) are exempt.
    pub per_address: usize,
    /// How long shutdown waits for requests in flight.
    pub drain: Duration,
}

/// Open connections per client address, for [`Limits::per_address`].
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

/// One connection's place in [`PerAddress`], given back when the connection ends.
struct AddressPlace {
    counts: Arc<PerAddress>,
    address: IpAddr,
}

impl PerAddress {
    /// A place for one more connection from `address`, or `None` at `cap`.
    fn take(self: &Arc<Self>, address: IpAddr, cap: usize) -> Option<AddressPlace> {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let open = counts.entry(address).or_insert(0);
        if *open >= cap {
            return None;
        }
        *open += 1;
        Some(AddressPlace {
            counts: Arc::clone(self),
            address,
        })
    }
}

impl Drop for AddressPlace {
    fn drop(&mut self) {
        let mut counts = self
            .counts
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(open) = counts.get_mut(&self.address) {
            *open -= 1;
            if *open == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then drains. Peers in `uncapped` are
/// not held to [`Limits::per_address`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    uncapped: Vec<ipnet::IpNet>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_address = Arc::new(PerAddress::default());
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    tokio::pin!(shutdown);
    loop {
        // A free place first, then a connection: at the cap, new clients wait in the kernel's
        // queue and are served as others leave.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let peer_ip = peer.ip().to_canonical();
        let place = if limits.per_address == 0 || uncapped.iter().any(|net| net.contains(&peer_ip))
        {
            None
        } else {
            let device = crate::server::http::middleware::per_device(peer_ip);
            match per_address.take(device, limits.per_address) {
                Some(place) => Some(place),
                // This address already holds its share: closed at once, and the global place
                // goes straight back to everyone else.
                None => {
                    drop(tcp);
                    continue;
                }
            }
        };
        // Without TCP_NODELAY, small keep-alive responses wait on Nagle's algorithm (~40 ms).
        let _ = tcp.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut request: http::Request<Incoming>| {
                // What `into_make_service_with_connect_info` would add: the rate limits key
                // on it.
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that hangs up or times out is routine, not worth a log line.
            let _ = connection.await;
            drop(place);
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            seconds = limits.drain.as_secs(),
            "requests were still open at shutdown; they were cut off"
        );
    }
}
