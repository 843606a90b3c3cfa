//! The worker's rooms: one job each, with its own commands (`command.rs`). A room is a
//! `handle(ctx, cmd)` over the shared [`super::ctx::Ctx`]; rooms never call each other (a room
//! that needs another's work asks for it with `ctx.then(cmd)`). See docs/architecture.md.

pub mod backup;
pub mod desktop;
pub mod export;
pub mod feedback;
pub mod framework;
pub mod import;
pub mod keys;
pub mod programme;
pub mod review;
pub mod secretariat;
pub mod sections;
pub mod session;
pub mod settings;
