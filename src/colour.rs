//! Colour arithmetic shared by the window and the printed reports: the heat-map scale and the
//! WCAG contrast rules, written once so that the screen and the paper cannot drift apart.

/// The heat-map scale: dark blue (low) through grey to yellow (high), after cividis, which reads
/// the same with every common colour-vision deficiency (no red against green) and rises in
/// lightness with the value, so it survives a grey-scale printer.
pub const HEAT_STOPS: [[u8; 3]; 5] =
    [[0x00, 0x22, 0x4E], [0x41, 0x4D, 0x6B], [0x7C, 0x7B, 0x78], [0xBC, 0xAF, 0x6F], [0xFE, 0xE8, 0x38]];

/// The heat-map colour of `t` in 0..=1 (a value that is not a number counts as 0).
pub fn heat(t: f32) -> [u8; 3] {
    let scaled = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 } * (HEAT_STOPS.len() - 1) as f32;
    let i = (scaled.floor() as usize).min(HEAT_STOPS.len() - 2);
    let u = scaled - i as f32;
    let (a, b) = (HEAT_STOPS[i], HEAT_STOPS[i + 1]);
    let mix = |k: usize| (f32::from(a[k]) + (f32::from(b[k]) - f32::from(a[k])) * u).round() as u8;
    [mix(0), mix(1), mix(2)]
}

/// WCAG 2 relative luminance of an opaque sRGB colour.
pub fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG 2 contrast ratio of two opaque colours: 1.0 (none) to 21.0 (black on white).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

pub const BLACK: [u8; 3] = [0, 0, 0];
pub const WHITE: [u8; 3] = [255, 255, 255];

/// Black or white, whichever reads better on `fill` (at least 4.58:1 on any colour).
pub fn text_on(fill: [u8; 3]) -> [u8; 3] {
    if contrast(BLACK, fill) >= contrast(WHITE, fill) { BLACK } else { WHITE }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_ends_at_its_stops_and_rises_in_lightness() {
        assert_eq!(heat(0.0), HEAT_STOPS[0]);
        assert_eq!(heat(1.0), HEAT_STOPS[4]);
        assert_eq!(heat(f32::NAN), HEAT_STOPS[0]);
        let l: Vec<f64> = (0..=20).map(|i| luminance(heat(i as f32 / 20.0))).collect();
        assert!(l.windows(2).all(|w| w[1] > w[0]), "{l:?}");
        assert!((contrast(BLACK, WHITE) - 21.0).abs() < 1e-9);
        for i in 0..=100 {
            let c = heat(i as f32 / 100.0);
            assert!(contrast(text_on(c), c) >= 4.5, "cell {i}");
        }
    }
}
