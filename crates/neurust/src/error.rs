//! `neurust::Error`: every fallible call of every neurust crate converts into it with `?`.

use std::fmt;

/// Any neurust error; its `Display` is the underlying error's message.
///
/// ```
/// fn load() -> neurust::Result<()> {
///     let _ = neurust::mnist::load_data_from("/nonexistent")?;
///     Ok(())
/// }
/// assert!(load().unwrap_err().to_string().contains("/nonexistent"));
/// ```
#[derive(Debug)]
pub enum Error {
    /// From building, training or saving a model.
    Model(neurust_nn::Error),
    /// From finding, downloading or reading a dataset.
    Data(neurust_datasets::Error),
    /// From drawing a figure or a table.
    Plot(neurust_plot::PlotError),
}

/// Short for `std::result::Result<T, neurust::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(e) => e.fmt(f),
            Error::Data(e) => e.fmt(f),
            Error::Plot(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Model(e) => Some(e),
            Error::Data(e) => Some(e),
            Error::Plot(e) => Some(e),
        }
    }
}

impl From<neurust_nn::Error> for Error {
    fn from(e: neurust_nn::Error) -> Self {
        Error::Model(e)
    }
}
impl From<neurust_datasets::Error> for Error {
    fn from(e: neurust_datasets::Error) -> Self {
        Error::Data(e)
    }
}
impl From<neurust_plot::PlotError> for Error {
    fn from(e: neurust_plot::PlotError) -> Self {
        Error::Plot(e)
    }
}
