//! Hostile input: each odd file gets a status and a reason in files.csv, no
//! panic, no hang, and the good report beside it is still summed.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

use crate::util::*;

fn files_csv(out: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(out.join("files.csv")).unwrap();
    let mut r = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

fn status<'a>(rows: &'a [Vec<String>], file: &str) -> (&'a str, &'a str) {
    let r = rows.iter().find(|r| r[0] == file).unwrap_or_else(|| panic!("{file} not in files.csv: {rows:?}"));
    (&r[1], &r[6])
}

/// A county folder of odd files beside two good reports, under `dir/data`.
fn odd_folder(dir: &Path) {
    let data = dir.join("data/民权县");
    fs::create_dir_all(&data).unwrap();
    fs::write(data.join("good.txt"), SEED).unwrap();
    fs::write(data.join("empty.txt"), "").unwrap();
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..100_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((x >> 16) as u8);
    }
    fs::write(data.join("random.txt"), &noise).unwrap();
    fs::write(data.join("random.docx"), &noise).unwrap();
    fs::write(data.join("random.html"), &noise).unwrap();
    // A 50 MB file with a report's extension.
    let big = fs::File::create(data.join("big.txt")).unwrap();
    big.set_len(50 << 20).unwrap();
    // Folders 50 levels deep, with a report at the bottom.
    let mut deep = data.clone();
    for i in 0..50 {
        deep = deep.join(format!("d{i}"));
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("deep.txt"), SEED.replace("人和镇", "深镇")).unwrap();
    // A symlink loop and a link out of the tree.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&data, data.join("loop")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", data.join("outside.txt")).unwrap();
        // A file name that is not valid UTF-8.
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe-name.txt");
        fs::write(data.join(name), "not a report").unwrap();
    }
    fs::write(data.join("photo.png"), b"\x89PNG").unwrap();
    fs::write(data.join("old.rtf"), b"{\\rtf1}").unwrap();
}

#[test]
fn odd_files_are_listed_with_reasons_and_the_rest_is_summed() {
    let dir = tempfile::tempdir().unwrap();
    odd_folder(dir.path());
    let out = dir.path().join("out");
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(dir.path().join("data")).arg("--out").arg(&out).args(["--lang", "en"]);
    c.timeout(std::time::Duration::from_secs(60));
    c.assert().code(1);
    let rows = files_csv(&out);
    assert_eq!(status(&rows, "民权县/good.txt").0, "parsed");
    let deep_rel = format!("民权县/{}/deep.txt", (0..50).map(|i| format!("d{i}")).collect::<Vec<_>>().join("/"));
    assert_eq!(status(&rows, &deep_rel).0, "parsed");
    for (f, why) in [
        ("民权县/empty.txt", "not an annual report"),
        ("民权县/random.txt", "not text"),
        ("民权县/big.txt", "larger than any annual report"),
    ] {
        let (st, reason) = status(&rows, f);
        assert_eq!(st, "rejected", "{f}");
        assert!(reason.contains(why), "{f}: {reason}");
    }
    for f in ["民权县/random.docx", "民权县/random.html"] {
        let (st, reason) = status(&rows, f);
        assert_eq!(st, "rejected", "{f}");
        assert!(!reason.is_empty());
    }
    #[cfg(unix)]
    {
        assert_eq!(status(&rows, "民权县/loop"), ("skipped", "symbolic link, not followed"));
        assert_eq!(status(&rows, "民权县/outside.txt"), ("skipped", "symbolic link, not followed"));
        let bad = rows.iter().find(|r| r[0].starts_with("民权县/bad-")).expect("non-UTF-8 name listed");
        assert_eq!(bad[1], "rejected");
    }
    // Each file once.
    let mut names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let n = names.len();
    names.dedup();
    assert_eq!(names.len(), n);
    // Both good reports summed.
    let req = fs::read_to_string(out.join("requests.csv")).unwrap();
    assert!(req.contains("民权县,2024,2,new_requests,一、本年新收政府信息公开申请数量,2,0,0,0,0,0,2"), "{req}");
}

/// By default a clerk reads every reason in Chinese: the rejected and the
/// skipped files' reasons hold Chinese and no English sentence.
#[test]
fn reasons_are_in_chinese_by_default() {
    let dir = tempfile::tempdir().unwrap();
    odd_folder(dir.path());
    let out = dir.path().join("out");
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(dir.path().join("data")).arg("--out").arg(&out).timeout(std::time::Duration::from_secs(60));
    c.assert().code(1);
    let rows = files_csv(&out);
    let english = ["not ", "cannot", "the ", "file", "report"];
    let mut seen = 0;
    for r in rows.iter().filter(|r| r[1] == "rejected" || r[1] == "skipped") {
        let reason = &r[6];
        // The system's own words for an I/O error stay as the system says them.
        if reason.starts_with("无法读取") {
            continue;
        }
        seen += 1;
        assert!(reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}: {reason}", r[0]);
        assert!(!english.iter().any(|w| reason.contains(w)), "{}: English in \"{reason}\"", r[0]);
    }
    assert!(seen >= 8, "{rows:?}");
    assert_eq!(status(&rows, "民权县/photo.png"), ("skipped", "图片，不是报告"));
}

/// A file the tool may not read is rejected with the system's reason. (Root
/// reads every file whatever its mode, so there the check cannot be made.)
#[cfg(unix)]
#[test]
fn unreadable_file_is_rejected() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data/民权县");
    fs::create_dir_all(&data).unwrap();
    fs::write(data.join("good.txt"), SEED).unwrap();
    let locked = data.join("locked.txt");
    fs::write(&locked, SEED.replace("人和镇", "锁镇")).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        eprintln!("running as root: file modes do not stop reads, nothing to check");
        return;
    }
    let out = dir.path().join("out");
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(dir.path().join("data")).arg("--out").arg(&out);
    c.assert().code(1);
    let rows = files_csv(&out);
    let (st, reason) = status(&rows, "民权县/locked.txt");
    assert_eq!(st, "rejected");
    assert!(reason.contains("cannot read") && reason.contains("ermission"), "{reason}");
    assert_eq!(status(&rows, "民权县/good.txt").0, "parsed");
}

// --- Issue 16: nothing stalls, bloats or half-writes a run. One test per
// class of the issue; each builds its hostile files at run time.

/// The run over `f` at `-j8`, and the peak memory (RSS, bytes) of the process.
///
/// The peak is the child's own `VmHWM` (/proc/<pid>/status), read while it
/// runs: not `wait4`'s `ru_maxrss`, which Linux folds together with the
/// peak of the memory the child shared with this test process before its
/// `exec` (the whole test binary's, with every other test's data: 400 MB
/// measured for a run of 220 MB). `VmHWM` only grows, so the last reading
/// before the child exits is its peak, but for what it adds in its last
/// few milliseconds (writing its outputs).
#[cfg(unix)]
#[allow(clippy::zombie_processes, reason = "reaped by wait4")]
fn run_measured(f: &Folder, extra: &[&str]) -> (i32, u64, std::time::Duration) {
    let bin = assert_cmd::cargo::cargo_bin("county-rollup");
    let t = std::time::Instant::now();
    let child = std::process::Command::new(bin)
        .arg(f.data())
        .arg("--out")
        .arg(f.out())
        .args(["-j8", "--lang", "en", "--quiet"])
        .args(extra)
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let status_file = format!("/proc/{pid}/status");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak_kb = 0u64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                // Gone (a zombie has no memory lines): the last reading stands.
                if let Ok(s) = std::fs::read_to_string(&status_file)
                    && let Some(kb) = s.lines().find_map(|l| l.strip_prefix("VmHWM:"))
                {
                    peak_kb = peak_kb.max(kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            peak_kb
        })
    };
    let mut status = 0;
    // SAFETY: waits for our own child, with a pointer to a local.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak_kb = poller.join().unwrap();
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status), "killed: {status}");
    assert!(peak_kb > 0, "no VmHWM read for the child");
    (libc::WEXITSTATUS(status), peak_kb * 1024, t.elapsed())
}

/// A zip holding these parts, deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Class 1: a page of stray end tags under unclosed `<div>`s (the parser
/// nests what the old estimate thought closed) is rejected at its nesting
/// limit at once, and the run goes on.
#[test]
fn a_page_of_misnested_tags_is_rejected_at_once() {
    let f = Folder::new();
    f.put("民权县/good.txt", SEED).put("民权县/stall.html", "<div></x>".repeat(32_000));
    let t = std::time::Instant::now();
    f.cmd().timeout(std::time::Duration::from_secs(20)).assert().code(1);
    assert!(t.elapsed() < std::time::Duration::from_secs(10), "{:?}", t.elapsed());
    let (st, reason) = f.status("民权县/stall.html");
    assert_eq!(st, "rejected");
    assert!(reason.contains("nesting limit"), "{reason}");
    assert_eq!(f.status("民权县/good.txt").0, "parsed");
}

/// Class 2: files at their bounds, eight threads at once, peak memory under
/// 400 MB: eight one-line texts of 7 million cells (839 MB each before),
/// eight Word files whose document, numbering and styles parts each inflate
/// to 63 MB (3.4 GB together before), a 13 MB table of tiny cells, and a
/// Word file just within its caps.
#[cfg(unix)]
#[test]
fn memory_stays_bounded_at_eight_threads_on_files_at_their_bounds() {
    let f = Folder::new();
    f.put("民权县/good.txt", SEED);
    let wide = "1\t".repeat(7_000_000);
    let big = vec![b' '; 63 << 20];
    let bomb = zip_of(&[("word/document.xml", &big), ("word/numbering.xml", &big), ("word/styles.xml", &big)]);
    let mut table = String::from("<table>");
    while table.len() < 13 << 20 {
        table.push_str("<tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td><td>8</td></tr>");
    }
    // Within its caps: a 30 MB document (5 million blank paragraphs, past
    // the paragraph limit) and 3 MB of styles.
    let blank = "<w:p/>".repeat(5 << 20);
    let doc = format!(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{blank}</w:body></w:document>"
    );
    let within = zip_of(&[("word/document.xml", doc.as_bytes()), ("word/styles.xml", &big[..3 << 20])]);
    for i in 0..8 {
        f.put(&format!("民权县/wide{i}.txt"), &wide).put(&format!("民权县/bomb{i}.docx"), &bomb);
    }
    f.put("民权县/table.html", &table).put("民权县/within.docx", &within);
    let (code, peak, took) = run_measured(&f, &[]);
    eprintln!("peak {} MB in {took:?}", peak >> 20);
    assert_eq!(code, 1);
    assert!(peak < 400 << 20, "peak RSS {} MB", peak >> 20);
    assert_eq!(f.status("民权县/good.txt").0, "parsed");
    for i in 0..8 {
        let (st, reason) = f.status(&format!("民权县/wide{i}.txt"));
        assert!(st == "rejected" && reason.contains("cell limit"), "{reason}");
        let (st, reason) = f.status(&format!("民权县/bomb{i}.docx"));
        assert!(st == "rejected" && reason.contains("zip bomb"), "{reason}");
    }
    assert!(f.status("民权县/table.html").1.contains("element limit"));
    let (st, reason) = f.status("民权县/within.docx");
    assert!(st == "rejected" && reason.contains("paragraph"), "{reason}");
}

/// Class 2, PDF: compression bombs at the PDF reader's caps, eight of each
/// at eight threads. Each is rejected with the cap it went past named, before
/// the reader inflates it: a page's one stream of 63 MB (past the 8 MB a
/// page may draw), a page of four such streams (past the 128 MB all streams,
/// images too, may inflate to), nine pages of 7.9 MB each (past the 64 MB
/// all but images may inflate to), 100 MB behind an
/// ASCII-hex filter (not counted before, so inflated whole: 8.6 GB at `-j8`),
/// and an object stream of 100 MB in a file without a cross-reference table
/// (inflated as the file was opened: 7 GB). Eight PDFs within every cap
/// (seven pages of 7.9 MB each: 55 MB that the reader keeps until the
/// document is done) are read, one or two at a time as the run's memory
/// budget has them, and their memory given back (390 MB before, kept by
/// malloc's arenas). Peak memory under 400 MB.
#[cfg(unix)]
#[test]
fn pdf_compression_bombs_are_rejected_at_their_caps_and_memory_stays_bounded() {
    use crate::pdf::{Builder, HELVETICA};
    let spaces = |n: usize| vec![b' '; n];
    let page_of = |b: &mut Builder, contents: &[usize]| {
        let refs: Vec<String> = contents.iter().map(|c| format!("{c} 0 R")).collect();
        b.add(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {HELVETICA} /Contents [{}] >>",
            refs.join(" ")
        ))
    };
    let mut bombs: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    let mut b = Builder::new();
    let c = b.flate("", &spaces(63 << 20));
    let p = b.page(c, HELVETICA);
    bombs.push(("one", b.finish(&[p]), "more than 8 MB of drawing instructions"));
    let mut b = Builder::new();
    let c: Vec<usize> = (0..4).map(|_| b.flate("", &spaces(63 << 20))).collect();
    let p = page_of(&mut b, &c);
    bombs.push(("four", b.finish(&[p]), "streams that inflate to more than 128 MB"));
    let mut b = Builder::new();
    let pages: Vec<usize> = (0..9)
        .map(|i| {
            let c = b.flate("", &spaces((8 << 20) - 4096 - i));
            b.page(c, HELVETICA)
        })
        .collect();
    bombs.push(("nine", b.finish(&pages), "streams that inflate to more than 64 MB"));
    let mut b = Builder::new();
    let deflated = {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&spaces(100 << 20)).unwrap();
        z.finish().unwrap()
    };
    let mut hex: Vec<u8> = deflated.iter().flat_map(|x| format!("{x:02x}").into_bytes()).collect();
    hex.push(b'>');
    let c = b.stream("/Filter [/ASCIIHexDecode /FlateDecode]", &hex);
    let p = b.page(c, HELVETICA);
    bombs.push(("hex", b.finish(&[p]), "run-length or twice"));
    let mut b = Builder::new();
    let c = b.stream("", b"BT ET");
    let p = b.page(c, HELVETICA);
    let mut objects = b"9 0 << >>".to_vec();
    objects.extend(spaces(100 << 20));
    b.flate("/Type /ObjStm /N 1 /First 4", &objects);
    let mut no_xref = b.finish(&[p]);
    let at = no_xref.windows(10).rposition(|w| w == b"startxref\n").unwrap();
    no_xref.truncate(at);
    no_xref.extend_from_slice(b"startxref\n999999999\n%%EOF\n");
    bombs.push(("objstm", no_xref, "streams that inflate to more than 64 MB"));
    let mut b = Builder::new();
    let pages: Vec<usize> = (0..7)
        .map(|i| {
            let c = b.flate("", &spaces((8 << 20) - 4096 - i));
            b.page(c, HELVETICA)
        })
        .collect();
    let within = b.finish(&pages);

    let f = Folder::new();
    f.put("民权县/good.txt", SEED);
    for (name, bytes, _) in &bombs {
        assert!(bytes.len() < 1 << 20, "{name}: {} bytes", bytes.len());
        for i in 0..8 {
            f.put(&format!("民权县/{name}{i}.pdf"), bytes);
        }
    }
    for i in 0..8 {
        f.put(&format!("民权县/within{i}.pdf"), &within);
    }
    let (code, peak, took) = run_measured(&f, &[]);
    eprintln!("peak {} MB in {took:?}", peak >> 20);
    assert_eq!(code, 1);
    assert!(peak < 400 << 20, "peak RSS {} MB", peak >> 20);
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
    assert_eq!(f.status("民权县/good.txt").0, "parsed");
    for (name, _, why) in &bombs {
        for i in 0..8 {
            let (st, reason) = f.status(&format!("民权县/{name}{i}.pdf"));
            assert!(st == "rejected" && reason.contains(why), "{name}: {reason}");
        }
    }
    for i in 0..8 {
        let (st, reason) = f.status(&format!("民权县/within{i}.pdf"));
        assert!(st == "rejected" && reason.contains("no text layer"), "{reason}");
    }
}

/// Class 3: a file swapped for a FIFO after the walk listed it is rejected
/// as not a regular file, at once (opened by name, it would wait forever for
/// a writer).
#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_fifo_is_rejected_without_waiting() {
    use county_rollup::discover::{Action, DocKind, Entry, Source};
    use county_rollup::read::{Outcome, Reader};
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("人和镇.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let entry = Entry {
        rel: "人和镇.txt".into(),
        source: Source::File(fifo.clone()),
        action: Action::Read(DocKind::Text),
        folder_county: None,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Reader::default().read(&entry, Some("民权县")));
    });
    let outcome = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("reading a FIFO hung");
    match outcome {
        Outcome::Rejected(r) => assert!(r.detail.contains("not a regular file"), "{r}"),
        other => panic!("{other:?}"),
    }
    assert!(county_rollup::read::open_regular(&fifo).is_err());
}

/// Class 4: names that a spreadsheet would take for a formula are written
/// with a leading `'` in every CSV (files.csv, requests_by_unit.csv,
/// checks.csv); numbers are not.
#[test]
fn formula_like_names_are_escaped_in_the_csvs() {
    let f = Folder::new();
    f.put("=HYPERLINK(1).txt", report("@人和镇", 2024, 1)).put("+龙塘镇.txt", report("=龙塘镇", 2024, 2));
    f.cmd().arg("--county").arg("民权县").assert().code(0);
    let files = f.csv("files.csv");
    assert!(files.iter().any(|r| r[0] == "'=HYPERLINK(1).txt"), "{files:?}");
    assert!(files.iter().any(|r| r[0] == "'+龙塘镇.txt"), "{files:?}");
    let by_unit = f.csv("requests_by_unit.csv");
    let units: Vec<&str> = by_unit.iter().skip(1).map(|r| r[2].as_str()).collect();
    assert!(units.contains(&"'@人和镇") && units.contains(&"'=龙塘镇"), "{units:?}");
    for rec in by_unit.iter().chain(&files).chain(&f.csv("checks.csv")) {
        for field in rec {
            assert!(!field.starts_with(['=', '+', '@']), "{field} in {rec:?}");
        }
    }
}

/// Class 5: a 40,000-character unit name is no title: that report is
/// rejected, and the workbook of the others is written; a title whose unit
/// is longer than 60 characters (the name bound) is rejected as not a title.
#[test]
fn a_name_of_forty_thousand_characters_fails_only_its_report() {
    let f = Folder::new();
    let long = "很".repeat(40_000) + "镇";
    let title = "民权县人和镇人民政府 2024 年政府信息公开工作年度报告";
    assert!(SEED.contains(title));
    // A title of 79 characters (a title may have 80), its unit 62 long.
    let broken = format!("{}镇2024年政府信息公开工作年度报告", "很".repeat(61));
    f.put("民权县/good.txt", SEED)
        .put("民权县/long.txt", report(&long, 2024, 1))
        .put("民权县/61.txt", SEED.replace(title, &broken));
    f.cmd().arg("--xlsx").assert().code(1);
    assert_eq!(f.status("民权县/long.txt").0, "rejected");
    let (st, reason) = f.status("民权县/61.txt");
    assert_eq!(st, "rejected");
    assert!(reason.contains("longer than 60 characters"), "{reason}");
    assert!(f.out().join("county_rollup.xlsx").metadata().unwrap().len() > 1000);
    assert_eq!(f.status("民权县/good.txt").0, "parsed");
}

/// Class 6: 1,200 reports each stating 999,999,999,999 万元 of fees sum
/// without overflow (the sum is wider than any one value: 64-bit sums of
/// these, in units of 0.0001, overflowed at 923 reports), added one by one
/// and merged in parts as the workers do; and such a report reads and sums
/// through the command line.
#[test]
fn sums_of_the_largest_values_do_not_overflow() {
    use county_rollup::aggregate::{Totals, decimal_text};
    let fee = "行政事业性收费\t0";
    assert!(SEED.contains(fee));
    let text = SEED.replace(fee, "行政事业性收费\t999999999999");
    let read = county_rollup::read_bytes(text.as_bytes(), county_rollup::discover::DocKind::Text, None, Some("民权县"))
        .unwrap();
    let (mut one_by_one, mut merged) = (Totals::default(), Totals::default());
    for part in 0..12 {
        let mut t = Totals::default();
        for _ in 0..100 {
            one_by_one.add(&read.county, &read.report);
            t.add(&read.county, &read.report);
        }
        merged = if part % 2 == 0 { merged.merge(t) } else { t.merge(merged) };
    }
    for totals in [&one_by_one, &merged] {
        let cy = &totals.by_county_year[&(read.county.clone(), 2024)];
        assert_eq!(cy.units2, 1_200);
        let max = cy.proactive.values().copied().max().unwrap();
        assert_eq!(decimal_text(max), "1199999999998800");
    }
    let f = Folder::new();
    f.put("民权县/a.txt", &text).put("民权县/b.txt", text.replace("人和镇", "龙塘镇"));
    f.cmd().assert().code(0);
    let proactive = f.csv("proactive.csv");
    let fees = proactive.iter().find(|r| r[5].contains("行政事业性收费")).unwrap_or_else(|| panic!("{proactive:?}"));
    assert_eq!((fees[2].as_str(), fees[6].as_str()), ("2", "1999999999998"), "{fees:?}");
}

/// Found by the fees corpus of class 6 at `-j8 --xlsx`: many units with one
/// table 3 (all 1,200 reports alike) gave a finding for every pair, 1.4
/// million rows of checks.csv, 2.5 GB and a workbook past Excel's rows (exit
/// 2). Each report now names one other and counts the rest: findings grow
/// with the reports, not their square.
#[test]
fn many_identical_tables_give_one_finding_each() {
    let f = Folder::new();
    for i in 0..40 {
        f.put(&format!("民权县/{i:02}.txt"), report(&format!("第{i}镇"), 2024, 1));
    }
    f.cmd().arg("--xlsx").assert().code(0);
    let checks = f.csv("checks.csv");
    let same: Vec<&Vec<String>> = checks.iter().filter(|r| r[4] == "identical_tables").collect();
    assert_eq!(same.len(), 40, "{checks:?}");
    assert!(same.iter().all(|r| r[6].contains("and 38 other units")), "{same:?}");
}
