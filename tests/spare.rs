//! The spare beside the output (docs/guarantees.md, "Output folder"): the
//! output a build swaps out is kept and brought up to date by the next
//! build, never trusted beyond what its manifest and file times vouch for.

use crate::cache::Site;
use crate::common::write;
use crate::manifest::{edit_article, identities, site_files, DELETED, DELETED_PAGE, EDITED_PAGE};
use pressroom::output::MANIFEST;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::Duration;

/// A page the edited article does not reach.
const UNTOUCHED_PAGE: &str = "articles/medicaid-unwinding-lessons/index.html";

impl Site {
    fn spare(&self) -> PathBuf {
        self.dir.path().join(".out.spare")
    }

    /// Edits the article and builds with the cache, later than any file so far.
    fn edit_and_build(&self) -> String {
        std::thread::sleep(Duration::from_millis(30));
        edit_article(&self.root());
        self.build()
    }
}

/// Two cached edits in a row: the second build updates the spare the first
/// left and swaps it in, and a file neither edit reached keeps its inode and
/// time throughout, shared with the spare.
#[test]
fn unchanged_files_keep_their_inode_and_time_through_the_spare() {
    let site = Site::new();
    site.build();
    let first = identities(&site.out());
    for round in 0..3 {
        site.edit_and_build();
        site.assert_clean();
        let now = identities(&site.out());
        assert_eq!(now[UNTOUCHED_PAGE], first[UNTOUCHED_PAGE], "round {round}");
        assert_ne!(now[EDITED_PAGE], first[EDITED_PAGE], "round {round}");
        let spare = std::fs::metadata(site.spare().join(UNTOUCHED_PAGE)).unwrap();
        assert_eq!(
            spare.ino(),
            now[UNTOUCHED_PAGE].0,
            "round {round}: the spare shares the file"
        );
    }
}

/// A file edited by hand in the output (through the inode it shares with
/// the spare) and a file deleted from it are restored by the next build,
/// though the spare holds other bytes for them.
#[test]
fn files_edited_or_deleted_in_the_output_are_restored() {
    let site = Site::new();
    site.build();
    site.edit_and_build();
    std::thread::sleep(Duration::from_millis(30));
    let page = site.out().join(UNTOUCHED_PAGE);
    let mut edited = std::fs::read(&page).unwrap();
    let at = edited.iter().position(|&b| b == b'<').unwrap();
    edited[at] = b'{';
    std::fs::write(&page, &edited).unwrap();
    assert_eq!(std::fs::read(site.spare().join(UNTOUCHED_PAGE)).unwrap(), edited);
    std::fs::remove_file(site.out().join(EDITED_PAGE)).unwrap();
    assert!(
        site.spare().join(EDITED_PAGE).is_file(),
        "the spare has the page before the edit"
    );
    let stderr = site.build();
    assert!(!stderr.contains("nothing changed"), "{stderr}");
    site.assert_clean();
    // And again through a body edit, the spare now the damaged tree.
    std::fs::write(&page, &edited).unwrap();
    site.edit_and_build();
    site.assert_clean();
}

/// A spare without its manifest, or with a file its manifest does not
/// list, or with a file replaced since, is never trusted for it: the
/// output equals a clean build.
#[test]
fn a_damaged_spare_is_not_trusted() {
    let site = Site::new();
    site.build();
    site.edit_and_build();
    std::fs::remove_file(site.spare().join(MANIFEST)).unwrap();
    site.edit_and_build();
    site.assert_clean();
    assert!(
        site.spare().join(MANIFEST).is_file(),
        "a new spare replaced the damaged one"
    );
    write(&site.spare().join("articles/stray/index.html"), b"stray");
    write(&site.spare().join("stray.txt"), b"stray");
    let replaced = site.spare().join(UNTOUCHED_PAGE);
    let size = std::fs::metadata(&replaced).unwrap().len() as usize;
    std::fs::remove_file(&replaced).unwrap();
    std::fs::write(&replaced, vec![b'x'; size]).unwrap();
    site.edit_and_build();
    site.assert_clean();
    assert!(!site.out().join("stray.txt").exists() && !site.out().join("articles/stray").exists());
}

/// A folder of the spare replaced by a link to the output's own folder
/// (whose files share the spare's inodes, sizes and times) is removed as a
/// link, and no file is kept through it: the output equals a clean build.
#[test]
fn files_behind_a_link_in_the_spare_are_not_kept() {
    let site = Site::new();
    site.build();
    site.edit_and_build();
    let folder = std::path::Path::new(UNTOUCHED_PAGE).parent().unwrap();
    std::fs::remove_dir_all(site.spare().join(folder)).unwrap();
    std::os::unix::fs::symlink(site.out().join(folder), site.spare().join(folder)).unwrap();
    site.edit_and_build();
    site.assert_clean();
    assert!(site.out().join(UNTOUCHED_PAGE).is_file());
}

/// A page the build no longer makes is gone from the output, though the
/// spare had it, and so is its folder.
#[test]
fn a_page_no_longer_made_disappears() {
    let site = Site::new();
    site.build();
    site.edit_and_build();
    assert!(site.spare().join(DELETED_PAGE).is_file());
    std::fs::remove_file(site.root().join(DELETED)).unwrap();
    site.edit_and_build();
    site.assert_clean();
    assert!(!site.out().join(DELETED_PAGE).parent().unwrap().exists());
    assert!(!site_files(&site.out()).contains_key(DELETED_PAGE));
}

/// A folder of the user's that happens to have the spare's name is never
/// used, changed or removed.
#[test]
fn a_folder_of_the_spares_name_without_its_mark_is_left_alone() {
    let site = Site::new();
    write(&site.spare().join("mine.txt"), b"mine");
    site.build();
    site.edit_and_build();
    site.edit_and_build();
    site.assert_clean();
    assert_eq!(crate::common::read_tree(&site.spare()).len(), 1);
    assert_eq!(std::fs::read(site.spare().join("mine.txt")).unwrap(), b"mine");
}

/// A spare whose manifest was edited to list paths outside it (`../x`,
/// `/x`) is not used, and nothing beside the output is read or removed:
/// the site's own files and the user's files next to it stay.
#[test]
fn a_spare_manifest_listing_paths_outside_it_touches_nothing_beside_it() {
    let site = Site::new();
    site.build();
    site.edit_and_build();
    let beside = site.dir.path().join("notes.txt");
    let kept = site.dir.path().join("canary/important.txt");
    write(&beside, b"mine");
    write(&kept, b"mine too");
    let sources = site_files(&site.root());
    let manifest = site.spare().join(MANIFEST);
    let text = std::fs::read_to_string(&manifest).unwrap();
    let zero = "0".repeat(32);
    let outside = format!(
        "\"files\":{{\n\"../notes.txt\":{{\"size\":4,\"hash\":\"{zero}\"}},\n\
         \"../canary/x\":{{\"size\":8,\"hash\":\"{zero}\"}},\n\
         \"{}\":{{\"size\":4,\"hash\":\"{zero}\"}},\n",
        beside.display()
    );
    assert!(text.contains("\"files\":{\n"), "{text}");
    std::fs::write(&manifest, text.replacen("\"files\":{\n", &outside, 1)).unwrap();
    site.edit_and_build();
    site.assert_clean();
    assert_eq!(std::fs::read(&beside).unwrap(), b"mine");
    assert_eq!(std::fs::read(&kept).unwrap(), b"mine too");
    assert_eq!(site_files(&site.root()).len(), sources.len(), "the site's files stay");
}
