//! `History`: the per-epoch logs of a `fit` call, as Keras's `History` callback records them.

use std::collections::BTreeMap;

/// What `fit` returns: one value per epoch for each of loss, metrics and their `val_` twins.
///
/// ```
/// use neurust_nn::History;
/// let history = History::default();
/// assert!(history.history.is_empty() && history.epoch.is_empty());
/// // After fit: history.history["accuracy"][0] is the first epoch's training accuracy.
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Values per key ("loss", "accuracy", "val_loss", "val_accuracy"), one per epoch.
    pub history: BTreeMap<String, Vec<f64>>,
    /// The epochs recorded (0-based, as Keras).
    pub epoch: Vec<usize>,
}

impl History {
    /// The values of a key, or an empty slice.
    pub fn get(&self, key: &str) -> &[f64] {
        self.history.get(key).map_or(&[], |v| v.as_slice())
    }

    /// The keys recorded, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.history.keys().map(|k| k.as_str())
    }
}

impl std::fmt::Display for History {
    /// One line per epoch, as Keras prints a History's values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "History ({} epochs)", self.epoch.len())?;
        for (i, e) in self.epoch.iter().enumerate() {
            write!(f, "epoch {}:", e + 1)?;
            for (k, v) in &self.history {
                if let Some(v) = v.get(i) {
                    write!(f, " {k}={v:.4}")?;
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
