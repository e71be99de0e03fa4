//! `OptimizerState`: an optimizer with its per-parameter state, applying updates to a model's
//! trainable parameters (in parallel for long tensors).

use super::optimizer::Optimizer;
use super::update::Update;
use crate::Result;
use crate::layers::{Layer, Param};
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
        let (p, state) = (SharedMut::new(p), SharedMut::new(state.as_mut_slice()));
        parallel::run_parts(parts, &|part| {
            let r = split_range(len, part, parts, 16);
            // SAFETY: each part takes its own range of the values and of every slot.
            let s = [0, 1, 2].map(|k| {
                if k < slots {
                    unsafe { state.range(k * len + r.start..k * len + r.end) }
                } else {
                    &mut [][..]
                }
            });
            let p = unsafe { p.range(r.clone()) };
            config.update(alpha, Update { p, g: &g[r], s });
        });
    }
}

fn split_slots(state: &mut [f32], r: std::ops::Range<usize>, len: usize) -> [&mut [f32]; 3] {
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
