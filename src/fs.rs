//! `std::fs` wrapped once so that every I/O error names its path.

use anyhow::{Context, Result};
use std::path::Path;

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

/// Writes `bytes` to `path`, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("could not write {}", path.display()))
}

/// Writes `bytes` to a new file at `path`, creating its parent folders;
/// `false` if something already has that name (nothing is written then).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    match file {
        Ok(mut file) => file
            .write_all(bytes)
            .with_context(|| format!("could not write {}", path.display()))
            .map(|()| true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("could not write {}", path.display())),
    }
}

/// Writes `bytes` to `path` as a new file. Whatever file had the name is
/// unlinked first, never written through: it may share its inode with a
/// file of the live output.
pub fn write_fresh(path: &Path, bytes: &[u8]) -> Result<()> {
    write_fresh_parts(path, &[bytes])
}

/// As `write_fresh`, the bytes given in parts written one after the other.
pub fn write_fresh_parts(path: &Path, parts: &[&[u8]]) -> Result<()> {
    use std::io::Write;
    let open = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    let file = match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::remove_file(path).and_then(|()| open()),
        file => file,
    };
    file.and_then(|mut file| parts.iter().try_for_each(|part| file.write_all(part)))
        .with_context(|| format!("could not write {}", path.display()))
}

/// Opens the file at `path` with `options`, refusing anything but a
/// regular file, without waiting (as opening a named pipe would); with
/// `follow_links` false, a symbolic link at `path` is refused too.
pub fn open_file(
    options: &mut std::fs::OpenOptions,
    path: &Path,
    follow_links: bool,
) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        let flags = match follow_links {
            true => OFlags::NONBLOCK,
            false => OFlags::NONBLOCK | OFlags::NOFOLLOW,
        };
        std::os::unix::fs::OpenOptionsExt::custom_flags(options, flags.bits() as i32);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    Ok(file)
}

/// Opens the file at `path` to read, refusing anything but a regular
/// file, without waiting (as opening a named pipe would).
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    open_file(std::fs::OpenOptions::new().read(true), path, true)
}

/// The bytes of the regular file at `path`: a named pipe, socket or
/// device in a source's place is an error, never waited on.
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Whether the regular file at `path` holds exactly `text` (a mark or a
/// tag): read no further than one byte past it, never from a named pipe
/// or a device.
pub fn holds_exactly(path: &Path, text: &[u8]) -> bool {
    use std::io::Read;
    let Ok(file) = open_regular(path) else {
        return false;
    };
    let mut read = Vec::new();
    file.take(text.len() as u64 + 1).read_to_end(&mut read).is_ok() && read == text
}

/// Creates a new folder (its parent must exist); fails if the name is taken.
pub fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir(path).with_context(|| format!("could not create folder {}", path.display()))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("could not create folder {}", path.display()))
}

/// Removes a folder tree if it exists.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("could not remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Renames `from` to `to`.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).with_context(|| format!("could not rename {} to {}", from.display(), to.display()))
}

/// Copies the file `from` to `to`, creating the folders `to` needs.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("could not copy {} to {}", from.display(), to.display()))
}
