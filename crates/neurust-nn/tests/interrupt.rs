//! The process-wide interrupt flag (what the notebook kernel's interrupt sets). In its own test
//! binary: the flag is global, so it must not race with other tests' fits.

mod common;

use common::{blobs, small_model};
use neurust_nn::Error;
use neurust_nn::callbacks::{Callback, CallbackContext, Logs};

#[test]
fn the_process_interrupt_flag_stops_fit_too() {
    let (x, y) = blobs(40, 12);
    let mut model = small_model(13, 0.0);
    struct Interrupt;
    impl Callback for Interrupt {
        fn on_train_batch_end(&mut self, _ctx: &mut CallbackContext, batch: usize, _logs: &Logs) {
            if batch == 1 {
                neurust_nn::callbacks::interrupt();
            }
        }
    }
    let err = model
        .fit(&x, &y)
        .epochs(3)
        .batch_size(8)
        .verbose(0)
        .callback(Interrupt)
        .run()
        .unwrap_err();
    assert!(matches!(err, Error::Interrupted { .. }), "{err}");
    // The flag was consumed: the next fit runs to the end.
    model.fit(&x, &y).epochs(1).verbose(0).run().unwrap();
}
