//! The accept loop: HTTP/1.1 connections with a bound on their number and a time limit on
//! every request head, including the wait for the next request on a kept-alive connection (a
//! client that opens connections and sends nothing cannot hold them).

use std::sync::Arc;

use axum::Router;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::Semaphore};

use crate::limits::Limits;

/// Serves `app` on `listener` until the process is stopped.
pub(crate) async fn accept_loop(listener: TcpListener, app: Router, limits: &Limits) -> std::io::Result<()> {
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let header_timeout = limits.header_timeout;
    loop {
        // At the bound, further clients wait in the listen queue until a connection closes.
        let permit = connections.clone().acquire_owned().await.expect("the semaphore is never closed");
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of descriptors and the like: wait a moment rather than spin.
            Err(e) => {
                eprintln!("serve: accepting a connection failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away or times out ends only its own connection.
            let _ = connection.await;
        });
    }
}
