//! Tauri's build step, for the window binary only: the tray process and
//! the engine-only build need no Tauri at all.

fn main() {
    #[cfg(feature = "window")]
    {
        println!("cargo:rerun-if-changed=src-tauri/capabilities");
        tauri_build::try_build(
            tauri_build::Attributes::new()
                .capabilities_path_pattern("src-tauri/capabilities/**/*")
                .app_manifest(tauri_build::AppManifest::new().commands(&[
                    "status",
                    "sign_in",
                    "cancel_sign_in",
                    "sign_out",
                    "reopen_sign_in",
                    "api_url",
                    "avatar",
                ])),
        )
        .expect("tauri-build");
    }
}
