//! Which thread waits in read(2) on which descriptor, as `/proc` tells it: the interrupt
//! watchdog asks whether the user-code process waits for its next command, and the relay
//! (inside that process) whether a cell waits on stdin.

use std::path::Path;

/// One read under way: the thread, and how many reads it had finished before it (so two reads
/// in a row by one thread are told apart). Without the kernel's per-task I/O accounting
/// (`/proc/<pid>/task/<tid>/io`) the count is always 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadId {
    tid: u32,
    finished: u64,
}

/// The read of `fd` some thread of this process is blocked in, if any.
pub fn read_under_way(fd: i32) -> Option<ReadId> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    tasks.flatten().find_map(|task| {
        let path = task.path();
        if !blocked_reading(&path.join("syscall"), fd) {
            return None;
        }
        let tid = task.file_name().to_str()?.parse().ok()?;
        Some(ReadId {
            tid,
            finished: finished_reads(&path.join("io")).unwrap_or(0),
        })
    })
}

/// The `syscr` line of a task's `io` file: its read(2)-family calls so far. A read is counted
/// when it returns, so the count does not move while the task waits.
fn finished_reads(io_file: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(io_file).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("syscr:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Whether the task whose `/proc/.../syscall` file this is, is blocked in read(2) on `fd`.
pub fn blocked_reading(syscall_file: &Path, fd: i32) -> bool {
    #[cfg(target_arch = "x86_64")]
    const READ: &str = "0";
    #[cfg(target_arch = "aarch64")]
    const READ: &str = "63";
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    return false;
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    match std::fs::read_to_string(syscall_file) {
        Ok(text) => {
            let mut fields = text.split_whitespace();
            fields.next() == Some(READ) && fields.next() == Some(format!("{fd:#x}").as_str())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    fn wait_for(fd: i32, differs_from: Option<ReadId>) -> ReadId {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(read) = read_under_way(fd).filter(|r| Some(*r) != differs_from) {
                return read;
            }
            assert!(Instant::now() < deadline, "no new read of fd {fd} seen");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn two_reads_in_a_row_by_one_thread_are_told_apart() {
        use std::os::fd::AsRawFd;
        let (mut theirs, mut ours) = std::io::pipe().unwrap();
        let fd = theirs.as_raw_fd();
        let reader = std::thread::spawn(move || {
            let mut byte = [0u8; 1];
            theirs.read_exact(&mut byte).unwrap();
            theirs.read_exact(&mut byte).unwrap();
        });
        let first = wait_for(fd, None);
        assert_eq!(read_under_way(fd), Some(first), "the same read, seen again");
        ours.write_all(b"a").unwrap();
        let second = wait_for(fd, Some(first));
        assert_eq!(first.tid, second.tid);
        assert!(
            second.finished > first.finished,
            "{first:?} then {second:?}"
        );
        ours.write_all(b"b").unwrap();
        reader.join().unwrap();
        assert_eq!(read_under_way(fd), None);
    }
}
