//! A minimal Jupyter client for driving the real kernel binary in tests.

#![allow(dead_code)]

use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use zeromq::{Socket, SocketRecv, SocketSend, ZmqMessage};

pub const KEY: &str = "test-key-0123456789";

#[derive(Clone, Copy, Debug)]
pub enum Chan {
    Shell,
    Control,
    Stdin,
}

#[derive(Debug, Clone)]
pub struct Msg {
    pub msg_type: String,
    pub parent_id: String,
    pub content: Value,
    pub at: Instant,
}

pub struct Kernel {
    pub child: Child,
    rt: tokio::runtime::Runtime,
    shell: zeromq::DealerSocket,
    control: zeromq::DealerSocket,
    stdin: zeromq::DealerSocket,
    iopub: zeromq::SubSocket,
    session: String,
    _dir: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn facade_stub() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/kernel/facade-stub")
}

pub fn sign(parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).expect("key");
    for p in parts {
        mac.update(p);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// Starts `command` with SIGKILL as its parent-death signal, so that a kernel kept in a
/// `static` (which is never dropped) still ends with the test process. The signal follows the
/// thread that started the process, not the process, so that thread lives as long as the
/// process does.
fn spawn_for_life(mut command: Command) -> Child {
    use std::os::unix::process::CommandExt;
    // SAFETY: the hook only calls prctl(2), which is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(command.spawn());
        loop {
            std::thread::park();
        }
    });
    receiver
        .recv()
        .expect("the spawning thread answers")
        .expect("kernel starts")
}

impl Kernel {
    /// Starts the kernel with the test facade and waits for its first kernel_info reply.
    pub fn start() -> Kernel {
        let dir =
            std::env::temp_dir().join(format!("neurust-kernel-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let ports: Vec<u16> = (0..5).map(|_| free_port()).collect();
        let connection = json!({
            "ip": "127.0.0.1", "transport": "tcp", "signature_scheme": "hmac-sha256",
            "key": KEY, "shell_port": ports[0], "iopub_port": ports[1], "stdin_port": ports[2],
            "control_port": ports[3], "hb_port": ports[4],
        });
        let file = dir.join("connection.json");
        std::fs::write(&file, connection.to_string()).expect("connection file");
        // NEURUST_KERNEL_BIN runs another build (e.g. release) of the kernel.
        let binary = std::env::var_os("NEURUST_KERNEL_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_neurust-kernel")));
        let mut command = Command::new(binary);
        command
            .arg("run")
            .arg("--connection-file")
            .arg(&file)
            .env("NEURUST_FACADE_PATH", facade_stub())
            // No standby for a later launch: each test process starts its own kernel, and
            // standbys left behind would compete with it for the cores.
            .env("NEURUST_STANDBY", "0")
            .stdin(Stdio::null());
        let child = spawn_for_life(command);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let endpoint = |i: usize| format!("tcp://127.0.0.1:{}", ports[i]);
        let (shell, control, stdin, iopub) = rt.block_on(async {
            let mut shell = zeromq::DealerSocket::new();
            let mut control = zeromq::DealerSocket::new();
            let mut stdin = zeromq::DealerSocket::new();
            let mut iopub = zeromq::SubSocket::new();
            for _ in 0..600 {
                if shell.connect(&endpoint(0)).await.is_ok() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            control.connect(&endpoint(3)).await.expect("control");
            stdin.connect(&endpoint(2)).await.expect("stdin");
            iopub.subscribe("").await.expect("subscribe");
            iopub.connect(&endpoint(1)).await.expect("iopub");
            (shell, control, stdin, iopub)
        });
        let mut kernel = Kernel {
            child,
            rt,
            shell,
            control,
            stdin,
            iopub,
            session: uuid::Uuid::new_v4().to_string(),
            _dir: dir,
        };
        kernel.request(Chan::Shell, "kernel_info_request", json!({}));
        kernel
            .reply(Chan::Shell, Duration::from_secs(900))
            .expect("kernel_info_reply after start-up");
        kernel
    }

    pub fn frames(&self, msg_type: &str, content: &Value) -> (String, Vec<Bytes>) {
        let id = uuid::Uuid::new_v4().to_string();
        let header = json!({
            "msg_id": id, "session": self.session, "username": "test", "date": "",
            "msg_type": msg_type, "version": "5.3",
        })
        .to_string();
        let content = content.to_string();
        let parts: [&[u8]; 4] = [header.as_bytes(), b"{}", b"{}", content.as_bytes()];
        let mut frames = vec![Bytes::from_static(b"<IDS|MSG>"), Bytes::from(sign(&parts))];
        frames.extend(parts.iter().map(|p| Bytes::copy_from_slice(p)));
        (id, frames)
    }

    pub fn send_raw(&mut self, chan: Chan, frames: Vec<Bytes>) {
        let message = ZmqMessage::try_from(frames).expect("frames");
        let socket = match chan {
            Chan::Shell => &mut self.shell,
            Chan::Control => &mut self.control,
            Chan::Stdin => &mut self.stdin,
        };
        self.rt.block_on(socket.send(message)).expect("send");
    }

    pub fn request(&mut self, chan: Chan, msg_type: &str, content: Value) -> String {
        let (id, frames) = self.frames(msg_type, &content);
        self.send_raw(chan, frames);
        id
    }

    fn decode(frames: Vec<Bytes>) -> Option<Msg> {
        let at = Instant::now();
        let split = frames.iter().position(|f| f.as_ref() == b"<IDS|MSG>")?;
        let body = &frames[split + 1..];
        let parts: [&[u8]; 4] = [&body[1], &body[2], &body[3], &body[4]];
        assert_eq!(
            body[0].as_ref(),
            sign(&parts).as_bytes(),
            "kernel signature"
        );
        let header: Value = serde_json::from_slice(&body[1]).ok()?;
        let parent: Value = serde_json::from_slice(&body[2]).ok()?;
        Some(Msg {
            msg_type: header["msg_type"].as_str()?.to_owned(),
            parent_id: parent["msg_id"].as_str().unwrap_or("").to_owned(),
            content: serde_json::from_slice(&body[4]).ok()?,
            at,
        })
    }

    /// The next message on a request channel, or None after `timeout`.
    pub fn reply(&mut self, chan: Chan, timeout: Duration) -> Option<Msg> {
        let socket = match chan {
            Chan::Shell => &mut self.shell,
            Chan::Control => &mut self.control,
            Chan::Stdin => &mut self.stdin,
        };
        let frames = self
            .rt
            .block_on(async { tokio::time::timeout(timeout, socket.recv()).await })
            .ok()?
            .ok()?;
        Self::decode(frames.into_vec())
    }

    pub fn next_iopub(&mut self, timeout: Duration) -> Option<Msg> {
        let iopub = &mut self.iopub;
        let frames = self
            .rt
            .block_on(async { tokio::time::timeout(timeout, iopub.recv()).await })
            .ok()?
            .ok()?;
        Self::decode(frames.into_vec())
    }

    /// iopub messages answering `parent` up to and including its idle status.
    pub fn iopub_until_idle(&mut self, parent: &str, timeout: Duration) -> Vec<Msg> {
        let deadline = Instant::now() + timeout;
        let mut out = Vec::new();
        while let Some(msg) = self.next_iopub(deadline.saturating_duration_since(Instant::now())) {
            if msg.parent_id != parent {
                continue;
            }
            let idle = msg.msg_type == "status" && msg.content["execution_state"] == "idle";
            out.push(msg);
            if idle {
                break;
            }
        }
        out
    }

    /// Runs a cell; returns the execute_reply and the cell's iopub messages.
    pub fn execute(&mut self, code: &str) -> (Msg, Vec<Msg>) {
        let id = self.request(
            Chan::Shell,
            "execute_request",
            json!({ "code": code, "silent": false }),
        );
        // iopub first, so arrival times are real; the reply waits in the socket meanwhile.
        let iopub = self.iopub_until_idle(&id, Duration::from_secs(300));
        let reply = self
            .reply(Chan::Shell, Duration::from_secs(30))
            .expect("execute_reply");
        (reply, iopub)
    }
}

impl Drop for Kernel {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn types(messages: &[Msg]) -> Vec<&str> {
    messages.iter().map(|m| m.msg_type.as_str()).collect()
}
