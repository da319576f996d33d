/// The commands the page may call, named once: the build step grants
/// them (`allow-<name>` in `capabilities/main.json`, checked by a test),
/// and the window registers them. Clicks go through `act`, so a new
/// click needs no new command; `fit` sizes the window to the page.
const COMMANDS: [&str; 3] = ["state", "act", "fit"];
