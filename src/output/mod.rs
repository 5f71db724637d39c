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
    /// remove the last run's outputs this run did not write.
    pub fn commit(mut self) -> Result<()> {
        for name in OURS {
            let (from, to) = (self.tmp.join(name), self.dir.join(name));
            if from.exists() {
                if to.is_dir() {
                    std::fs::remove_dir_all(&to).with_context(|| format!("cannot replace {}", to.display()))?;
                }
                std::fs::rename(&from, &to).with_context(|| format!("cannot move {} into place", to.display()))?;
            } else if to.is_dir() {
                std::fs::remove_dir_all(&to).with_context(|| format!("cannot remove the old {}", to.display()))?;
            } else if to.exists() {
                std::fs::remove_file(&to).with_context(|| format!("cannot remove the old {}", to.display()))?;
            }
        }
        // The folder's entry for the renamed files reaches the disk.
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.tmp);
        Ok(())
    }
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
