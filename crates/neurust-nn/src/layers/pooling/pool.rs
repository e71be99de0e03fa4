//! `Pool`: the configuration and geometry both 2-D pooling layers share, and which value of a
//! window they keep (`Kind`); the arithmetic is in `window.rs`.

use serde_json::json;

use crate::layers::json::{name_from_json, shape_from_json};
use crate::layers::spatial::{Geometry, IntoPadding, Padding, pair_from_json};
use crate::{Error, Result};

/// Which value of a window a pooling layer keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Max,
    Average,
}

/// The configuration and state both 2-D pooling layers share.
#[derive(Debug, Clone)]
pub(super) struct Pool {
    pub(super) kind: Kind,
    pub(super) pool_size: [usize; 2],
    /// None: the pool size, as Keras's default.
    pub(super) strides: Option<[usize; 2]>,
    pub(super) padding: Result<Padding>,
    pub(super) input_shape: Option<Vec<usize>>,
    pub(super) name: String,
    pub(super) geometry: Geometry,
}

impl Pool {
    pub(super) fn new(kind: Kind, pool_size: [usize; 2]) -> Self {
        Pool {
            kind,
            pool_size,
            strides: None,
            padding: Ok(Padding::Valid),
            input_shape: None,
            name: String::new(),
            geometry: Geometry::default(),
        }
    }

    pub(super) fn from_config(kind: Kind, c: &serde_json::Value) -> Result<Self> {
        let class = match kind {
            Kind::Max => "MaxPooling2D",
            Kind::Average => "AveragePooling2D",
        };
        let size = pair_from_json(c.get("pool_size"))
            .ok_or_else(|| Error::Io(format!("{class} config lacks pool_size")))?;
        let mut p = Pool::new(kind, size);
        p.strides = pair_from_json(c.get("strides"));
        p.padding = c
            .get("padding")
            .and_then(|v| v.as_str())
            .unwrap_or("valid")
            .into_padding();
        p.input_shape = shape_from_json(c.get("input_shape"));
        p.name = name_from_json(c);
        Ok(p)
    }

    pub(super) fn geometry_for(&self, input: &[usize]) -> Result<Geometry> {
        let strides = self.strides.unwrap_or(self.pool_size);
        Geometry::new(
            &self.name,
            "pool",
            input,
            self.pool_size,
            strides,
            self.padding.clone()?,
        )
    }

    pub(super) fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        let g = self.geometry_for(input)?;
        Ok(vec![g.h.output, g.w.output, g.channels])
    }

    pub(super) fn config(&self) -> serde_json::Value {
        json!({
            "name": self.name,
            "pool_size": self.pool_size,
            "strides": self.strides.unwrap_or(self.pool_size),
            "padding": self.padding.as_ref().map_or("valid", |p| p.name()),
            "input_shape": self.input_shape,
        })
    }
}
