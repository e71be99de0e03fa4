//! A tiny HTTP/1.1 server on 127.0.0.1 for download tests. It serves fixed replies,
//! answers one request per connection, records the paths asked for, and stops when
//! dropped, after 60 seconds, or after 200 connections, whichever comes first.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// What the server sends for one path.
#[derive(Clone)]
pub enum Reply {
    /// `200 OK` with this body.
    Body(Vec<u8>),
    /// This status and an empty body.
    Status(u16),
    /// `200 OK` claiming `claimed` bytes but sending only `body`, then closing.
    Short { body: Vec<u8>, claimed: usize },
    /// `200 OK` with this body, sent one byte every `every`.
    Trickle { body: Vec<u8>, every: Duration },
    /// `302 Found` pointing at this URL.
    Redirect(String),
}

pub struct Server {
    pub base: String,
    hits: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts serving `routes` (path → reply); unknown paths get 404.
    pub fn start(routes: Vec<(String, Reply)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let hits = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let routes: HashMap<String, Reply> = routes.into_iter().collect();
        let (hits2, stop2) = (hits.clone(), stop.clone());
        let thread = thread::spawn(move || serve(listener, routes, hits2, stop2));
        Server {
            base,
            hits,
            stop,
            thread: Some(thread),
        }
    }

    /// The paths requested so far.
    pub fn hits(&self) -> Vec<String> {
        self.hits.lock().expect("hits lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    listener: TcpListener,
    routes: HashMap<String, Reply>,
    hits: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut connections = 0;
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline && connections < 200 {
        match listener.accept() {
            Ok((stream, _)) => {
                connections += 1;
                let _ = answer(stream, &routes, &hits);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(5)),
            Err(_) => return,
        }
    }
}

fn answer(
    mut stream: TcpStream,
    routes: &HashMap<String, Reply>,
    hits: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        if stream.read(&mut byte)? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    hits.lock().expect("hits lock").push(path.clone());
    let mut location = String::new();
    let (status, body, claimed, every) = match routes.get(&path) {
        Some(Reply::Body(b)) => (200, b.clone(), b.len(), None),
        Some(Reply::Status(s)) => (*s, Vec::new(), 0, None),
        Some(Reply::Short { body, claimed }) => (200, body.clone(), *claimed, None),
        Some(Reply::Trickle { body, every }) => (200, body.clone(), body.len(), Some(*every)),
        Some(Reply::Redirect(to)) => {
            location = format!("Location: {to}\r\n");
            (302, Vec::new(), 0, None)
        }
        None => (404, Vec::new(), 0, None),
    };
    let header = format!(
        "HTTP/1.1 {status} X\r\n{location}Content-Length: {claimed}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(header.as_bytes())?;
    match every {
        None => stream.write_all(&body)?,
        Some(every) => {
            for byte in body {
                thread::sleep(every);
                stream.write_all(&[byte])?; // fails once the client has given up
            }
        }
    }
    stream.flush()
}
