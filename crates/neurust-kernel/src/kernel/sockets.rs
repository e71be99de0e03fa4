//! Binds the five ZeroMQ sockets (behind the guarded TCP ports of `tcp_proxy.rs`) and runs the
//! tasks that move frames between them and the kernel's channels. Incoming messages are
//! authenticated here; bad ones are logged and dropped.

use crate::kernel::connection::ConnectionInfo;
use crate::kernel::message::Message;
use crate::kernel::outbox::{Channel, Outgoing};
use crate::kernel::replay::{self, ReplayGuard};
use crate::kernel::tcp_proxy;
use crate::kernel::wire;
use anyhow::{Context, Result};
use neurust_wire::Signer;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use zeromq::{Socket, SocketRecv, SocketSend, ZmqMessage};

/// Incoming, authenticated requests, tagged with the channel they came on.
pub type Inbox = UnboundedReceiver<(Channel, Message)>;

/// Binds every socket of `info` and starts the tasks that send what `outgoing` receives.
pub async fn bind_all(info: &ConnectionInfo, outgoing: Outgoing) -> Result<Inbox> {
    let signer = Signer::new(&info.key);
    let replay = std::sync::Arc::new(ReplayGuard::new(!info.key.is_empty()));
    let (in_tx, in_rx) = unbounded_channel();
    let dir = tcp_proxy::create_socket_dir()?;

    let mut iopub = zeromq::PubSocket::new();
    iopub
        .bind_listener(tcp_proxy::listen(dir, "iopub", info.bind_host(), info.iopub_port).await?)
        .await
        .context("binding iopub")?;
    let mut iopub_rx = outgoing.iopub;
    let iopub_signer = signer.clone();
    tokio::spawn(async move {
        while let Some(message) = iopub_rx.recv().await {
            if let Some(frames) = to_zmq(&message, &iopub_signer) {
                let _ = iopub.send(frames).await;
            }
        }
    });

    let mut heartbeat = zeromq::RepSocket::new();
    heartbeat
        .bind_listener(tcp_proxy::listen(dir, "heartbeat", info.bind_host(), info.hb_port).await?)
        .await
        .context("binding heartbeat")?;
    tokio::spawn(async move {
        loop {
            match heartbeat.recv().await {
                Ok(ping) => {
                    let _ = heartbeat.send(ping).await;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    });

    for (channel, name, port, mut rx) in [
        (Channel::Shell, "shell", info.shell_port, outgoing.shell),
        (
            Channel::Control,
            "control",
            info.control_port,
            outgoing.control,
        ),
        (Channel::Stdin, "stdin", info.stdin_port, outgoing.stdin),
    ] {
        let mut socket = zeromq::RouterSocket::new();
        socket
            .bind_listener(tcp_proxy::listen(dir, name, info.bind_host(), port).await?)
            .await
            .with_context(|| format!("binding {channel:?}"))?;
        let (mut send_half, mut recv_half) = socket.split();
        let out_signer = signer.clone();
        tokio::spawn(async move {
            while let Some(message) = rx.recv().await {
                if let Some(frames) = to_zmq(&message, &out_signer)
                    && let Err(error) = send_half.send(frames).await
                {
                    eprintln!("neurust-kernel: sending on {channel:?} failed: {error}");
                }
            }
        });
        let in_signer = signer.clone();
        let in_tx = in_tx.clone();
        let replay = replay.clone();
        tokio::spawn(async move {
            loop {
                let frames = match recv_half.recv().await {
                    Ok(frames) => frames.into_vec(),
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let signature = replay::signature(&frames);
                match wire::decode(frames, &in_signer) {
                    Ok(_) if !replay.admits(&signature) => eprintln!(
                        "neurust-kernel: dropped a message on {channel:?}: a replay (signature seen before)"
                    ),
                    Ok(message) => {
                        if in_tx.send((channel, message)).is_err() {
                            break;
                        }
                    }
                    Err(error) => {
                        eprintln!("neurust-kernel: dropped a message on {channel:?}: {error}")
                    }
                }
            }
        });
    }
    Ok(in_rx)
}

fn to_zmq(message: &Message, signer: &Signer) -> Option<ZmqMessage> {
    ZmqMessage::try_from(wire::encode(message, signer)).ok()
}
