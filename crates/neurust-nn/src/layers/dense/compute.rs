//! Dense's arithmetic: the forward product with its fused epilogue, and the backward pass.

use ndarray::{ArrayView2, ArrayViewMut2, Axis, Ix1, Ix2, Zip, s};

use super::layer::Dense;
use crate::Activation;
use crate::linalg::{epilogue, gemm_blocks, gemm_cols, gemm_panels};

impl Dense {
    /// `y = activation(x · kernel + bias)`, bias and activation applied per column block
    /// while it is in cache (or on all of `y` after the kernel's two row panels are summed).
    pub(super) fn forward_rows(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>) {
        let act = self.resolved;
        let bias = self.bias.as_ref().map(|b| {
            b.value
                .view()
                .into_dimensionality::<Ix1>()
                .expect("bias is 1-D")
        });
        let row_wise = matches!(act, Activation::Softmax);
        let fast = matches!(act, Activation::Relu | Activation::Linear);
        gemm_panels(x, self.kernel2(), y.view_mut(), |cols, mut block| {
            let b = bias.as_ref().map(|b| b.slice(s![cols.clone()]));
            if fast && epilogue::bias_relu(block.view_mut(), b, act == Activation::Relu) {
                return;
            }
            if let Some(b) = &bias {
                block += &b.slice(s![cols]);
            }
            if !row_wise && !act.needs_input() {
                act.forward(block);
            }
        });
        if act.needs_input() {
            self.z = y.to_owned();
        }
        if row_wise || act.needs_input() {
            act.forward(y);
        }
    }

    /// Gradients of kernel and bias from `dy`, and `dx` when asked.
    pub(super) fn backward_rows(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        mut dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        dy_is_preactivation: bool,
    ) {
        let relu = !dy_is_preactivation && self.resolved == Activation::Relu;
        let linear = dy_is_preactivation || self.resolved == Activation::Linear;
        let bias_grad = self.bias.as_mut().map(|b| {
            b.grad
                .view_mut()
                .into_dimensionality::<Ix1>()
                .expect("bias is 1-D")
        });
        let fused =
            (relu || linear) && epilogue::relu_backward_bias(y, dy.view_mut(), relu, bias_grad);
        if !fused {
            if !dy_is_preactivation {
                let z = self.resolved.needs_input().then(|| self.z.view());
                self.resolved.backward(z, y, dy.view_mut());
            }
            if let Some(bias) = self.bias.as_mut() {
                let mut g = bias
                    .grad
                    .view_mut()
                    .into_dimensionality::<Ix1>()
                    .expect("bias is 1-D");
                g.fill(0.0);
                for row in dy.axis_iter(Axis(0)) {
                    Zip::from(&mut g).and(&row).for_each(|g, &d| *g += d);
                }
            }
        }
        let dz = dy.view();
        let kernel = self.kernel.as_mut().expect("Dense is built before use");
        let gk = kernel
            .grad
            .view_mut()
            .into_dimensionality::<Ix2>()
            .expect("kernel is 2-D");
        gemm_blocks(x.t(), dz, gk);
        if let Some(dx) = dx {
            gemm_cols(dz, self.kernel2().t(), dx, false, |_, _| {});
        }
    }
}
