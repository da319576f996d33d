//! Tauri's build step, for the window binary only: the tray process and
//! the engine-only build need no Tauri at all.

#[cfg(feature = "window")]
include!("window/commands.rs");

fn main() {
    #[cfg(feature = "window")]
    {
        println!("cargo:rerun-if-changed=src-tauri/capabilities");
        println!("cargo:rerun-if-changed=src-tauri/window/commands.rs");
        tauri_build::try_build(
            tauri_build::Attributes::new()
                .capabilities_path_pattern("src-tauri/capabilities/**/*")
                .app_manifest(tauri_build::AppManifest::new().commands(&COMMANDS)),
        )
        .expect("tauri-build");
    }
}
