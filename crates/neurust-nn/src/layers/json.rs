//! Reading the fields every layer's saved config shares: its name and its input shape.

pub(crate) fn shape_from_json(v: Option<&serde_json::Value>) -> Option<Vec<usize>> {
    v?.as_array()?
        .iter()
        .map(|d| d.as_u64().map(|d| d as usize))
        .collect()
}

pub(crate) fn name_from_json(config: &serde_json::Value) -> String {
    config
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or_default()
        .to_string()
}
