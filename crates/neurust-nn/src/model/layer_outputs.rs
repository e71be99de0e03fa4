//! `layer_outputs`: what every layer of a model computes for some samples, as Keras gets it with
//! `keras.Model(model.inputs, [layer.output for layer in model.layers]).predict(x)`. For looking
//! inside a trained network (feature maps of a convolution, say), so at inference: dropout off.

use ndarray::{ArrayBase, ArrayD, Axis, Data, Dimension, IxDyn, s};

use super::sequential::Sequential;
use super::step::Workspace;
use crate::{Error, Result, Rng};

/// Rows per forward pass; every layer's output for them is kept, so fewer than `predict` uses.
const CHUNK: usize = 256;

impl Sequential {
    /// The output of every layer for `x`, one array per layer in the model's order, each shaped
    /// `(samples, ...)` like that layer's output in [`summary`](Self::summary) (an `Input` gives
    /// `x` back; `Dropout` passes its input on, as at inference). Memory grows with the samples
    /// times every layer's size: pass a few samples.
    ///
    /// ```
    /// use neurust_nn::{Conv2D, Dense, Flatten, Input, Sequential};
    /// let mut model = Sequential::with_seed(1);
    /// model.add(Input::new([6, 6, 1]));
    /// model.add(Conv2D::new(4, [3, 3]).activation("relu"));
    /// model.add(Flatten::new());
    /// model.add(Dense::new(2).activation("softmax"));
    /// let digit = ndarray::Array4::<f32>::zeros((1, 6, 6, 1));
    /// let outputs = model.layer_outputs(&digit)?;
    /// let shapes: Vec<&[usize]> = outputs.iter().map(|o| o.shape()).collect();
    /// assert_eq!(shapes, [&[1, 6, 6, 1][..], &[1, 4, 4, 4], &[1, 64], &[1, 2]]);
    /// # Ok::<(), neurust_nn::Error>(())
    /// ```
    pub fn layer_outputs<S: Data<Elem = f32>, D: Dimension>(
        &mut self,
        x: &ArrayBase<S, D>,
    ) -> Result<Vec<ArrayD<f32>>> {
        let x = self.inputs(x)?;
        let input = self
            .input_shape
            .clone()
            .ok_or_else(|| Error::invalid("the model is not built"))?;
        let shapes = self.output_shapes(&input)?;
        let rows = x.nrows();
        let mut outputs: Vec<ArrayD<f32>> = shapes
            .iter()
            .map(|shape| ArrayD::zeros(IxDyn(&[&[rows][..], shape].concat())))
            .collect();
        let mut ws = Workspace::new(self, CHUNK.min(rows.max(1)), false)?.with_every_output();
        let mut rng = Rng::new(0);
        for start in (0..rows).step_by(CHUNK) {
            let end = (start + CHUNK).min(rows);
            let chunk = x.slice(s![start..end, ..]);
            ws.forward(self, chunk, &mut rng);
            let mut computed = vec![None; shapes.len()];
            for (layer, out) in ws.outputs(end - start) {
                computed[layer] = Some(out);
            }
            // A layer that computes nothing at inference passes on the last output before it.
            let mut last = chunk;
            for (layer, output) in outputs.iter_mut().enumerate() {
                if let Some(out) = computed[layer] {
                    last = out;
                }
                let mut rows_of = output.slice_axis_mut(Axis(0), (start..end).into());
                let flat = last
                    .to_shape((end - start, last.ncols()))
                    .map_err(|e| Error::invalid(format!("layer {layer}'s output: {e}")))?;
                let mut target = rows_of
                    .view_mut()
                    .into_shape_with_order((end - start, flat.ncols()))
                    .map_err(|e| Error::invalid(format!("layer {layer}'s output: {e}")))?;
                target.assign(&flat);
            }
        }
        Ok(outputs)
    }
}
