//! Runs inside the user-code process: gives the memory of finished cells' code back to the OS.
//!
//! evcxr loads every cell as a shared library and never unloads it (a later cell may still call
//! a function it defined or drop a value it made). Most of that code never runs again, yet its
//! pages stay in the process, most of them clean pages read from the library file (figures in
//! `docs/FIGURES.md`). After each cell the relay asks the OS to reclaim
//! the cell libraries' pages (`MADV_PAGEOUT`): clean pages are dropped and read back from the
//! file if the code runs again; pages the dynamic linker modified (relocated pointers) are kept,
//! or swapped where there is swap. Nothing is lost either way: this is what memory pressure
//! would do, done early. On kernels before Linux 5.4 the advice fails and nothing changes.
//!
//! Every cell library is advised after every cell, not only the new ones: pages of old ones
//! come back as later cells touch them (a replaced variable's drop runs the code of the cell
//! that made it, and the OS maps a touched page's neighbours with it), and advising each library
//! only once left about half of the file-backed pages in a soak. Adjacent mappings are advised
//! in one call.

use crate::common::contract::is_cell_library;

/// Advises the OS to reclaim the pages of every cell library. Returns the number of calls.
pub fn cell_finished() -> usize {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return 0;
    };
    let mut calls = 0;
    let mut pending: Option<std::ops::Range<usize>> = None;
    for range in cell_library_mappings(&maps) {
        match &mut pending {
            Some(run) if run.end == range.start => run.end = range.end,
            _ => {
                if let Some(run) = pending.replace(range) {
                    page_out(run);
                    calls += 1;
                }
            }
        }
    }
    if let Some(run) = pending {
        page_out(run);
        calls += 1;
    }
    calls
}

/// The address ranges of evcxr's cell libraries (`.../libcode_<n>.so`) in a `/proc/<pid>/maps`
/// listing.
fn cell_library_mappings(maps: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    maps.lines().filter_map(|line| {
        let mut fields = line.split_whitespace();
        let range = fields.next()?;
        let path = fields.nth(4)?;
        if !is_cell_library(path.rsplit('/').next()?) {
            return None;
        }
        let (start, end) = range.split_once('-')?;
        let start = usize::from_str_radix(start, 16).ok()?;
        let end = usize::from_str_radix(end, 16).ok()?;
        (start < end).then_some(start..end)
    })
}

fn page_out(range: std::ops::Range<usize>) {
    // SAFETY: the range is a whole mapping of this process, page-aligned as the kernel lists
    // it; MADV_PAGEOUT never changes the contents a later access sees.
    unsafe {
        libc::madvise(
            range.start as *mut libc::c_void,
            range.end - range.start,
            libc::MADV_PAGEOUT,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn finds_only_cell_libraries() {
        let maps = "\
7f0000000000-7f0000004000 r--p 00000000 fd:01 11 /c/target/x/debug/libcode_12.so
7f0000004000-7f0000009000 r-xp 00004000 fd:01 11 /c/target/x/debug/libcode_12.so
7f0000010000-7f0000011000 r--p 00000000 fd:01 12 /usr/lib/libstd-abc.so
7f0000020000-7f0000021000 r--p 00000000 fd:01 13 /c/libcode_x.so
7f0000030000-7f0000031000 rw-p 00000000 00:00 0
7f0000040000-7f0000041000 rw-p 00000000 00:00 0 [heap]
";
        let found: Vec<_> = cell_library_mappings(maps).collect();
        assert_eq!(
            found,
            [
                0x7f00_0000_0000..0x7f00_0000_4000,
                0x7f00_0000_4000..0x7f00_0000_9000
            ]
        );
    }

    /// Resident kilobytes of the mapping starting at `start`, from /proc/self/smaps.
    fn resident_kb(start: usize) -> usize {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let head = format!("{start:x}-");
        let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&head));
        lines.next().expect("mapping listed");
        lines
            .find_map(|l| l.strip_prefix("Rss:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .expect("Rss")
    }

    #[test]
    fn paging_out_a_mapped_library_file_frees_its_pages_and_keeps_its_bytes() {
        let dir = std::env::temp_dir().join(format!("neurust-trim-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("libcode_1.so");
        let len = 4 << 20;
        let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(&bytes))
            .expect("file");
        let file = std::fs::File::open(&path).expect("open");
        use std::os::fd::AsRawFd;
        // SAFETY: a private read-only mapping of a file this test owns, unmapped at the end.
        let addr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        assert_ne!(addr, libc::MAP_FAILED);
        // SAFETY: the mapping is `len` readable bytes.
        let mapped = unsafe { std::slice::from_raw_parts(addr as *const u8, len) };
        let sum: u64 = mapped.iter().step_by(4096).map(|&b| u64::from(b)).sum();
        let before = resident_kb(addr as usize);
        assert!(
            before >= 3 * 1024,
            "touched pages are resident: {before} kB"
        );

        let advised = cell_finished();
        let after = resident_kb(addr as usize);
        assert!(advised >= 1);
        assert!(after < before / 4, "resident {before} kB -> {after} kB");
        let again: u64 = mapped.iter().step_by(4096).map(|&b| u64::from(b)).sum();
        assert_eq!(again, sum, "the bytes read back are the same");
        assert_eq!(mapped[len - 1], bytes[len - 1]);

        // SAFETY: unmapping the mapping made above; `mapped` is not used after this.
        unsafe { libc::munmap(addr, len) };
        let _ = std::fs::remove_dir_all(&dir);
    }
}
