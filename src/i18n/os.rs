//! What the operating system said about a file, in plain words in the user's language.
//!
//! An `std::io::Error` prints as "No such file or directory (os error 2)", in English whatever
//! the user reads. [`IoCause`] keeps only what it means (a value, no words), so a message can be
//! put into words when it is shown, in the language of that moment.

use super::Lang;
use std::io::ErrorKind;

/// Why the system refused to read or write a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoCause {
    NotFound,
    PermissionDenied,
    DiskFull,
    ReadOnly,
    AlreadyExists,
    InvalidName,
    NameTooLong,
    IsAFolder,
    NotAFolder,
    /// Another program holds the file (Windows sharing violation, a busy device).
    InUse,
    /// A network drive that did not answer.
    TimedOut,
    /// The disk reported a read or write error.
    DeviceError,
    /// Anything else: the system's own error number, if it gave one.
    Other(Option<i32>),
}

impl IoCause {
    /// The cause of an I/O error, from its kind and, where the kind says little, its number.
    pub fn of(e: &std::io::Error) -> IoCause {
        if let Some(c) = e.raw_os_error().and_then(from_os_code) {
            return c;
        }
        match e.kind() {
            ErrorKind::NotFound => IoCause::NotFound,
            ErrorKind::PermissionDenied => IoCause::PermissionDenied,
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => IoCause::DiskFull,
            ErrorKind::ReadOnlyFilesystem => IoCause::ReadOnly,
            ErrorKind::AlreadyExists => IoCause::AlreadyExists,
            ErrorKind::InvalidFilename => IoCause::InvalidName,
            ErrorKind::IsADirectory => IoCause::IsAFolder,
            ErrorKind::NotADirectory => IoCause::NotAFolder,
            ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => IoCause::InUse,
            ErrorKind::TimedOut | ErrorKind::StaleNetworkFileHandle | ErrorKind::NetworkUnreachable => {
                IoCause::TimedOut
            }
            _ => IoCause::Other(e.raw_os_error()),
        }
    }

    /// A stable, language-free form (`"io:not_found"`, `"io:other:5"`), for values that must be
    /// kept as text.
    pub fn code(self) -> String {
        match self {
            IoCause::Other(Some(n)) => format!("io:other:{n}"),
            other => format!("io:{}", other.key_suffix()),
        }
    }

    /// Reads [`IoCause::code`] back.
    pub fn from_code(s: &str) -> Option<IoCause> {
        let rest = s.strip_prefix("io:")?;
        if let Some(n) = rest.strip_prefix("other:") {
            return n.parse().ok().map(|n| IoCause::Other(Some(n)));
        }
        ALL.iter().copied().find(|c| c.key_suffix() == rest)
    }

    fn key_suffix(self) -> &'static str {
        match self {
            IoCause::NotFound => "not_found",
            IoCause::PermissionDenied => "permission_denied",
            IoCause::DiskFull => "disk_full",
            IoCause::ReadOnly => "read_only",
            IoCause::AlreadyExists => "already_exists",
            IoCause::InvalidName => "invalid_name",
            IoCause::NameTooLong => "name_too_long",
            IoCause::IsAFolder => "is_a_folder",
            IoCause::NotAFolder => "not_a_folder",
            IoCause::InUse => "in_use",
            IoCause::TimedOut => "timed_out",
            IoCause::DeviceError => "device_error",
            IoCause::Other(_) => "other",
        }
    }

    /// The cause in plain words ("the disk is full"), to follow a file's name.
    pub fn words(self, t: Lang) -> String {
        match self {
            IoCause::Other(Some(n)) => t.f("os.other_code", &[("code", &n)]),
            other => t.t(&format!("os.{}", other.key_suffix())).to_string(),
        }
    }
}

const ALL: [IoCause; 13] = [
    IoCause::NotFound,
    IoCause::PermissionDenied,
    IoCause::DiskFull,
    IoCause::ReadOnly,
    IoCause::AlreadyExists,
    IoCause::InvalidName,
    IoCause::NameTooLong,
    IoCause::IsAFolder,
    IoCause::NotAFolder,
    IoCause::InUse,
    IoCause::TimedOut,
    IoCause::DeviceError,
    IoCause::Other(None),
];

/// The error numbers whose kind says too little (or that another system's build would not map).
fn from_os_code(code: i32) -> Option<IoCause> {
    #[cfg(windows)]
    let c = match code {
        2 | 3 | 15 | 53 | 67 => IoCause::NotFound,
        5 | 1314 => IoCause::PermissionDenied,
        39 | 112 => IoCause::DiskFull,
        19 => IoCause::ReadOnly,
        80 | 183 => IoCause::AlreadyExists,
        123 | 161 => IoCause::InvalidName,
        206 => IoCause::NameTooLong,
        32 | 33 => IoCause::InUse,
        21 | 23 | 1117 => IoCause::DeviceError,
        _ => return None,
    };
    #[cfg(not(windows))]
    let c = match code {
        2 => IoCause::NotFound,
        1 | 13 => IoCause::PermissionDenied,
        27 | 28 | 122 => IoCause::DiskFull,
        30 => IoCause::ReadOnly,
        17 => IoCause::AlreadyExists,
        36 => IoCause::NameTooLong,
        21 => IoCause::IsAFolder,
        20 => IoCause::NotAFolder,
        16 | 26 => IoCause::InUse,
        5 => IoCause::DeviceError,
        _ => return None,
    };
    Some(c)
}

/// An I/O error in plain words.
pub fn io_words(t: Lang, e: &std::io::Error) -> String {
    IoCause::of(e).words(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn system_errors_become_plain_words_in_both_languages() {
        for (code, cause) in [
            (2, IoCause::NotFound),
            (13, IoCause::PermissionDenied),
            (28, IoCause::DiskFull),
            (30, IoCause::ReadOnly),
            (17, IoCause::AlreadyExists),
            (5, IoCause::DeviceError),
        ] {
            let e = std::io::Error::from_raw_os_error(code);
            assert_eq!(IoCause::of(&e), cause, "os error {code}");
            for t in Lang::ALL {
                let w = io_words(t, &e);
                assert!(!w.contains("os error") && !w.contains("os.") && !w.is_empty(), "{w}");
            }
            assert_ne!(io_words(Lang::En, &e), io_words(Lang::Fr, &e));
        }
    }

    #[test]
    fn kinds_without_a_number_are_mapped_too() {
        let e = std::io::Error::new(ErrorKind::StorageFull, "x");
        assert_eq!(IoCause::of(&e), IoCause::DiskFull);
        let e = std::io::Error::new(ErrorKind::InvalidFilename, "x");
        assert_eq!(IoCause::of(&e), IoCause::InvalidName);
        let e = std::io::Error::other("x");
        assert_eq!(IoCause::of(&e), IoCause::Other(None));
        assert!(!IoCause::Other(None).words(Lang::Fr).is_empty());
        assert!(IoCause::Other(Some(9999)).words(Lang::Fr).contains("9999"));
    }

    #[test]
    fn codes_read_back() {
        for c in ALL.iter().copied().chain([IoCause::Other(Some(71))]) {
            assert_eq!(IoCause::from_code(&c.code()), Some(c));
        }
        assert_eq!(IoCause::from_code("No such file"), None);
    }
}
