//! Who may own the build cache's root: the kernel loads and runs code compiled there, so no
//! other user may be able to write to it, or to swap it for a directory of their own.

use anyhow::{Context, Result, bail};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Checks that `dir` belongs to `uid` and that no one else can write to it or replace it. The
/// default location is the kernel's own: it must be a real directory, and it is made private
/// (0700) if an early version left it open. A directory the user chose (`chosen`) may be a
/// symbolic link of the user's own; it is never changed, only refused when others can write to
/// it. Either way its parent must not let others rename or replace entries (a world-writable
/// parent needs the sticky bit, as /tmp has).
pub fn owned_and_private(dir: &Path, uid: u32, chosen: bool) -> Result<()> {
    let shown = dir.display();
    let entry = std::fs::symlink_metadata(dir).with_context(|| shown.to_string())?;
    if entry.file_type().is_symlink() && (!chosen || entry.uid() != uid) {
        bail!(
            "the build cache {shown} is a symbolic link{}, so another user could point it at \
             code of their own; remove it, or set NEURUST_CACHE_DIR to a directory of your own",
            if entry.uid() == uid {
                ""
            } else {
                " made by another user"
            }
        );
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        let mode = std::fs::metadata(parent)
            .with_context(|| parent.display().to_string())?
            .mode();
        if mode & 0o022 != 0 && mode & 0o1000 == 0 {
            bail!(
                "the build cache {shown} is in {}, which other users can write to (mode {:o}) \
                 and so could replace the cache with their own; set NEURUST_CACHE_DIR to a \
                 directory inside one only you can write to",
                parent.display(),
                mode & 0o7777
            );
        }
    }
    let meta = std::fs::metadata(dir).with_context(|| dir.display().to_string())?;
    if meta.uid() != uid {
        bail!(
            "the build cache {} belongs to another user (uid {}, not {uid}); set \
             NEURUST_CACHE_DIR to a directory of your own",
            dir.display(),
            meta.uid()
        );
    }
    if !chosen && meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| dir.display().to_string())?;
    } else if meta.mode() & 0o022 != 0 {
        bail!(
            "the build cache {} can be written by other users (mode {:o}), who could plant \
             code the kernel would run; make it private (chmod 700) or choose another \
             NEURUST_CACHE_DIR",
            dir.display(),
            meta.mode() & 0o777
        );
    }
    Ok(())
}
