//! What the kernel and the user-code process agree on, beside the line protocol of the
//! `neurust-stream` crate: the descriptor the commands arrive on, the line that announces a read
//! of stdin, and how evcxr names a cell's library. One side writes or uses each of these in
//! `child/`, the other reads or looks for it in `kernel/`.

use std::os::fd::RawFd;

/// Where the user-code process reads evcxr's commands (the interrupt watchdog looks for a read
/// on it to know the process is idle).
pub const COMMAND_FD: RawFd = 100;

/// The line that tells the kernel a cell waits on stdin. An `evcxr_input` read adds
/// ` text:<prompt>` or ` password:<prompt>`.
pub const STDIN_READ_MARKER: &str = "NEURUST-STDIN-READ-V1";

/// What the input box shows, from an `evcxr_input` call; empty for a plain read of stdin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ask {
    pub prompt: String,
    pub password: bool,
}

/// The announcement of a read, as a line (without its newline).
pub fn announcement(ask: Option<&Ask>) -> String {
    match ask {
        None => STDIN_READ_MARKER.to_owned(),
        Some(ask) => {
            let kind = if ask.password { "password" } else { "text" };
            format!("{STDIN_READ_MARKER} {kind}:{}", ask.prompt)
        }
    }
}

/// What an output line announces: None if it is not an announcement.
pub fn announced(line: &str) -> Option<Ask> {
    let rest = line.strip_prefix(STDIN_READ_MARKER)?;
    if rest.is_empty() {
        return Some(Ask::default());
    }
    let (kind, prompt) = rest.strip_prefix(' ')?.split_once(':')?;
    let password = match kind {
        "text" => false,
        "password" => true,
        _ => return None,
    };
    Some(Ask {
        prompt: prompt.to_owned(),
        password,
    })
}

/// Whether a file name is one of evcxr's cell libraries: `libcode_<n>.so`.
pub fn is_cell_library(name: &str) -> bool {
    name.strip_prefix("libcode_")
        .and_then(|rest| rest.strip_suffix(".so"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_reads_back_as_it_was_written() {
        assert_eq!(announced(&announcement(None)), Some(Ask::default()));
        for (prompt, password) in [("Name: ", false), ("Key: a:b ", true), ("", false)] {
            let ask = Ask {
                prompt: prompt.to_owned(),
                password,
            };
            let line = announcement(Some(&ask));
            assert_eq!(announced(&line), Some(ask), "{line:?}");
        }
        for not_one in [
            "NEURUST-STDIN-READ-V1x",
            "NEURUST-STDIN-READ-V1 other:x",
            "text:x",
        ] {
            assert_eq!(announced(not_one), None, "{not_one}");
        }
    }
}
