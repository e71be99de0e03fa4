//! Optimizers with Keras 3's defaults and update formulas. Names such as "adam" resolve to
//! typed configs here, in one place; the per-parameter state lives in [`OptimizerState`].

mod adam;
#[cfg(target_arch = "x86_64")]
mod adam_avx512;
mod check;
mod rmsprop;
mod sgd;

pub use adam::{Adam, AdamW};
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

use crate::layers::{Layer, Param};
use crate::parallel::{self, SharedMut, split_range};
use crate::{Error, Result};

/// An optimizer configuration.
///
/// ```
/// use neurust_nn::{Adam, IntoOptimizer, Optimizer};
/// let by_name = "adam".into_optimizer().unwrap();
/// assert_eq!(by_name, Optimizer::Adam(Adam::default()));
/// let typed = Adam::new().learning_rate(3e-4).into_optimizer().unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum Optimizer {
    /// Adam.
    Adam(Adam),
    /// Adam with decoupled weight decay.
    AdamW(AdamW),
    /// Stochastic gradient descent, optionally with (Nesterov) momentum.
    Sgd(Sgd),
    /// RMSprop.
    RmsProp(RmsProp),
}

/// The optimizer names a string may hold.
pub const OPTIMIZER_NAMES: &[&str] = &["adam", "adamw", "sgd", "rmsprop"];

/// Something that names an optimizer: a config or its Keras name.
pub trait IntoOptimizer {
    /// The optimizer, or the error listing the valid names.
    fn into_optimizer(self) -> Result<Optimizer>;
}

impl IntoOptimizer for &str {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(match self.trim().to_ascii_lowercase().as_str() {
            "adam" => Optimizer::Adam(Adam::default()),
            "adamw" => Optimizer::AdamW(AdamW::default()),
            "sgd" => Optimizer::Sgd(Sgd::default()),
            "rmsprop" => Optimizer::RmsProp(RmsProp::default()),
            _ => {
                return Err(Error::UnknownName {
                    kind: "optimizer",
                    name: self.into(),
                    valid: OPTIMIZER_NAMES,
                });
            }
        })
    }
}
impl IntoOptimizer for Optimizer {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(self)
    }
}

/// What one update of one parameter tensor needs: its values, gradient and state slots.
pub(crate) struct Update<'a> {
    pub p: &'a mut [f32],
    pub g: &'a [f32],
    pub s: [&'a mut [f32]; 3],
}

impl Optimizer {
    /// The Keras name.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Adam(_) => "adam",
            Optimizer::AdamW(_) => "adamw",
            Optimizer::Sgd(_) => "sgd",
            Optimizer::RmsProp(_) => "rmsprop",
        }
    }

    /// The learning rate.
    pub fn learning_rate(&self) -> f32 {
        match self {
            Optimizer::Adam(o) => o.learning_rate,
            Optimizer::AdamW(o) => o.adam.learning_rate,
            Optimizer::Sgd(o) => o.learning_rate,
            Optimizer::RmsProp(o) => o.learning_rate,
        }
    }

    fn slots(&self) -> usize {
        match self {
            Optimizer::Adam(_) | Optimizer::AdamW(_) => 2,
            Optimizer::Sgd(o) => usize::from(o.momentum != 0.0),
            Optimizer::RmsProp(o) => 1 + usize::from(o.momentum > 0.0) + usize::from(o.centered),
        }
    }

    /// Adam's step size for step `t` (from 1); 0 for the others.
    fn alpha(&self, t: u64) -> f32 {
        match self {
            Optimizer::Adam(o) => o.alpha(t),
            Optimizer::AdamW(o) => o.adam.alpha(t),
            Optimizer::Sgd(_) | Optimizer::RmsProp(_) => 0.0,
        }
    }

    /// Applies one update to a chunk; `alpha` comes from [`Optimizer::alpha`].
    fn update(&self, alpha: f32, u: Update) {
        crate::simd::widest(
            #[inline(always)]
            || match self {
                Optimizer::Adam(o) => o.update(alpha, u),
                Optimizer::AdamW(o) => o.update(alpha, u),
                Optimizer::Sgd(o) => o.update(u),
                Optimizer::RmsProp(o) => o.update(u),
            },
        )
    }
}

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

/// Zero for values too small for a normal f32. Moments of weights whose gradient stays zero
/// (an always-black MNIST pixel) decay geometrically into subnormals, which x86 processes about
/// 100 times slower; flushing them (as TensorFlow's flush-to-zero does) keeps every step fast.
#[inline(always)]
pub(crate) fn flush(x: f32) -> f32 {
    if x.abs() < f32::MIN_POSITIVE { 0.0 } else { x }
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
