//! The desktop's platform parts behind one seam. Each platform's module
//! has the same items:
//! - `attach_console()`: a terminal command's output reaches its terminal;
//! - `prepare()`: what must hold before the app claims the instance;
//! - `run(app)`: owns the main thread as the platform's loop needs, and
//!   runs the app on tokio;
//! - `Desktop::{tray, opened, ended}`: show the tray icon and send its
//!   clicks; links the OS hands over as events; the desktop session ended;
//! - `Tray::{show, shutdown}`, the icon made;
//! - `register_scheme()`: make the OS open our links with this program.
//!
//! One instance per user is `crate::instance`'s, shared with the terminal.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::*;

#[cfg(any(target_os = "macos", windows))]
mod menu_bar;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
use macos as os;
#[cfg(target_os = "macos")]
pub use macos::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use self::windows as os;
#[cfg(windows)]
pub use self::windows::*;
