//! The end-to-end tests: the real binary with the real parts (providers on
//! loopback, the keychain, the window through WebDriver, the tray over
//! D-Bus, a browser, the terminal, git, the packages, Wine), and the API
//! through its router in process. One test binary, a module per area;
//! what they share is in `common`, by job. Run through `cargo nextest`,
//! which gives each test namespaces of its own (`tests/isolate`).

mod common;

mod accessibility;
mod accounts;
mod api;
mod clients;
mod desktop;
mod engine;
mod faults;
mod hardening;
mod id_tokens;
mod languages;
mod network;
mod notifications;
mod package;
mod presets;
mod providers;
mod router;
mod session;
mod terminal;
mod wine;
