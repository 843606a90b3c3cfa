//! Timings of the operations a user waits for: `cargo bench --bench perf`.
//! A plain harness (no criterion) to keep the build light; each figure is the median of runs.

use cdf_assess::lang::Lang;
use cdf_assess::secretariat::{consolidate, import};
use cdf_assess::store::Store;
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(name: &str, n: usize, mut f: impl FnMut() -> T) {
    let mut runs = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        std::hint::black_box(f());
        runs.push(start.elapsed());
    }
    println!("{name:<55} median {:>10.3} ms over {n} runs", median(runs).as_secs_f64() * 1000.0);
}

fn main() {
    let files = cdf_assess::demo::generate(2017, 2026, 3, 2);
    println!(
        "demo data: {} returns, {} KB in all",
        files.len(),
        files.iter().map(|f| f.bytes.len()).sum::<usize>() / 1024
    );
    let one = &files[0].bytes;
    time("read + verify one return", 200, || cdf_assess::exchange::read(one, &[]).is_ok());

    let dir = tempfile::tempdir().expect("tempdir");
    let mut k = 0;
    time("import all demo returns into a new database (file, FULL sync)", 5, || {
        k += 1;
        let mut s = Store::open(&dir.path().join(format!("b{k}.sqlite3"))).expect("open");
        for f in &files {
            import::import_bytes(&mut s, &f.file_name, &f.bytes, &[]).expect("import");
        }
    });
    let mut store = Store::open(&dir.path().join("main.sqlite3")).expect("open");
    for f in &files {
        import::import_bytes(&mut store, &f.file_name, &f.bytes, &[]).expect("import");
    }
    time("re-import all (already imported, no change)", 5, || {
        for f in &files {
            import::import_bytes(&mut store, &f.file_name, &f.bytes, &[]).expect("import");
        }
    });
    time("consolidate one cycle (23 members, M&E, trends)", 20, || consolidate::consolidate(&store, 2026).expect("c"));
    let c = consolidate::consolidate(&store, 2026).expect("c");
    let a = c.members.iter().find_map(|m| m.assessment.clone()).expect("one");
    let fw = cdf_assess::framework::current();
    time("score one assessment", 1000, || cdf_assess::scoring::score(fw, &a.responses));
    let s = cdf_assess::scoring::score(fw, &a.responses);
    time("results PDF of one assessment", 10, || {
        let doc = cdf_assess::report::results::results_doc(fw, &a, &s, None, Lang::En);
        cdf_assess::report::pdf::render(&doc).expect("pdf").len()
    });
    time("regional report PDF (all members)", 3, || {
        cdf_assess::report::regional_files::files(
            &c,
            Lang::En,
            cdf_assess::report::regional_files::Format::Pdf,
            "x.pdf".as_ref(),
        )
        .expect("pdf")
    });
    time("consolidated XLSX workbook", 5, || {
        cdf_assess::report::regional_files::files(
            &c,
            Lang::En,
            cdf_assess::report::regional_files::Format::Xlsx,
            "x.xlsx".as_ref(),
        )
        .expect("xlsx")
    });
    let mut lvl = 0u8;
    let file_store_path = dir.path().join("admin.sqlite3");
    let mut fs = Store::open(&file_store_path).expect("open");
    let fid = fs
        .create_assessment(&cdf_assess::assessment::NewAssessment {
            member: "FJ".into(),
            cycle: 2026,
            assessor_name: "x".into(),
            assessor_role: "y".into(),
            language: "en".into(),
        })
        .expect("create");
    time("save one answer (file database, one transaction, fsync)", 200, || {
        lvl = (lvl + 1) % 5;
        fs.update_response(
            fid,
            "WF-01",
            &cdf_assess::assessment::ResponseChange::Answer(cdf_assess::assessment::Answer::Level(lvl)),
        )
        .expect("save")
    });
}
