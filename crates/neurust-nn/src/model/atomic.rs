//! Writing a file so that it appears whole or not at all: the bytes go to a temporary next to
//! the target (same directory, so the final rename cannot cross file systems), are flushed to
//! disk, and only then renamed over the target. On a failure the process sees (no such
//! directory, read-only file system, disk full half-way) the temporary is removed and an
//! existing file under the target name is left untouched. A process killed while writing
//! leaves its temporary (`<name>.tmp-<pid>-<n>`) behind, never a partial target; a later save
//! passes over such a leftover.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes temporaries of saves running at once in one process (threads, or two cells:
/// hence one counter per process, see `crate::process`).
pub(crate) fn sequence() -> &'static AtomicU64 {
    static THIS_COPY: OnceLock<&'static AtomicU64> = OnceLock::new();
    crate::process::shared(&THIS_COPY, "SAVE_SEQUENCE", || AtomicU64::new(0))
}

/// The temporary used while writing `path`: `<name>.tmp-<pid>-<n>` in the same directory.
pub(crate) fn temporary_for(path: &Path) -> PathBuf {
    let n = sequence().fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// Writes `path` through `write`, atomically (see the module comment).
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    if path.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file",
        ));
    }
    let (tmp, mut file) = create_temporary(path)?;
    let written = write(&mut file)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Creates a fresh temporary for `path`. `create_new`: never truncate a file this call did not
/// create, such as one left by a killed process whose pid this process now has.
fn create_temporary(path: &Path) -> io::Result<(PathBuf, File)> {
    let mut tries = 0;
    loop {
        let tmp = temporary_for(path);
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 1000 => tries += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// "No space left on device" on Linux, macOS and the BSDs.
    const ENOSPC: i32 = 28;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("neurust-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A disk that fills up half-way: the writer gets part of the bytes out, then ENOSPC.
    fn disk_full(file: &mut File) -> io::Result<()> {
        file.write_all(&[7u8; 4096])?;
        Err(io::Error::from_raw_os_error(ENOSPC))
    }

    #[test]
    fn a_failed_write_leaves_neither_the_target_nor_the_temporary() {
        let dir = scratch("fail");
        let target = dir.join("model.safetensors");
        let err = write_atomically(&target, disk_full).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(ENOSPC), "{err}");
        assert!(entries(&dir).is_empty(), "left behind: {:?}", entries(&dir));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_previous_file_intact() {
        let dir = scratch("keep");
        let target = dir.join("model.safetensors");
        write_atomically(&target, |f| f.write_all(b"old model")).unwrap();
        write_atomically(&target, disk_full).unwrap_err();
        assert_eq!(fs::read(&target).unwrap(), b"old model");
        assert_eq!(entries(&dir), ["model.safetensors"]);
        write_atomically(&target, |f| f.write_all(b"new model")).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new model");
        assert_eq!(entries(&dir), ["model.safetensors"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_rename_removes_the_temporary() {
        // The target is a non-empty directory: the bytes are written, the rename fails.
        let dir = scratch("rename");
        let target = dir.join("model.safetensors");
        fs::create_dir_all(target.join("inside")).unwrap();
        write_atomically(&target, |f| f.write_all(b"bytes")).unwrap_err();
        assert_eq!(entries(&dir), ["model.safetensors"]);
        assert!(target.join("inside").is_dir());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporaries_left_by_a_killed_process_are_passed_over() {
        let dir = scratch("leftover");
        let target = dir.join("model.safetensors");
        let next = sequence().load(Ordering::Relaxed);
        for n in next..next + 50 {
            let name = format!("model.safetensors.tmp-{}-{n}", std::process::id());
            fs::write(dir.join(name), b"someone else's").unwrap();
        }
        write_atomically(&target, |f| f.write_all(b"model")).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"model");
        let leftovers = entries(&dir).into_iter().filter(|n| n.contains(".tmp-"));
        for name in leftovers.collect::<Vec<_>>() {
            assert_eq!(
                fs::read(dir.join(&name)).unwrap(),
                b"someone else's",
                "{name}"
            );
        }
        assert_eq!(entries(&dir).len(), 51);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporaries_are_unique_and_beside_the_target() {
        let a = temporary_for(Path::new("/data/m.safetensors"));
        let b = temporary_for(Path::new("/data/m.safetensors"));
        assert_ne!(a, b);
        assert_eq!(a.parent(), Some(Path::new("/data")));
        assert!(a.to_string_lossy().starts_with("/data/m.safetensors.tmp-"));
    }
}
