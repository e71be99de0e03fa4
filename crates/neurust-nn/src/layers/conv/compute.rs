//! Conv2D's arithmetic. A batch is cut into chunks of a few samples, fixed by the layer's
//! geometry alone (never by the thread count); each chunk's products run on one thread
//! (`chunk.rs`), and the chunks run in parallel on the thread team. The weight gradient sums one
//! partial product per chunk in chunk order, so results are bit-identical at any thread count.

use std::sync::Mutex;

use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis, Ix1};

use super::chunk::{gradients, product};
use super::layer::Conv2D;
use crate::Activation;
use crate::layers::compute::{chunk_lock as take, standard};
use crate::linalg::epilogue;
use crate::parallel;

/// Patch rows per chunk, about: enough for an efficient product, few enough that the patch
/// matrix stays in a core's L2 cache.
const CHUNK_ROWS: usize = 512;

impl Conv2D {
    /// Samples per chunk for this layer's geometry.
    pub(super) fn chunk_samples(&self) -> usize {
        (CHUNK_ROWS / self.geometry.positions().max(1)).max(1)
    }

    pub(super) fn kernel_matrix(&self) -> ArrayView2<'_, f32> {
        let k = self.kernel.as_ref().expect("Conv2D is built before use");
        let rows = self.fan_in(&self.geometry);
        k.value
            .view()
            .into_shape_with_order((rows, self.filters))
            .expect("the kernel is contiguous")
    }

    pub(super) fn bias_vector(&self) -> Option<ArrayView1<'_, f32>> {
        self.bias.as_ref().map(|b| {
            b.value
                .view()
                .into_dimensionality::<Ix1>()
                .expect("bias is 1-D")
        })
    }

    /// `y = activation(patches(x) · kernel + bias)`.
    pub(super) fn forward_rows(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>) {
        if !y.is_standard_layout() {
            let mut owned = Array2::zeros(y.dim());
            self.forward_rows(x, owned.view_mut());
            y.assign(&owned);
            return;
        }
        let x = standard(x);
        let (g, filters, per) = (self.geometry, self.filters, self.chunk_samples());
        let act = self.resolved;
        let fast = matches!(act, Activation::Relu | Activation::Linear);
        let (kernel, bias) = (self.kernel_matrix(), self.bias_vector());
        let xs: Vec<ArrayView2<f32>> = x.axis_chunks_iter(Axis(0), per).collect();
        let ys: Vec<Mutex<ArrayViewMut2<f32>>> = y
            .axis_chunks_iter_mut(Axis(0), per)
            .map(Mutex::new)
            .collect();
        parallel::run_parts(xs.len(), &|i| {
            let rows = xs[i].nrows() * g.positions();
            let mut yc = take(&ys[i]);
            let mut yc = yc
                .view_mut()
                .into_shape_with_order((rows, filters))
                .expect("chunks of a standard-layout array are contiguous");
            product(
                &g,
                kernel,
                xs[i].as_slice().expect("standard layout"),
                yc.view_mut(),
            );
            if fast && epilogue::bias_relu(yc.view_mut(), bias, act == Activation::Relu) {
                return;
            }
            if let Some(b) = &bias {
                yc += b;
            }
            if !act.needs_input() {
                act.forward(yc);
            }
        });
        drop(ys);
        if act.needs_input() && !fast {
            let rows = y.nrows() * g.positions();
            let mut y2 = y
                .into_shape_with_order((rows, filters))
                .expect("standard layout");
            self.work.z = y2.to_owned();
            act.forward(y2.view_mut());
        }
    }

    /// Kernel and bias gradients from `dy`, and `dx` when asked.
    pub(super) fn backward_rows(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        mut dy: ArrayViewMut2<f32>,
        mut dx: Option<ArrayViewMut2<f32>>,
        dy_is_preactivation: bool,
    ) {
        if !dy.is_standard_layout() || dx.as_ref().is_some_and(|d| !d.is_standard_layout()) {
            let mut dy2 = dy.to_owned();
            let mut dx2 = dx.as_ref().map(|d| Array2::zeros(d.dim()));
            self.backward_rows(
                x,
                y,
                dy2.view_mut(),
                dx2.as_mut().map(|d| d.view_mut()),
                dy_is_preactivation,
            );
            if let (Some(mut dx), Some(dx2)) = (dx, dx2) {
                dx.assign(&dx2);
            }
            return;
        }
        let (x, y) = (standard(x), standard(y));
        let (g, filters, per) = (self.geometry, self.filters, self.chunk_samples());
        let k = self.fan_in(&g);
        let positions = g.positions();
        let act = self.resolved;
        let relu = !dy_is_preactivation && act == Activation::Relu;
        if !dy_is_preactivation && !matches!(act, Activation::Relu | Activation::Linear) {
            let rows = dy.nrows() * positions;
            let shape = (rows, filters);
            let y2 = y.view().into_shape_with_order(shape).expect("standard");
            let z = act.needs_input().then(|| self.work.z.view());
            let dy2 = dy
                .view_mut()
                .into_shape_with_order(shape)
                .expect("standard");
            act.backward(z, y2, dy2);
        }
        let kernel_t_buf = self.transposed_kernel();
        let kernel_t = ArrayView2::from_shape((filters, k), &kernel_t_buf[..]).expect("sized");
        let part_len = k * filters + filters;
        let chunks = dy.nrows().div_ceil(per);
        let mut partials = std::mem::take(&mut self.work.partials);
        partials.resize(chunks * part_len, 0.0);
        {
            let xs: Vec<ArrayView2<f32>> = x.axis_chunks_iter(Axis(0), per).collect();
            let ys: Vec<ArrayView2<f32>> = y.axis_chunks_iter(Axis(0), per).collect();
            let dys: Vec<Mutex<ArrayViewMut2<f32>>> = dy
                .axis_chunks_iter_mut(Axis(0), per)
                .map(Mutex::new)
                .collect();
            let dxs: Option<Vec<Mutex<ArrayViewMut2<f32>>>> = dx.as_mut().map(|dx| {
                dx.axis_chunks_iter_mut(Axis(0), per)
                    .map(Mutex::new)
                    .collect()
            });
            let parts: Vec<Mutex<&mut [f32]>> =
                partials.chunks_mut(part_len).map(Mutex::new).collect();
            parallel::run_parts(chunks, &|i| {
                let rows = xs[i].nrows() * positions;
                let shape = (rows, filters);
                let mut dyc = take(&dys[i]);
                let mut dyc = dyc
                    .view_mut()
                    .into_shape_with_order(shape)
                    .expect("contiguous");
                let yc = ys[i].into_shape_with_order(shape).expect("contiguous");
                let mut part = take(&parts[i]);
                let (gk, gb) = part.split_at_mut(k * filters);
                let gb = ndarray::ArrayViewMut1::from(gb);
                let done = epilogue::relu_backward_bias(yc, dyc.view_mut(), relu, Some(gb));
                debug_assert!(done, "chunks are contiguous");
                let gk = ArrayViewMut2::from_shape((k, filters), gk).expect("sized");
                let mut dxc = dxs.as_ref().map(|dxs| take(&dxs[i]));
                let dxc = dxc.as_mut().map(|d| d.as_slice_mut().expect("contiguous"));
                let x = xs[i].as_slice().expect("standard layout");
                gradients(&g, kernel_t, x, dyc.view(), gk, dxc);
            });
        }
        self.sum_partials(&partials, part_len);
        self.work.partials = partials;
        self.work.kernel_t = kernel_t_buf;
    }

    /// The kernel transposed to `(filters, kh·kw·in)`, in the buffer kept for it (hand it
    /// back to `work.kernel_t` after use).
    pub(super) fn transposed_kernel(&mut self) -> Vec<f32> {
        let mut t = std::mem::take(&mut self.work.kernel_t);
        t.clear();
        t.extend(self.kernel_matrix().t().iter());
        t
    }

    /// Adds the chunks' partial gradients, in chunk order, into the parameters' gradients.
    pub(super) fn sum_partials(&mut self, partials: &[f32], part_len: usize) {
        let kf = part_len - self.filters;
        let kernel = self.kernel.as_mut().expect("Conv2D is built before use");
        let gk = kernel.grad.as_slice_mut().expect("contiguous");
        gk.fill(0.0);
        let mut gb = self.bias.as_mut().map(|b| {
            let g = b.grad.as_slice_mut().expect("contiguous");
            g.fill(0.0);
            g
        });
        crate::simd::widest(
            #[inline(always)]
            || {
                for part in partials.chunks_exact(part_len) {
                    gk.iter_mut().zip(&part[..kf]).for_each(|(g, &p)| *g += p);
                    if let Some(gb) = gb.as_mut() {
                        gb.iter_mut().zip(&part[kf..]).for_each(|(g, &p)| *g += p);
                    }
                }
            },
        );
    }
}
