//! Issue 21, readiness and M&E: the redesigned verdict (docs/scoring.md).

use cdf_assess::exchange;
use cdf_assess::framework;
use cdf_assess::scoring;

/// The readiness verdicts of the 23 demo members (last cycle, latest revision), for the note:
/// `cargo test --test it readiness3::print_demo_verdicts -- --ignored --nocapture`.
#[cfg(feature = "demo")]
#[test]
#[ignore]
fn print_demo_verdicts() {
    let fw = framework::current();
    let files = cdf_assess::demo::generate(7, 2026, 1, 1);
    for f in &files {
        let body = exchange::read(&f.bytes, &[]).unwrap().body;
        let (_, responses) = body.to_assessment_parts();
        let s = scoring::score(fw, &responses);
        let r = &s.readiness;
        let rd: Vec<String> = responses
            .iter()
            .filter(|x| x.indicator.starts_with("RD-"))
            .map(|x| format!("{}={}", &x.indicator[3..], x.answer.code().unwrap_or_else(|| "-".into())))
            .collect();
        println!(
            "VERDICT {} {:?} ability={:?} willingness={:?} [{}]",
            f.member,
            r.quadrant.map(|q| q.code()),
            r.ability.map(|v| v.round()),
            r.willingness.map(|v| v.round()),
            rd.join(" ")
        );
    }
}
