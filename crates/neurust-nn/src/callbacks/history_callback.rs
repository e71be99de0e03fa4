//! `History` as a callback: how it records each epoch's logs while `fit` runs. Kept apart from
//! the `History` record itself, which the model and the error type hold, so that those do not
//! depend on the `Callback` trait (whose context holds the model).

use super::callback::{Callback, CallbackContext};
use super::history::History;
use super::logs::Logs;

impl Callback for History {
    fn on_train_begin(&mut self, _ctx: &mut CallbackContext) {
        self.history.clear();
        self.epoch.clear();
    }

    fn on_epoch_end(&mut self, _ctx: &mut CallbackContext, epoch: usize, logs: &Logs) {
        self.epoch.push(epoch);
        for (key, value) in logs.iter() {
            self.history.entry(key.to_string()).or_default().push(value);
        }
    }
}
