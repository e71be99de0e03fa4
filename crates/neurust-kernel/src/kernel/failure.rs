//! Turns evcxr's errors into Jupyter error content: ename, evalue and a traceback whose lines
//! point into the cell (compile errors keep their spans).

use evcxr::{CompilationError, Error};
use serde_json::{Value, json};

pub struct Failure {
    pub ename: String,
    pub evalue: String,
    pub traceback: Vec<String>,
}

impl Failure {
    pub fn new(ename: &str, evalue: impl Into<String>) -> Failure {
        let evalue = evalue.into();
        Failure {
            ename: ename.to_owned(),
            traceback: vec![format!("{ename}: {evalue}")],
            evalue,
        }
    }

    pub fn content(&self) -> Value {
        json!({ "ename": self.ename, "evalue": self.evalue, "traceback": self.traceback })
    }
}

/// Describes a failed evaluation of the cell `code`.
pub fn from_error(error: &Error, code: &str) -> Failure {
    match error {
        Error::CompilationErrors(errors) => compilation(errors, code),
        Error::TypeRedefinedVariablesLost(vars) => Failure::new(
            "VariablesLost",
            format!(
                "a type was redefined; these variables were lost: {}",
                vars.join(", ")
            ),
        ),
        Error::SubprocessTerminated(message) => Failure::new("ProcessCrash", message.trim()),
        Error::Message(message) => Failure::new("Error", message.trim()),
    }
}

fn compilation(errors: &[CompilationError], code: &str) -> Failure {
    let lines: Vec<&str> = code.lines().collect();
    let mut traceback = Vec::new();
    for error in errors {
        traceback.extend(render(error, &lines));
    }
    let first = errors
        .first()
        .map(|e| e.message())
        .unwrap_or_else(|| "compilation failed".to_owned());
    let ename = match errors.first().and_then(|e| e.code()) {
        Some(code) => format!("CompilationError[{code}]"),
        None => "CompilationError".to_owned(),
    };
    Failure {
        ename,
        evalue: first,
        traceback,
    }
}

fn render(error: &CompilationError, lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let head = match error.code() {
        Some(code) => format!("{}[{code}]: {}", error.level(), error.message()),
        None => format!("{}: {}", error.level(), error.message()),
    };
    out.push(format!("\x1b[1;31m{head}\x1b[0m"));
    for spanned in error.spanned_messages() {
        let Some(span) = spanned.span else {
            if !spanned.label.is_empty() {
                out.push(format!("  = {}", spanned.label));
            }
            continue;
        };
        out.push(format!(
            "  --> cell:{}:{}",
            span.start_line, span.start_column
        ));
        if let Some(source) = span.start_line.checked_sub(1).and_then(|i| lines.get(i)) {
            let width = if span.end_line == span.start_line {
                span.end_column.saturating_sub(span.start_column).max(1)
            } else {
                source
                    .chars()
                    .count()
                    .saturating_sub(span.start_column - 1)
                    .max(1)
            };
            out.push(format!("{:>4} | {source}", span.start_line));
            out.push(format!(
                "     | {}{} {}",
                " ".repeat(span.start_column.saturating_sub(1)),
                "^".repeat(width),
                spanned.label
            ));
        }
    }
    for help in error.help() {
        out.push(format!("  = help: {help}"));
    }
    if let Some(hint) = error.evcxr_extra_hint() {
        out.push(format!("  = hint: {hint}"));
    }
    out
}
