//! A build killed with SIGKILL at any moment leaves the complete old site
//! or the complete new one at the output path, and the next build clears
//! what the killed one left (docs/guarantees.md, "Output folder").

use crate::common::write;
use crate::output::names;
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::{Duration, Instant};

/// Articles in the generated archive: enough for writing to take a while.
const ARTICLES: usize = 100;

/// Where in a build the test kills it: the kill points are moments in the
/// build's own progress, seen on disk, so they land in the same phases on a
/// fast machine and on a loaded one.
#[derive(Debug, Clone, Copy)]
enum KillPoint {
    /// This long after the start (loading, checking, the first writes).
    After(Duration),
    /// When the staging folder holds this many article pages.
    Written(usize),
    /// When the staging folder is complete (its marker written): the swap is next.
    Staged,
    /// When the output folder holds the new site: the old one is being removed.
    Swapped,
}

const SCHEDULE: [KillPoint; 12] = [
    KillPoint::After(Duration::ZERO),
    KillPoint::After(Duration::from_millis(20)),
    KillPoint::After(Duration::from_millis(60)),
    KillPoint::Written(1),
    KillPoint::Written(ARTICLES / 4),
    KillPoint::Written(ARTICLES / 2),
    KillPoint::Written(ARTICLES * 3 / 4),
    KillPoint::Written(ARTICLES),
    KillPoint::Staged,
    KillPoint::Staged,
    KillPoint::Swapped,
    KillPoint::Swapped,
];

/// A site of `ARTICLES` short articles whose every page carries `title`.
fn generate_site(root: &Path, title: &str) {
    write(
        &root.join("site.yaml"),
        format!("title: {title}\nbase_url: https://example.org/\n").as_bytes(),
    );
    write(&root.join("authors/jane-doe.yaml"), b"name: Jane Doe\n");
    for i in 0..ARTICLES {
        let topic = ["Budgets", "Housing", "Trade", "Energy"][i % 4];
        let text = format!(
            "---\ntitle: Note {i}\ndate: 20{:02}-{:02}-{:02}\nauthors: jane-doe\ntopics: [{topic}]\n---\n\n\
             Paragraph one of note {i}, on {topic}.\n\nParagraph two, with *emphasis* and a [link](https://example.org/{i}).\n",
            10 + i % 15,
            1 + i % 12,
            1 + i % 28
        );
        write(&root.join(format!("articles/note-{i}.md")), text.as_bytes());
    }
}

/// Every file under `dir` with a hash of its bytes.
fn manifest(dir: &Path) -> BTreeMap<String, u64> {
    crate::common::read_tree(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let mut h = DefaultHasher::new();
            bytes.hash(&mut h);
            (path, h.finish())
        })
        .collect()
}

fn build(root: &Path, out: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("pressroom"));
    command
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::null());
    command
}

/// Waits until the build in `child` reaches `point` (or ends), then kills it.
fn kill_at(child: &mut std::process::Child, point: KillPoint, out: &Path, title: &str) {
    let staging = out.with_file_name(format!(".public.building-{}", child.id()));
    let started = Instant::now();
    let reached = || match point {
        KillPoint::After(d) => started.elapsed() >= d,
        KillPoint::Written(n) => std::fs::read_dir(staging.join("articles")).is_ok_and(|d| d.count() >= n),
        KillPoint::Staged => staging.join(pressroom::output::MARKER).exists(),
        KillPoint::Swapped => std::fs::read_to_string(out.join("index.html")).is_ok_and(|t| t.contains(title)),
    };
    while !reached() && child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the build never reached {point:?}"
        );
        std::thread::sleep(Duration::from_micros(300));
    }
    let _ = child.kill();
    child.wait().unwrap();
}

/// SIGKILL in every phase of a build (loading, rendering, writing, swapping,
/// removing the old site), twice over, each build replacing the other
/// version of the site: the output is always one complete version.
#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_and_no_debris() {
    let dir = tempfile::tempdir().unwrap();
    let titles = ["Version A", "Version B"];
    let roots = [dir.path().join("site-a"), dir.path().join("site-b")];
    let mut expected = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        generate_site(root, titles[i]);
        let reference = dir.path().join(format!("reference-{i}"));
        assert!(build(root, &reference).status().unwrap().success());
        expected.push(manifest(&reference));
    }
    let deploy = dir.path().join("deploy");
    let out = deploy.join("public");
    assert!(build(&roots[0], &out).status().unwrap().success());
    let mut current = 0;
    let mut outcomes = [0u32; 2];
    for (k, point) in SCHEDULE.iter().chain(SCHEDULE.iter()).enumerate() {
        let next = 1 - current;
        let mut child = build(&roots[next], &out).spawn().unwrap();
        kill_at(&mut child, *point, &out, titles[next]);
        let got = manifest(&out);
        current = expected.iter().position(|m| *m == got).unwrap_or_else(|| {
            panic!(
                "kill {k} at {point:?}: the output is neither the old nor the new site ({} files)",
                got.len()
            )
        });
        outcomes[usize::from(current == next)] += 1;
    }
    // Kills before the swap leave the old site, later ones the new: both happened.
    assert!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "kills did not spread over the build: {outcomes:?}"
    );
    let next = 1 - current;
    assert!(build(&roots[next], &out).status().unwrap().success());
    assert_eq!(manifest(&out), expected[next]);
    assert_only_output_and_spare(&deploy, &expected);
}

/// `deploy` holds the output and at most a spare, which is one complete
/// version of the site: nothing a killed or concurrent build left.
fn assert_only_output_and_spare(deploy: &Path, expected: &[BTreeMap<String, u64>]) {
    let names = names(deploy);
    assert!(
        names == ["public"] || names == [".public.spare", "public"],
        "leftovers of killed builds remain: {names:?}"
    );
    if names.len() == 2 {
        let mut spare = manifest(&deploy.join(".public.spare"));
        assert!(spare.remove(".pressroom-spare").is_some(), "an unmarked spare");
        assert!(expected.contains(&spare), "the spare is not a complete site");
    }
}

/// Two builds into one output at the same time, again and again: each
/// leaves the other's staging folder alone, at most one takes the spare,
/// both succeed, and the output and the spare are each one complete site.
#[cfg(unix)]
#[test]
fn two_builds_at_once_leave_one_complete_site_and_no_debris() {
    let dir = tempfile::tempdir().unwrap();
    let roots = [dir.path().join("site-a"), dir.path().join("site-b")];
    let mut expected = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        generate_site(root, ["Version A", "Version B"][i]);
        let reference = dir.path().join(format!("reference-{i}"));
        assert!(build(root, &reference).status().unwrap().success());
        expected.push(manifest(&reference));
    }
    let deploy = dir.path().join("deploy");
    let out = deploy.join("public");
    // From the second round on, one of the two takes the spare and the
    // other stages a new tree.
    for _ in 0..3 {
        let mut children: Vec<_> = roots.iter().map(|r| build(r, &out).spawn().unwrap()).collect();
        for child in &mut children {
            assert!(child.wait().unwrap().success());
        }
        assert!(expected.contains(&manifest(&out)));
        assert_only_output_and_spare(&deploy, &expected);
    }
}

/// A build whose staging folder something else removes while it writes
/// (another program, or a build that misjudged it as a leftover) published
/// the incomplete site with exit status 0. Now it checks its staging folder
/// is the one it made before the swap, fails, and leaves the output as it was.
#[cfg(unix)]
#[test]
fn a_build_whose_staging_folder_is_taken_away_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let roots = [dir.path().join("site-a"), dir.path().join("site-b")];
    for (root, title) in roots.iter().zip(["Version A", "Version B"]) {
        generate_site(root, title);
    }
    let out = dir.path().join("deploy/public");
    assert!(build(&roots[0], &out).status().unwrap().success());
    let old = manifest(&out);
    for _ in 0..5 {
        let mut child = build(&roots[1], &out).spawn().unwrap();
        let staging = out.with_file_name(format!(".public.building-{}", child.id()));
        while std::fs::read_dir(staging.join("articles")).map_or(0, |d| d.count()) < ARTICLES / 4
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        let mut removed = false;
        while !removed && child.try_wait().unwrap().is_none() {
            removed = std::fs::remove_dir_all(&staging).is_ok();
        }
        let status = child.wait().unwrap();
        if removed {
            assert!(!status.success(), "a build without its staging folder succeeded");
            assert_eq!(manifest(&out), old, "the output changed");
            return;
        }
    }
    panic!("every build finished before its staging folder could be removed");
}
