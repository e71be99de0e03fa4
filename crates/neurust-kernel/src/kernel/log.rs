//! The kernel's own log lines, on its stderr (which Jupyter shows in its terminal).

pub fn log(text: &str) {
    eprintln!("neurust-kernel: {}", text.trim_end());
}
