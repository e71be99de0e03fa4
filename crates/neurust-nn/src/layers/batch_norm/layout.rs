//! `Layout`: where a BatchNormalization layer's channels sit in a sample's row.

/// Where the channels sit in a sample's row: groups of `channels` blocks of `inner`
/// consecutive values (`inner` is 1 for the last axis), one group per position of the axes
/// before the channel axis. A batch of rows is then a run of such groups.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Layout {
    pub(super) channels: usize,
    pub(super) inner: usize,
}

impl Layout {
    pub(super) fn group(&self) -> usize {
        (self.channels * self.inner).max(1)
    }

    /// One value per channel spread over a group: position `j` holds channel `j / inner`'s.
    pub(super) fn spread<T: Copy>(&self, per_channel: &[T]) -> Vec<T> {
        let inner = self.inner;
        per_channel
            .iter()
            .flat_map(|&v| std::iter::repeat_n(v, inner))
            .collect()
    }

    /// Per-channel totals of sums kept per group position.
    pub(super) fn total(&self, per_position: &[f64]) -> Vec<f64> {
        per_position
            .chunks_exact(self.inner.max(1))
            .map(|block| block.iter().sum())
            .collect()
    }
}
