//! The pieces of Keras 3's progress text: values, the time left, the time per step, the count.

/// A log value as Keras's progress bar prints it: `0.6012` when its absolute value is above
/// 1e-3, else `1.2345e-04` (so `0.0000e+00` for zero); `nan`, `inf`, `-inf` as Python does.
///
/// ```
/// use neurust_nn::callbacks::format_value;
/// assert_eq!(format_value(0.60123), "0.6012");
/// assert_eq!(format_value(-0.5), "-0.5000");
/// assert_eq!(format_value(0.00012345), "1.2345e-04");
/// assert_eq!(format_value(0.0), "0.0000e+00");
/// assert_eq!(format_value(f64::NAN), "nan");
/// ```
pub fn format_value(v: f64) -> String {
    if v.abs() > 1e-3 { fixed4(v) } else { exp4(v) }
}

/// A value in a `verbose=2` line: Keras tests `v > 1e-3` there, without the absolute value,
/// so negative values print in exponent form (`-5.0000e-01`).
///
/// ```
/// use neurust_nn::callbacks::format_value_verbose2;
/// assert_eq!(format_value_verbose2(0.5), "0.5000");
/// assert_eq!(format_value_verbose2(-0.5), "-5.0000e-01");
/// ```
pub fn format_value_verbose2(v: f64) -> String {
    if v > 1e-3 { fixed4(v) } else { exp4(v) }
}

fn non_finite(v: f64) -> Option<String> {
    if v.is_nan() {
        Some("nan".into())
    } else if v.is_infinite() {
        Some(if v > 0.0 { "inf" } else { "-inf" }.into())
    } else {
        None
    }
}

/// Python's `{:.4f}`.
fn fixed4(v: f64) -> String {
    non_finite(v).unwrap_or_else(|| format!("{v:.4}"))
}

/// Python's `{:.4e}`: a sign and at least two digits in the exponent.
fn exp4(v: f64) -> String {
    if let Some(s) = non_finite(v) {
        return s;
    }
    let rust = format!("{v:.4e}");
    match rust.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => rust,
    }
}

/// The time left, as Keras shows it: `3s` under a minute (and at exactly 60 s), `1:05` under
/// an hour, `1:02:03` beyond; whole seconds, rounded down.
///
/// ```
/// use neurust_nn::callbacks::format_eta;
/// assert_eq!(format_eta(3.9), "3s");
/// assert_eq!(format_eta(65.2), "1:05");
/// assert_eq!(format_eta(3723.0), "1:02:03");
/// ```
pub fn format_eta(eta: f64) -> String {
    // Python's `//` and `%` on floats, for the non-negative times met here.
    let div_mod = |a: f64, b: f64| {
        let m = a % b;
        (((a - m) / b).floor(), m)
    };
    if eta > 3600.0 {
        let (h, rest) = div_mod(eta, 3600.0);
        let (m, _) = div_mod(rest, 60.0);
        let (_, s) = div_mod(eta, 60.0);
        format!("{}:{:02}:{:02}", h as i64, m as i64, s as i64)
    } else if eta > 60.0 {
        let (m, s) = div_mod(eta, 60.0);
        format!("{}:{:02}", m as i64, s as i64)
    } else {
        format!("{}s", eta as i64)
    }
}

/// The time per step: `1s/step` from one second (and for zero), `2ms/step` from a
/// millisecond, `150us/step` below; rounded to the nearest unit.
///
/// ```
/// use neurust_nn::callbacks::format_per_step;
/// assert_eq!(format_per_step(0.00215), "2ms/step");
/// assert_eq!(format_per_step(0.000150), "150us/step");
/// assert_eq!(format_per_step(1.4), "1s/step");
/// ```
pub fn format_per_step(seconds: f64) -> String {
    if seconds >= 1.0 || seconds == 0.0 {
        format!("{seconds:.0}s/step")
    } else if seconds >= 1e-3 {
        format!("{:.0}ms/step", seconds * 1000.0)
    } else {
        format!("{:.0}us/step", seconds * 1_000_000.0)
    }
}

/// `current/target`, `current` right-aligned to the width of `target` (`  20/1500`).
///
/// ```
/// assert_eq!(neurust_nn::callbacks::format_count(20, 1500), "  20/1500");
/// ```
pub fn format_count(current: usize, target: usize) -> String {
    let width = target.to_string().len();
    format!("{current:>width$}/{target}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_form_matches_python() {
        assert_eq!(format_value(-0.0), "-0.0000e+00");
        assert_eq!(format_value(1e-3), "1.0000e-03");
        assert_eq!(format_value(-1e-5), "-1.0000e-05");
        assert_eq!(format_value(1e-120), "1.0000e-120");
        assert_eq!(format_value_verbose2(-1e-5), "-1.0000e-05");
        assert_eq!(format_value(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn halves_round_to_even_as_python() {
        assert_eq!(format_per_step(2.5), "2s/step");
        assert_eq!(format_per_step(0.0), "0s/step");
        assert_eq!(format_eta(60.0), "60s");
        assert_eq!(format_eta(-2.5), "-2s");
    }
}
