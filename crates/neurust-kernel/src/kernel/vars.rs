//! `:vars`, answered by the kernel rather than evcxr: the user's variables and their types, in
//! evcxr's layout (a `name: type` line each, and an HTML table), without the kernel's own
//! (`_neurust…`) bindings, which a learner did not make and cannot use.

use evcxr::EvalOutputs;
use neurust_display::escape_html;

/// Whether a cell is the `:vars` command.
pub fn is_vars_command(code: &str) -> bool {
    code.trim() == ":vars"
}

/// Whether a variable is one of the kernel's own start-up bindings (`_neurust…`), not the
/// user's.
pub fn is_kernel_binding(name: &str) -> bool {
    name.starts_with("_neurust")
}

/// The `:vars` output for these variables, the kernel's own left out.
pub fn outputs<'a>(variables: impl Iterator<Item = (&'a str, &'a str)>) -> EvalOutputs {
    let (mut text, mut html) = (
        String::new(),
        String::from("<table><tr><th>Variable</th><th>Type</th></tr>"),
    );
    for (name, ty) in variables.filter(|(name, _)| !is_kernel_binding(name)) {
        text.push_str(&format!("{name}: {ty}\n"));
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            escape_html(name),
            escape_html(ty)
        ));
    }
    html.push_str("</table>");
    EvalOutputs::text_html(text, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernels_bindings_are_left_out_and_types_escaped() {
        let vars = [
            ("x", "Vec<u8>"),
            ("_neurust_kernel_ready", "u8"),
            ("n", "i32"),
        ];
        let out = outputs(vars.into_iter());
        assert_eq!(out.get("text/plain"), Some("x: Vec<u8>\nn: i32\n"));
        let html = out.get("text/html").unwrap_or_default();
        assert!(
            html.contains("<tr><td>x</td><td>Vec&lt;u8&gt;</td></tr>"),
            "{html}"
        );
        assert!(!html.contains("_neurust"), "{html}");
    }

    #[test]
    fn only_the_bare_command_is_taken() {
        assert!(is_vars_command("  :vars\n"));
        assert!(!is_vars_command(":vars x"));
        assert!(!is_vars_command("let vars = 1;"));
    }
}
