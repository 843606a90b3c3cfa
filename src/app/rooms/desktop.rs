//! The system's programs: the e-mail program and the file manager. Each opens on
//! a thread of its own; one that is missing is said, and the page shows what to do by hand.

use super::super::command::{DesktopCmd, Program};
use super::super::ctx::Ctx;

pub fn handle(ctx: &mut Ctx, cmd: DesktopCmd) {
    match cmd {
        DesktopCmd::Mail(mail) => ctx.send_mail(mail),
        DesktopCmd::Folder(dir) => ctx.open_program(Program::Folder, dir.into_os_string()),
    }
}
