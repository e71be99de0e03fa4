//! The training loop behind [`Fit::run`]: Keras's semantics of validation split, shuffling,
//! running-mean metrics, epoch-end validation, callbacks and stopping.

use ndarray::{Array2, s};

use super::batch;
use super::fit::Fit;
use super::holdout::holdout;
use super::inference::evaluate_rows;
use super::step::Workspace;
use crate::callbacks::{
    Callback, CallbackContext, FitParams, Logs, TerminateOnNaN, default_progress, take_interrupt,
};
use crate::data::{TargetBuf, check_finite};
use crate::{Error, History, Metric, Result, Rng, parallel};

impl Fit<'_, '_> {
    /// Trains, and returns the History of this call. An interrupt (or the stop handle) ends
    /// training at the next batch boundary with [`Error::Interrupted`], which holds the History
    /// of the completed epochs; the model keeps what it learned either way.
    pub fn run(self) -> Result<History> {
        let Fit {
            model,
            x,
            y,
            epochs,
            batch_size,
            validation_split,
            validation_data,
            shuffle,
            verbose,
            mut callbacks,
            seed,
            stop,
        } = self;
        let (x, per_sample) = x?;
        let targets = y?;
        let n = x.nrows();
        if n == 0 {
            return Err(Error::invalid(
                "fit needs at least one sample, got an empty array",
            ));
        }
        if targets.len() != n {
            return Err(Error::invalid(format!(
                "x and y differ in length: x has {n} samples, y has {}",
                targets.len()
            )));
        }
        if batch_size == 0 {
            return Err(Error::invalid("batch_size must be at least 1"));
        }
        if !(0.0..1.0).contains(&validation_split) {
            return Err(Error::invalid(format!(
                "validation_split must be in [0, 1), got {validation_split}"
            )));
        }
        model.compiled()?;
        model.build_for(&per_sample, n)?;
        let targets = model.prepare_targets(targets)?;
        check_finite("input", x.view())?;

        let (train_rows, val) = holdout(
            model,
            x.view(),
            &per_sample,
            &targets,
            validation_split,
            validation_data,
        )?;

        let compiled = model.compiled()?;
        let width = model.output_width().unwrap_or(0);
        let metrics = Metric::resolve_all(&compiled.metrics, compiled.loss, &targets, width)?;
        let names: Vec<&str> = std::iter::once("loss")
            .chain(compiled.metrics.iter().map(|m| m.key()))
            .collect();
        let mut log_keys = names.clone();
        let val_names: Vec<String> = names.iter().map(|k| format!("val_{k}")).collect();
        if val.is_some() {
            log_keys.extend(val_names.iter().map(|k| k.as_str()));
        }
        let steps = train_rows.div_ceil(batch_size);
        let params = FitParams {
            epochs,
            steps,
            samples: train_rows,
            batch_size,
            verbose,
            do_validation: val.is_some(),
            metrics: names.iter().map(|k| k.to_string()).collect(),
        };

        let mut history = History::default();
        let mut nan = TerminateOnNaN::default();
        let mut progress = default_progress(verbose);
        let mut list: Vec<&mut dyn Callback> = callbacks
            .iter_mut()
            .map(|c| &mut **c as &mut dyn Callback)
            .collect();
        list.push(&mut nan);
        list.push(&mut history);
        if let Some(p) = progress.as_mut() {
            list.push(p.as_mut());
        }

        let mut rng = Rng::new(seed.unwrap_or_else(crate::rng::next_seed));
        let mut ws = Workspace::new(model, batch_size.min(train_rows), true)?;
        let feat = x.ncols();
        let mut xb = Array2::<f32>::zeros((batch_size.min(train_rows), feat));
        // The next batch, which a worker copies while a step reads `xb`
        // (`parallel::with_background`); the two swap after each step.
        let mut next = xb.clone();
        let mut tb = TargetBuf::for_targets(&targets);
        let mut order: Vec<usize> = (0..train_rows).collect();
        let rows_x = batch::training_rows(x.view(), train_rows);
        let mut logs = Logs::new(&log_keys);
        let mut sums = vec![0.0f64; metrics.len()];
        take_interrupt();

        let mut emit =
            |model: &mut crate::Sequential,
             f: &mut dyn FnMut(&mut dyn Callback, &mut CallbackContext)| {
                let mut ctx = CallbackContext {
                    params: &params,
                    model,
                    stop_training: false,
                };
                for cb in list.iter_mut() {
                    f(&mut **cb, &mut ctx);
                }
                ctx.stop_training
            };

        emit(model, &mut |cb, ctx| cb.on_train_begin(ctx));
        let mut interrupted = None;
        'epochs: for epoch in 0..epochs {
            let mut stop_training = emit(model, &mut |cb, ctx| cb.on_epoch_begin(ctx, epoch));
            if shuffle {
                rng.shuffle(&mut order);
            }
            logs.clear();
            sums.iter_mut().for_each(|s| *s = 0.0);
            let (mut loss_sum, mut seen) = (0.0f64, 0usize);
            for (step, chunk) in order.chunks(batch_size).enumerate() {
                if take_interrupt() || stop.as_ref().is_some_and(|h| h.is_stopped()) {
                    interrupted = Some(format!(
                        "epoch {}/{epochs}, batch {step}/{steps}",
                        epoch + 1
                    ));
                    break 'epochs;
                }
                let rows = chunk.len();
                if step == 0 {
                    batch::gather(rows_x.view(), chunk, xb.view_mut());
                }
                targets.gather(chunk, &mut tb);
                let mut step_fn = || {
                    let loss = ws.gradients(
                        model,
                        xb.slice(s![..rows, ..]),
                        &tb,
                        &mut rng,
                        &metrics,
                        &mut sums,
                    );
                    let compiled = model.compiled.as_mut().expect("checked above");
                    compiled.optimizer.step(&mut model.layers);
                    model.layers.iter_mut().for_each(|l| l.update_state());
                    loss
                };
                loss_sum += match order.chunks(batch_size).nth(step + 1) {
                    Some(idx) => parallel::with_background(
                        &mut || batch::gather(rows_x.view(), idx, next.view_mut()),
                        step_fn,
                    ),
                    None => step_fn(),
                };
                std::mem::swap(&mut xb, &mut next);
                seen += rows;
                logs.set("loss", loss_sum / seen as f64);
                for (m, sum) in compiled_keys(&names).zip(&sums) {
                    logs.set(m, sum / seen as f64);
                }
                stop_training |= emit(model, &mut |cb, ctx| {
                    cb.on_train_batch_end(ctx, step, &logs)
                });
                if stop_training {
                    break;
                }
            }
            if let Some((vx, vy)) = &val {
                let values = evaluate_rows(model, vx.view(), vy, &metrics)?;
                for (k, v) in val_names.iter().zip(values) {
                    logs.set(k, v);
                }
            }
            stop_training |= emit(model, &mut |cb, ctx| cb.on_epoch_end(ctx, epoch, &logs));
            if stop_training {
                break;
            }
        }
        emit(model, &mut |cb, ctx| cb.on_train_end(ctx, &logs));
        drop(list);
        model.history = history.clone();
        match interrupted {
            Some(at) => Err(Error::Interrupted {
                history: Box::new(history),
                at,
            }),
            None => Ok(history),
        }
    }
}

fn compiled_keys<'a>(names: &'a [&'a str]) -> impl Iterator<Item = &'a str> {
    names.iter().skip(1).copied()
}
