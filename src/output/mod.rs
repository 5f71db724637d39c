//! Writers of the output contract (FORMAT.md section 4), and the output
//! folder they write into as one set.
//!
//! Every output of a run is written into a fresh hidden folder inside the
//! output folder; only when all of them are complete (flushed and synced,
//! errors propagated) are they moved into place. A failure or Ctrl-C before
//! that leaves the last run's outputs as they were and removes the
//! temporaries, so the folder never holds a mix of two runs.

pub mod csv;
pub mod records;
pub mod xlsx;

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The hidden folders being written, removed on Ctrl-C.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Remove every output folder still being written (for a Ctrl-C handler).
pub fn remove_pending() {
    if let Ok(dirs) = PENDING.lock() {
        for d in dirs.iter() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// A run's outputs being written (see the module doc).
pub struct OutputSet {
    dir: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

/// The outputs a run may write, so that a run that writes fewer (no
/// `--xlsx`, no `--roster`) does not leave an older run's beside its own.
pub const OURS: &[&str] = &[
    "requests.csv",
    "requests_by_unit.csv",
    "proactive.csv",
    "review_litigation.csv",
    "checks.csv",
    "files.csv",
    "requests_yoy.csv",
    "roster.csv",
    xlsx::FILE_NAME,
    xlsx::SEND_BACK_DIR,
];

impl OutputSet {
    /// Create the output folder (if missing) and the hidden folder inside it.
    pub fn create(dir: &Path) -> Result<OutputSet> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the output folder {}", dir.display()))?;
        let tmp = dir.join(format!(".county-rollup-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).with_context(|| format!("cannot clear {}", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("cannot write into the output folder {}", dir.display()))?;
        if let Ok(mut p) = PENDING.lock() {
            p.push(tmp.clone());
        }
        Ok(OutputSet { dir: dir.to_path_buf(), tmp, committed: false })
    }

    /// Where an output is written while the run goes on.
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// The final output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Move every output written into place, replacing the last run's, and
    /// remove the last run's outputs this run did not write: all or nothing.
    ///
    /// The last run's outputs are first moved aside into a hidden backup
    /// folder, then this run's are moved in. If any move fails (a workbook
    /// held open by Excel on Windows, a full or failing disk), every move
    /// made is undone, so the folder holds exactly the last run's outputs
    /// again and the temporaries are removed; the backup is deleted only
    /// once all of this run's outputs are in place. A Ctrl-C during the
    /// swap waits for it to end (the handler needs the lock held here).
    pub fn commit(mut self) -> Result<()> {
        let pending = PENDING.lock();
        let swapped = self.swap();
        drop(pending);
        swapped?;
        self.committed = true;
        Ok(())
    }

    fn swap(&self) -> Result<()> {
        let last = self.dir.join(format!(".county-rollup-{}-last", std::process::id()));
        if last.symlink_metadata().is_ok() {
            anyhow::bail!(
                "{} is in the way (the last outputs of an interrupted run?): move its files back or remove it",
                last.display()
            );
        }
        std::fs::create_dir(&last)
            .with_context(|| format!("cannot write into the output folder {}", self.dir.display()))?;
        let (mut aside, mut moved_in) = (Vec::new(), Vec::new());
        let mut moves = || -> Result<()> {
            for name in OURS {
                let (from, to) = (self.dir.join(name), last.join(name));
                if from.symlink_metadata().is_ok() {
                    move_entry(&from, &to).with_context(|| format!("cannot move the old {} aside", from.display()))?;
                    aside.push(*name);
                }
            }
            for name in OURS {
                let (from, to) = (self.tmp.join(name), self.dir.join(name));
                if from.symlink_metadata().is_ok() {
                    move_entry(&from, &to).with_context(|| format!("cannot move {} into place", to.display()))?;
                    moved_in.push(*name);
                }
            }
            Ok(())
        };
        let moved = moves();
        if moved.is_ok() {
            sync_dir(&self.dir);
            let _ = std::fs::remove_dir_all(&last);
            let _ = std::fs::remove_dir_all(&self.tmp);
            return moved;
        }
        // Roll back: this run's outputs out (back into the temporary folder,
        // removed with it), the last run's back in, newest move first.
        let mut kept = true;
        for name in moved_in.iter().rev() {
            let (at, back) = (self.dir.join(name), self.tmp.join(name));
            if move_entry(&at, &back).is_err() && remove_entry(&at).is_err() {
                kept = false;
            }
        }
        for name in aside.iter().rev() {
            if move_entry(&last.join(name), &self.dir.join(name)).is_err() {
                kept = false;
            }
        }
        sync_dir(&self.dir);
        if kept {
            let _ = std::fs::remove_dir_all(&last);
            moved
        } else {
            moved.with_context(|| {
                format!(
                    "the last run's outputs could not all be put back: what is left of them is in {}",
                    last.display()
                )
            })
        }
    }
}

/// The folder's entries for the renamed files reach the disk.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Remove a file, link or folder.
fn remove_entry(p: &Path) -> std::io::Result<()> {
    if p.symlink_metadata()?.is_dir() { std::fs::remove_dir_all(p) } else { std::fs::remove_file(p) }
}

/// One move of the commit (a rename within the output folder).
fn move_entry(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(test)]
    if tests::fail_this_move() {
        return Err(std::io::Error::other("a move made to fail (test)"));
    }
    std::fs::rename(from, to)
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
        if let Ok(mut p) = PENDING.lock() {
            p.retain(|d| d != &self.tmp);
        }
    }
}

/// A text field as it may go into a CSV meant for spreadsheets: a field that
/// Excel or WPS would take for a formula (starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading `'`, as OWASP advises. Only
/// for text fields (names, paths, reasons): numbers are written as they are.
pub fn text_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::collections::BTreeMap;

    thread_local! {
        /// How many moves of a commit succeed before one fails (None: all do).
        static MOVES_BEFORE_FAILURE: Cell<Option<usize>> = const { Cell::new(None) };
    }

    /// Whether this move is the one made to fail (see `move_entry`).
    pub(super) fn fail_this_move() -> bool {
        MOVES_BEFORE_FAILURE.with(|m| match m.get() {
            Some(0) => {
                m.set(None);
                true
            }
            Some(n) => {
                m.set(Some(n - 1));
                false
            }
            None => false,
        })
    }

    /// Every file and folder under `dir` (hidden ones too), with its bytes.
    fn snapshot(dir: &Path) -> BTreeMap<String, Option<String>> {
        let mut all = BTreeMap::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let name = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                if p.is_dir() {
                    all.insert(name, None);
                    todo.push(p);
                } else {
                    all.insert(name, Some(std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
        all
    }

    /// An output folder holding a last run's outputs (a workbook and its
    /// send-back folder among them) and a file of the user's.
    fn last_run(dir: &Path) {
        for name in ["requests.csv", "files.csv", xlsx::FILE_NAME] {
            std::fs::write(dir.join(name), format!("last run's {name}")).unwrap();
        }
        std::fs::create_dir(dir.join(xlsx::SEND_BACK_DIR)).unwrap();
        std::fs::write(dir.join(xlsx::SEND_BACK_DIR).join("a.txt"), "last").unwrap();
        std::fs::write(dir.join("notes.txt"), "the user's").unwrap();
    }

    /// This run's outputs: other CSVs than the last run's, a send-back
    /// folder, no workbook.
    fn this_run(set: &OutputSet) {
        for name in ["requests.csv", "files.csv", "checks.csv"] {
            std::fs::write(set.path(name), format!("this run's {name}")).unwrap();
        }
        std::fs::create_dir(set.path(xlsx::SEND_BACK_DIR)).unwrap();
        std::fs::write(set.path(xlsx::SEND_BACK_DIR).join("b.txt"), "this").unwrap();
    }

    #[test]
    fn a_commit_that_fails_at_any_move_leaves_exactly_the_last_runs_outputs() {
        // 4 of the last run's outputs to move aside, 4 of this run's to move
        // in: a failure at each of the 8 moves in turn, then none.
        for fail_at in 0..=8 {
            let dir = tempfile::tempdir().unwrap();
            last_run(dir.path());
            let before = snapshot(dir.path());
            let set = OutputSet::create(dir.path()).unwrap();
            this_run(&set);
            MOVES_BEFORE_FAILURE.with(|m| m.set(Some(fail_at)));
            let committed = set.commit();
            MOVES_BEFORE_FAILURE.with(|m| m.set(None));
            let after = snapshot(dir.path());
            if fail_at < 8 {
                let e = committed.expect_err("the move made to fail fails the commit");
                assert!(format!("{e:#}").contains("made to fail"), "{e:#}");
                // Nothing of this run's, nothing hidden left behind.
                assert_eq!(after, before, "a failure at move {fail_at}");
            } else {
                committed.unwrap();
                let names: Vec<&str> = after.keys().map(String::as_str).collect();
                let send_back_b = format!("{}/b.txt", xlsx::SEND_BACK_DIR);
                let mut want =
                    vec!["checks.csv", "files.csv", "notes.txt", "requests.csv", xlsx::SEND_BACK_DIR, &send_back_b];
                want.sort();
                assert_eq!(names, want);
                assert_eq!(after["files.csv"].as_deref(), Some("this run's files.csv"));
            }
        }
    }

    #[test]
    fn formula_like_text_is_escaped() {
        assert_eq!(text_field("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text_field("+1"), "'+1");
        assert_eq!(text_field("@SUM"), "'@SUM");
        assert_eq!(text_field("-5"), "'-5");
        assert_eq!(text_field("人和镇"), "人和镇");
    }

    #[test]
    fn a_set_moves_into_place_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("files.csv"), "old").unwrap();
        std::fs::write(dir.path().join(xlsx::FILE_NAME), "old workbook").unwrap();
        {
            let set = OutputSet::create(dir.path()).unwrap();
            std::fs::write(set.path("files.csv"), "new").unwrap();
            // Dropped without commit: the old outputs stay, the temporaries go.
        }
        assert_eq!(std::fs::read_to_string(dir.path().join("files.csv")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        let set = OutputSet::create(dir.path()).unwrap();
        std::fs::write(set.path("files.csv"), "new").unwrap();
        set.commit().unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("files.csv")).unwrap(), "new");
        // The old workbook this run did not write is gone with the old set.
        assert!(!dir.path().join(xlsx::FILE_NAME).exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
