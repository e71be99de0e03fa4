//! `Logs`: named values (loss, metrics) handed to callbacks, updated in place each batch.

use std::fmt;

/// Values by name, in Keras's order: training keys sorted, then `val_` keys sorted.
///
/// ```
/// use neurust_nn::callbacks::Logs;
/// let mut logs = Logs::new(&["loss", "accuracy"]);
/// logs.set("loss", 0.5);
/// assert_eq!(logs.get("loss"), Some(0.5));
/// assert_eq!(logs.get("accuracy"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Logs {
    entries: Vec<(String, Option<f64>)>,
}

impl Logs {
    /// Logs with these keys, all unset.
    pub fn new(keys: &[&str]) -> Self {
        let mut logs = Logs {
            entries: keys.iter().map(|k| (k.to_string(), None)).collect(),
        };
        logs.sort();
        logs
    }

    fn sort(&mut self) {
        self.entries
            .sort_by(|a, b| (a.0.starts_with("val_"), &a.0).cmp(&(b.0.starts_with("val_"), &b.0)));
    }

    /// Sets a value (adding the key if it is new).
    pub fn set(&mut self, key: &str, value: f64) {
        match self.entries.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = Some(value),
            None => {
                self.entries.push((key.to_string(), Some(value)));
                self.sort();
            }
        }
    }

    /// The value of a key, if set.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|e| e.1)
    }

    /// A reference to the value of a key, if set.
    pub fn get_ref(&self, key: &str) -> Option<&f64> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|e| e.1.as_ref())
    }

    /// Unsets every value, keeping the keys.
    pub fn clear(&mut self) {
        self.entries.iter_mut().for_each(|e| e.1 = None);
    }

    /// The set values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.entries
            .iter()
            .filter_map(|(k, v)| v.map(|v| (k.as_str(), v)))
    }
}

impl fmt::Display for Logs {
    /// `accuracy: 0.9202 - loss: 0.2766`, as Keras prints them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(" - ")?;
            }
            if v != 0.0 && v.abs() < 1e-3 {
                write!(f, "{k}: {v:.4e}")?;
            } else {
                write!(f, "{k}: {v:.4}")?;
            }
        }
        Ok(())
    }
}
