//! Element-wise passes around a Dense layer's products, on contiguous rows in the widest
//! vector instructions: `y = relu(y + bias)` after the forward product, and the ReLU's
//! backward pass fused with the bias gradient before the weight-gradient product.

use ndarray::{ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2};

/// `y = y + bias` (then `max(·, 0)` with `relu`) for a block whose rows are contiguous;
/// returns false, changing nothing, when a row or the bias is not.
pub fn bias_relu(mut y: ArrayViewMut2<f32>, bias: Option<ArrayView1<f32>>, relu: bool) -> bool {
    let bias = match bias.as_ref().map(|b| b.as_slice()) {
        Some(None) => return false,
        Some(Some(b)) => Some(b),
        None => None,
    };
    if y.rows_mut().into_iter().any(|r| r.as_slice().is_none()) {
        return false;
    }
    crate::simd::widest(
        #[inline(always)]
        || {
            for mut row in y.rows_mut() {
                let row = row.as_slice_mut().expect("checked contiguous");
                match (bias, relu) {
                    (Some(b), true) => row
                        .iter_mut()
                        .zip(b)
                        .for_each(|(v, &b)| *v = (*v + b).max(0.0)),
                    (Some(b), false) => row.iter_mut().zip(b).for_each(|(v, &b)| *v += b),
                    (None, true) => row.iter_mut().for_each(|v| *v = v.max(0.0)),
                    (None, false) => {}
                }
            }
        },
    );
    true
}

/// With `relu`, zeroes `dy` where the layer's output `y` is not positive (the ReLU's
/// backward pass); then, when given, sets `bias_grad` to the column sums of `dy`. Returns
/// false, changing nothing, unless every row is contiguous.
pub fn relu_backward_bias(
    y: ArrayView2<f32>,
    mut dy: ArrayViewMut2<f32>,
    relu: bool,
    bias_grad: Option<ArrayViewMut1<f32>>,
) -> bool {
    let mut bias_grad = bias_grad;
    let contiguous = y.rows().into_iter().all(|r| r.as_slice().is_some())
        && dy.rows_mut().into_iter().all(|r| r.as_slice().is_some())
        && bias_grad
            .as_mut()
            .is_none_or(|g| g.as_slice_mut().is_some());
    if !contiguous {
        return false;
    }
    let mut gb = bias_grad
        .as_mut()
        .map(|g| g.as_slice_mut().expect("checked contiguous"));
    if let Some(g) = gb.as_mut() {
        g.fill(0.0);
    }
    crate::simd::widest(
        #[inline(always)]
        || {
            for (y, mut d) in y.rows().into_iter().zip(dy.rows_mut()) {
                let (y, d) = (
                    y.as_slice().expect("checked"),
                    d.as_slice_mut().expect("checked"),
                );
                if relu {
                    d.iter_mut().zip(y).for_each(|(d, &y)| {
                        if y <= 0.0 {
                            *d = 0.0
                        }
                    });
                }
                if let Some(g) = gb.as_mut() {
                    g.iter_mut().zip(d.iter()).for_each(|(g, &d)| *g += d);
                }
            }
        },
    );
    true
}
