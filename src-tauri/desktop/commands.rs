//! What the login window may call: one engine call each.

use std::sync::Arc;

use serde::Serialize;
use tauri::State;

use crate::engine::events::Status;
use crate::engine::Engine;

/// An error as the window sees it: a plain message.
#[derive(Debug, Serialize)]
pub struct CommandError {
    message: String,
}

impl From<crate::engine::EngineError> for CommandError {
    fn from(error: crate::engine::EngineError) -> Self {
        Self {
            message: error.to_string(),
        }
    }
}

/// What the window renders: the engine's state and its headline, so the
/// words are the engine's, not a copy in JavaScript.
#[derive(Clone, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    status: Status,
    headline: String,
}

impl From<Status> for StatusView {
    fn from(status: Status) -> Self {
        Self {
            headline: status.headline(),
            status,
        }
    }
}

#[tauri::command]
pub fn status(engine: State<'_, Arc<Engine>>) -> StatusView {
    engine.status().into()
}

/// Starts a sign-in; its progress arrives as status events.
#[tauri::command]
pub fn sign_in(engine: State<'_, Arc<Engine>>) {
    super::start_sign_in(engine.inner());
}

#[tauri::command]
pub fn cancel_sign_in(engine: State<'_, Arc<Engine>>) {
    engine.cancel_sign_in();
}

#[tauri::command]
pub async fn sign_out(engine: State<'_, Arc<Engine>>) -> Result<(), CommandError> {
    engine.sign_out().await?;
    Ok(())
}

#[tauri::command]
pub fn reopen_sign_in(engine: State<'_, Arc<Engine>>) {
    engine.reopen_sign_in();
}

#[tauri::command]
pub fn api_url(engine: State<'_, Arc<Engine>>) -> String {
    engine.api_url()
}

#[tauri::command]
pub async fn avatar(engine: State<'_, Arc<Engine>>) -> Result<Option<String>, CommandError> {
    Ok(engine.avatar().await)
}
