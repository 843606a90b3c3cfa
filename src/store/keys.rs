//! The signing key of a database (see `Store::signing_key`).
