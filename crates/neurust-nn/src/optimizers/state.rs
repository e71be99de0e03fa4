//! `OptimizerState`: an optimizer with its per-parameter state, applying updates to a model's
//! trainable parameters (in parallel for long tensors; a matrix by the blocks its layer's
//! products use, `linalg::Partition`, so that each core updates the block it has in cache).

use std::ops::Range;

use super::optimizer::Optimizer;
use super::update::Update;
use crate::Result;
use crate::layers::{Layer, Param};
use crate::linalg::Partition;
use crate::parallel::{self, SharedMut, split_range};

/// An optimizer with its per-parameter state (moments etc.) and its step counter.
#[derive(Debug, Clone)]
pub struct OptimizerState {
    /// The configuration.
    pub config: Optimizer,
    /// Updates applied so far (Keras's `optimizer.iterations`).
    pub iterations: u64,
    /// Per parameter tensor, `slots × len` floats.
    state: Vec<Vec<f32>>,
}

/// Tensors at least this long are updated by all threads.
const PARALLEL_MIN_LEN: usize = 32_768;

impl OptimizerState {
    /// A fresh state for `config`.
    pub fn new(config: Optimizer) -> Result<Self> {
        config.check()?;
        Ok(OptimizerState {
            config,
            iterations: 0,
            state: Vec::new(),
        })
    }

    /// Forgets the per-parameter state and the step count: the model's weights were rebuilt
    /// (fresh values, maybe new sizes), as if the model had just been compiled.
    pub(crate) fn reset(&mut self) {
        self.iterations = 0;
        self.state.clear();
    }

    /// Applies one update to every trainable parameter, in the order the layers visit them.
    pub(crate) fn step(&mut self, layers: &mut [Box<dyn Layer>]) {
        self.iterations += 1;
        let mut index = 0;
        for layer in layers {
            layer.visit_params(&mut |param| {
                if param.trainable {
                    self.update_param(index, param);
                    index += 1;
                }
            });
        }
    }

    fn update_param(&mut self, index: usize, param: &mut Param) {
        let (slots, config) = (self.config.slots(), self.config);
        let alpha = config.alpha(self.iterations);
        // A tensor of two or more axes is a matrix of its last axis' columns.
        let cols = match param.value.shape() {
            [_, .., last] => *last,
            _ => 0,
        };
        let (p, g) = param.slices();
        let len = p.len();
        if self.state.len() <= index {
            self.state.push(vec![0.0; slots * len]);
        }
        if self.state[index].len() != slots * len {
            // A tensor whose size changed since its state was made: start its state afresh.
            self.state[index] = vec![0.0; slots * len];
        }
        let state = &mut self.state[index];
        let parts = if len >= PARALLEL_MIN_LEN {
            parallel::num_threads()
        } else {
            1
        };
        if parts == 1 {
            let s = split_slots(state, 0..len, len);
            config.update(alpha, Update { p, g, s });
            return;
        }
        let matrix = (cols > 0).then(|| Partition::new(len / cols, cols, parts));
        let parts = matrix.map_or(parts, |m| m.parts());
        let (p, state) = (SharedMut::new(p), SharedMut::new(state.as_mut_slice()));
        parallel::run_parts(parts, &|part| {
            let update = |r: Range<usize>| {
                // SAFETY: the parts' runs are disjoint ranges of the values and of every slot.
                let s = [0, 1, 2].map(|k| {
                    if k < slots {
                        unsafe { state.range(k * len + r.start..k * len + r.end) }
                    } else {
                        &mut [][..]
                    }
                });
                let p = unsafe { p.range(r.clone()) };
                config.update(alpha, Update { p, g: &g[r], s });
            };
            match matrix {
                Some(m) => for_each_run(m.block(part), cols, update),
                None => update(split_range(len, part, parts, 16)),
            }
        });
    }
}

/// Calls `f` on each run of contiguous elements of a row-major block of a matrix with `cols`
/// columns: one run when the block spans whole rows (a run may be empty).
fn for_each_run(
    (rows, c): (Range<usize>, Range<usize>),
    cols: usize,
    mut f: impl FnMut(Range<usize>),
) {
    if c.len() == cols {
        f(rows.start * cols..rows.end * cols);
    } else {
        rows.for_each(|r| f(r * cols + c.start..r * cols + c.end));
    }
}

fn split_slots(state: &mut [f32], r: Range<usize>, len: usize) -> [&mut [f32]; 3] {
    let mut rest = state;
    let mut out: [&mut [f32]; 3] = [&mut [], &mut [], &mut []];
    for slot in out.iter_mut() {
        if rest.len() < len {
            break;
        }
        let (head, tail) = rest.split_at_mut(len);
        *slot = &mut head[r.clone()];
        rest = tail;
    }
    out
}
