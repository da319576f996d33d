//! Tauri's build step: the window's commands and capabilities, and the
//! app's configuration (`tauri.conf.json`, at the repository's top).

include!("src/commands.rs");

fn main() {
    println!("cargo:rerun-if-changed=capabilities");
    println!("cargo:rerun-if-changed=src/commands.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../../tauri.conf.json")
            .capabilities_path_pattern("capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(&COMMANDS)),
    )
    .expect("tauri-build");
}
