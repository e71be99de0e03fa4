//! `Sequential`: the layer stack, its build for an input shape, and its weights.

use ndarray::ArrayD;

use super::compiled::Compiled;
use crate::error::fmt_shape;
use crate::layers::Layer;
use crate::{Error, History, Result, Rng};

/// A linear stack of layers, like `keras.Sequential`.
///
/// ```
/// use neurust_nn::{Dense, Dropout, Flatten, Sequential};
/// let mut model = Sequential::new();
/// model.add(Flatten::new().input_shape([28, 28]));
/// model.add(Dense::new(256).activation("relu"));
/// model.add(Dropout::new(0.2));
/// model.add(Dense::new(10).activation("softmax"));
/// model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"]).unwrap();
/// assert_eq!(model.count_params(), 203_530);
/// ```
pub struct Sequential {
    pub(crate) name: String,
    pub(crate) layers: Vec<Box<dyn Layer>>,
    /// The per-sample input shape once the model is built.
    pub(crate) input_shape: Option<Vec<usize>>,
    pub(crate) compiled: Option<Compiled>,
    pub(crate) rng: Rng,
    pub(crate) history: History,
}

impl Default for Sequential {
    fn default() -> Self {
        Self::new()
    }
}

impl Sequential {
    /// An empty model; weights will be drawn from [`set_random_seed`](crate::set_random_seed)'s
    /// generator if it was set, else from a clock-seeded one.
    pub fn new() -> Self {
        Self::with_seed(crate::rng::next_seed())
    }

    /// An empty model whose weight initialisation is fixed by `seed`.
    pub fn with_seed(seed: u64) -> Self {
        Sequential {
            name: "sequential".into(),
            layers: Vec::new(),
            input_shape: None,
            compiled: None,
            rng: Rng::new(seed),
            history: History::default(),
        }
    }

    /// Appends a layer, naming it after its class ("dense", "dense_1", ...) unless named.
    /// A model that is already built is rebuilt with fresh weights at the next compile or fit.
    pub fn add(&mut self, layer: impl Layer + 'static) -> &mut Self {
        let mut layer: Box<dyn Layer> = Box::new(layer);
        if layer.name().is_empty() {
            let base = snake_case(layer.class_name());
            let same = self
                .layers
                .iter()
                .filter(|l| l.class_name() == layer.class_name())
                .count();
            layer.set_name(if same == 0 {
                base
            } else {
                format!("{base}_{same}")
            });
        }
        self.layers.push(layer);
        self.input_shape = None;
        self
    }

    /// The layers, in order.
    pub fn layers(&self) -> impl Iterator<Item = &dyn Layer> {
        self.layers.iter().map(|l| l.as_ref())
    }

    /// The declared per-sample input shape (`Flatten::new().input_shape([28, 28])`), or the
    /// shape the model was built for.
    pub fn input_shape(&self) -> Option<Vec<usize>> {
        self.input_shape.clone().or_else(|| {
            self.layers
                .first()?
                .declared_input_shape()
                .map(|s| s.to_vec())
        })
    }

    /// Each layer's per-sample output shape for an input shape; the first error stops it.
    /// An input dimension of 0 is an error: no layer makes a 0 from a non-zero size, so every
    /// layer then sees at least one value per sample (and a Dense layer's weight count bounds
    /// its output size, which the model-file loader relies on).
    pub(crate) fn output_shapes(&self, input: &[usize]) -> Result<Vec<Vec<usize>>> {
        if input.contains(&0) {
            return Err(Error::invalid(format!(
                "the input shape {} has a dimension of 0; every dimension must be at least 1",
                fmt_shape("n", input)
            )));
        }
        let mut shape = input.to_vec();
        let mut out = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            shape = layer.output_shape(&shape)?;
            out.push(shape.clone());
        }
        Ok(out)
    }

    /// Builds the weights for inputs shaped `(n, per_sample...)`, or checks that shape
    /// against the one the model was built for. Nothing changes on error.
    pub(crate) fn build_for(&mut self, per_sample: &[usize], n: usize) -> Result<()> {
        let mismatch = |want: &[usize]| {
            let mut expected = fmt_shape("n", want);
            if want.last() == Some(&1) && want[..want.len() - 1] == *per_sample {
                expected += &format!(
                    "; the model takes a channel axis: x.insert_axis(Axis({})) adds it",
                    want.len()
                );
            }
            Error::shape("input", expected, fmt_shape(&n.to_string(), per_sample))
        };
        if let Some(built) = &self.input_shape {
            return if built == per_sample {
                Ok(())
            } else {
                Err(mismatch(built))
            };
        }
        if let Some(declared) = self.layers.first().and_then(|l| l.declared_input_shape())
            && declared != per_sample
        {
            return Err(mismatch(declared));
        }
        if self.layers.is_empty() {
            return Err(Error::invalid(
                "the model has no layers: add some with model.add(...)",
            ));
        }
        let shapes = self.output_shapes(per_sample)?;
        let inputs = std::iter::once(per_sample).chain(shapes.iter().map(Vec::as_slice));
        let rng = self.rng.clone();
        for (built, (layer, input)) in self.layers.iter_mut().zip(inputs).enumerate() {
            if let Err(e) = layer.build(input, &mut self.rng) {
                self.layers[..built].iter_mut().for_each(|l| l.unbuild());
                self.rng = rng;
                return Err(e);
            }
        }
        self.input_shape = Some(per_sample.to_vec());
        // Fresh weights (of maybe new sizes, after `add`) need a fresh optimizer state.
        if let Some(compiled) = self.compiled.as_mut() {
            compiled.optimizer.reset();
        }
        Ok(())
    }

    /// The number of outputs per sample, once the shape is known.
    pub(crate) fn output_width(&self) -> Option<usize> {
        let shapes = self.output_shapes(&self.input_shape()?).ok()?;
        Some(shapes.last()?.iter().product())
    }

    /// The total number of weights (known once the input shape is).
    pub fn count_params(&self) -> usize {
        self.summary().total_params
    }

    /// Copies of all weights, trainable or not, in Keras's order (per layer: kernel, then
    /// bias; gamma, beta, moving_mean, moving_variance).
    pub fn get_weights(&self) -> Vec<ArrayD<f32>> {
        self.layers
            .iter()
            .flat_map(|l| l.params())
            .map(|p| p.value.clone())
            .collect()
    }

    /// Replaces all weights; the list must match [`get_weights`](Self::get_weights) in count
    /// and shapes. Nothing changes on error.
    pub fn set_weights(&mut self, weights: Vec<ArrayD<f32>>) -> Result<()> {
        let current: Vec<(String, Vec<usize>)> = self
            .layers
            .iter()
            .flat_map(|l| {
                l.params()
                    .into_iter()
                    .map(move |p| (format!("{}/{}", l.name(), p.name), p.value.shape().to_vec()))
            })
            .collect();
        if current.is_empty() {
            return Err(Error::invalid(
                "the model has no weights yet: compile it with a known input shape, or fit it",
            ));
        }
        if current.len() != weights.len() {
            return Err(Error::invalid(format!(
                "set_weights needs {} arrays, got {}",
                current.len(),
                weights.len()
            )));
        }
        for ((name, shape), w) in current.iter().zip(&weights) {
            if w.shape() != shape.as_slice() {
                return Err(Error::shape(
                    format!("weights of {name}"),
                    format!("{shape:?}"),
                    format!("{:?}", w.shape()),
                ));
            }
        }
        let mut incoming = weights.into_iter();
        for layer in &mut self.layers {
            layer.visit_params(&mut |p| {
                if let Some(w) = incoming.next() {
                    // The optimizer updates weights as flat slices: keep them row-major.
                    p.value = if w.is_standard_layout() {
                        w
                    } else {
                        w.as_standard_layout().into_owned()
                    };
                }
            });
        }
        Ok(())
    }

    /// The History of the latest `fit` (also after an interrupted one).
    pub fn history(&self) -> &History {
        &self.history
    }
}

/// Keras's layer names: "MaxPooling2D" → "max_pooling2d" (a capital after a digit starts
/// no new word).
fn snake_case(class: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in class.chars() {
        if c.is_uppercase() && prev.is_some_and(|p| p.is_lowercase()) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    out
}
