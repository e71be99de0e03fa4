//! `from_config`: a layer rebuilt from the class name and config a model file saved.

use super::activation::ActivationLayer;
use super::batch_norm::BatchNormalization;
use super::conv::Conv2D;
use super::dense::Dense;
use super::dropout::Dropout;
use super::flatten::Flatten;
use super::input::Input;
use super::layer::Layer;
use super::pooling::{AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D};
use super::reshape::Reshape;
use crate::Result;

/// Builds a layer from its saved class name and config.
pub fn from_config(class_name: &str, config: &serde_json::Value) -> Result<Box<dyn Layer>> {
    Ok(match class_name {
        "Dense" => Box::new(Dense::from_config(config)?),
        "BatchNormalization" => Box::new(BatchNormalization::from_config(config)?),
        "Conv2D" => Box::new(Conv2D::from_config(config)?),
        "MaxPooling2D" => Box::new(MaxPooling2D::from_config(config)?),
        "AveragePooling2D" => Box::new(AveragePooling2D::from_config(config)?),
        "GlobalAveragePooling2D" => Box::new(GlobalAveragePooling2D::from_config(config)?),
        "InputLayer" => Box::new(Input::from_config(config)?),
        "Reshape" => Box::new(Reshape::from_config(config)?),
        "Dropout" => Box::new(Dropout::from_config(config)?),
        "Flatten" => Box::new(Flatten::from_config(config)?),
        "Activation" => Box::new(ActivationLayer::from_config(config)?),
        other => {
            return Err(crate::Error::Io(format!(
                "unknown layer class \"{other}\" in model file"
            )));
        }
    })
}
