//! The system's programs: the e-mail program, the file manager, the web browser. Each opens on
//! a thread of its own; one that is missing is said, and the page shows what to do by hand.

use super::super::command::{DesktopCmd, Program};
use super::super::ctx::Ctx;

pub fn handle(ctx: &mut Ctx, cmd: DesktopCmd) {
    match cmd {
        DesktopCmd::Mail(url) => ctx.open_program(Program::Mail, url.into()),
        DesktopCmd::Folder(dir) => ctx.open_program(Program::Folder, dir.into_os_string()),
        // Only web links: a link in a file (feedback) must not start a program or open a file.
        DesktopCmd::Url(url) => {
            let lower = url.to_ascii_lowercase();
            if lower.starts_with("https://") || lower.starts_with("http://") {
                ctx.open_program(Program::Browser, url.into());
            }
        }
    }
}
