//! The one error type of the crate, written to read well in a notebook.

use std::fmt;

use crate::History;

/// Everything that can go wrong when building, training or saving a model.
///
/// Each message says what was expected and what came instead.
///
/// ```
/// use neurust_nn::{Dense, Sequential};
/// let mut model = Sequential::new();
/// model.add(Dense::new(4).activation("relu"));
/// let err = model.compile("adamm", "mse", &["accuracy"]).unwrap_err();
/// assert!(err.to_string().contains("adam"));
/// ```
#[derive(Debug, Clone)]
pub enum Error {
    /// An array had the wrong shape.
    Shape {
        /// What the array is ("input", "labels", "weights of dense").
        what: String,
        /// The expected shape, e.g. "(n, 28, 28)".
        expected: String,
        /// The shape that came.
        got: String,
    },
    /// A name (optimizer, loss, metric, activation, initializer) that is not known.
    UnknownName {
        /// What kind of name it was.
        kind: &'static str,
        /// The name given.
        name: String,
        /// The names that are valid.
        valid: &'static [&'static str],
    },
    /// A label outside what the output layer can predict.
    Label(String),
    /// An argument outside its valid range, or a call in the wrong state.
    Invalid(String),
    /// Inputs or labels holding NaN or infinity.
    NonFinite {
        /// "input" or "labels".
        what: &'static str,
        /// The flat index of the first bad value.
        index: usize,
    },
    /// Training was stopped by an interrupt or a [`StopHandle`](crate::StopHandle).
    Interrupted {
        /// What was trained before the stop (complete epochs only).
        history: Box<History>,
        /// Where training stopped: "epoch 2/5, batch 712/1500".
        at: String,
    },
    /// Reading or writing a model file failed.
    Io(String),
}

/// Short for `std::result::Result<T, neurust_nn::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn shape(
        what: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Self {
        Error::Shape {
            what: what.into(),
            expected: expected.into(),
            got: got.into(),
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }
}

/// Formats a shape the way Keras prints one: `(n, 28, 28)`.
pub(crate) fn fmt_shape(first: &str, rest: &[usize]) -> String {
    let mut parts = vec![first.to_string()];
    parts.extend(rest.iter().map(|d| d.to_string()));
    if parts.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(", "))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Shape {
                what,
                expected,
                got,
            } => {
                write!(
                    f,
                    "shape mismatch for {what}: expected {expected}, got {got}"
                )
            }
            Error::UnknownName { kind, name, valid } => {
                write!(
                    f,
                    "unknown {kind} \"{name}\"; valid {kind}s are: {}",
                    valid.join(", ")
                )
            }
            Error::Label(msg) | Error::Invalid(msg) | Error::Io(msg) => f.write_str(msg),
            Error::NonFinite { what, index } => write!(
                f,
                "{what} holds a NaN or infinite value (first at flat index {index}); \
                 clean or rescale the data before training"
            ),
            Error::Interrupted { history, at } => write!(
                f,
                "training interrupted at {at}; the model keeps the weights trained so far, and \
                 its history() holds the {} completed epoch(s)",
                history.epoch.len()
            ),
        }
    }
}

impl std::error::Error for Error {}
