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
