//! `save` to places that cannot take the file: the error names the path and the cause, nothing
//! is left under the target name or beside it, and an earlier model there survives. (A disk that
//! fills up half-way is covered by the unit tests of `model/atomic.rs`, with a failing writer,
//! and end to end on a tiny tmpfs by tests/faults.)

mod common;

use std::path::{Path, PathBuf};

use common::small_model;
use neurust_nn::load_model;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("neurust-save-fail-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_path_under_a_regular_file_is_an_error_naming_it() {
    let dir = scratch("notdir");
    std::fs::write(dir.join("plain"), b"not a directory").unwrap();
    let target = dir.join("plain").join("model.safetensors");
    let text = small_model(1, 0.0).save(&target).unwrap_err().to_string();
    assert!(
        text.contains(&target.display().to_string()) && text.contains("Not a directory"),
        "{text}"
    );
    assert_eq!(entries(&dir), ["plain"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_directory_is_an_error_and_is_not_created() {
    let dir = scratch("missing");
    let target = dir.join("no-such-dir").join("model.safetensors");
    let text = small_model(1, 0.0).save(&target).unwrap_err().to_string();
    assert!(text.contains("No such file or directory"), "{text}");
    assert!(entries(&dir).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_target_that_is_a_directory_keeps_it_and_leaves_no_temporary() {
    let dir = scratch("isdir");
    let target = dir.join("model.safetensors");
    std::fs::create_dir_all(target.join("keep")).unwrap();
    let text = small_model(1, 0.0).save(&target).unwrap_err().to_string();
    assert!(text.contains("cannot write model to"), "{text}");
    assert_eq!(entries(&dir), ["model.safetensors"]);
    assert!(target.join("keep").is_dir());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_refused_save_keeps_the_earlier_model() {
    let dir = scratch("keep");
    let target = dir.join("model.safetensors");
    let first = small_model(1, 0.0);
    first.save(&target).unwrap();
    let before = std::fs::read(&target).unwrap();
    // Two layers with one name cannot be saved: the check runs before any byte is written.
    let mut clash = small_model(2, 0.0);
    clash.add(neurust_nn::Dense::new(3).name("dense"));
    clash.save(&target).unwrap_err();
    assert_eq!(std::fs::read(&target).unwrap(), before);
    assert_eq!(entries(&dir), ["model.safetensors"]);
    load_model(&target).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg(target_os = "linux")]
fn a_pseudo_file_system_refuses_and_nothing_is_left() {
    // procfs does not let anyone (root included) create files.
    let text = small_model(1, 0.0)
        .save("/proc/neurust-model.safetensors")
        .unwrap_err()
        .to_string();
    assert!(text.contains("/proc/neurust-model.safetensors"), "{text}");
    let left: Vec<String> = entries(Path::new("/proc"))
        .into_iter()
        .filter(|n| n.starts_with("neurust-model"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
