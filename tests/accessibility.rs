//! The window for a person who does not see it, or sees it differently:
//! its accessibility tree read through AT-SPI (pyatspi on the tests'
//! private bus, as a screen reader reads them), the announcement of a new
//! state heard as a screen reader hears it, the Tab key's path against
//! the reading order, its colours' contrast measured in the light and the
//! dark theme, and its layout at 200 % text.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::webdriver::{click, screenshot, status_becomes, within};
use common::{DesktopRig, Driver};
use serde_json::Value;

/// `tests/a11y/atspi.py` on the rig's bus, with the system's Python
/// (pyatspi is a Debian package, not in any virtual environment).
fn atspi(rig: &DesktopRig, args: &[&str]) -> Command {
    let mut command = Command::new("/usr/bin/python3");
    command
        .arg(common::repo().join("tests/a11y/atspi.py"))
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", &rig.keychain.address)
        .env("DISPLAY", &rig.display.name)
        .stdin(Stdio::null());
    command
}

/// The web page's accessibility tree, one object per line; asked again
/// while the accessibility bus is still starting (its first callers may
/// get no reply on a loaded machine).
fn tree(rig: &DesktopRig) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let output = common::output(atspi(rig, &["tree"]), Duration::from_secs(60));
        if output.status.success() {
            return String::from_utf8(output.stdout)
                .unwrap()
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect();
        }
        assert!(
            Instant::now() < deadline,
            "atspi.py tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Starts the accessibility bus on the rig's session bus, as a desktop
/// session does, so the window registers with it when it opens.
fn start_accessibility_bus(rig: &DesktopRig) {
    let mut command = Command::new("dbus-send");
    command
        .args([
            "--session",
            "--print-reply",
            "--reply-timeout=20000",
            "--dest=org.a11y.Bus",
            "/org/a11y/bus",
            "org.a11y.Bus.GetAddress",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", &rig.keychain.address)
        .stdin(Stdio::null());
    let output = common::output(command, Duration::from_secs(30));
    assert!(
        output.status.success(),
        "no accessibility bus: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn showing(node: &Value) -> bool {
    node["states"]
        .as_array()
        .unwrap()
        .iter()
        .any(|state| state == "showing")
}

#[tokio::test]
async fn a_screen_reader_finds_every_control_named_and_the_state_in_a_live_region() {
    let rig = DesktopRig::start("http");
    start_accessibility_bus(&rig);
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;
    status_becomes(&client, "Signed out").await;

    let nodes = tree(&rig);
    let find = |role: &str, name: &str| {
        nodes
            .iter()
            .find(|node| node["role"] == role && node["name"] == name)
            .unwrap_or_else(|| panic!("no {role} {name:?} in {nodes:#?}"))
    };
    assert!(showing(find("push button", "Sign in")));
    for switch in ["Notifications", "Start at login"] {
        let node = nodes
            .iter()
            .find(|node| node["name"] == switch && node["role"] != "label")
            .unwrap_or_else(|| panic!("no control {switch:?} in {nodes:#?}"));
        assert!(
            ["toggle button", "switch", "check box"].contains(&node["role"].as_str().unwrap()),
            "{node}"
        );
    }
    // Every control on screen has a name a screen reader can say.
    for node in nodes.iter().filter(|node| showing(node)) {
        let role = node["role"].as_str().unwrap();
        if [
            "push button",
            "toggle button",
            "switch",
            "check box",
            "entry",
            "link",
        ]
        .contains(&role)
        {
            assert!(!node["name"].as_str().unwrap().is_empty(), "unnamed {node}");
        }
    }
    // What the polite live region holds: its paragraph's text.
    let live = |nodes: &[Value]| -> String {
        nodes
            .iter()
            .find(|node| {
                node["attributes"]["container-live"] == "polite"
                    && !node["text"].as_str().unwrap().is_empty()
            })
            .unwrap_or_else(|| panic!("no polite live region in {nodes:#?}"))["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(live(&nodes), "Signed out");

    // A sign-in: the screen reader hears the new state from the live
    // region, and the region holds it.
    let listener = Listener::start(&rig, "Signed in as Ada Lovelace");
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    let heard = listener.heard();
    assert_eq!(heard["live"], "polite", "{heard}");
    assert_eq!(heard["said"], "Signed in as Ada Lovelace", "{heard}");
    assert_eq!(live(&tree(&rig)), "Signed in as Ada Lovelace");
    within("close", client.close()).await;
}

/// `atspi.py announced`, running: what a screen reader hears of the
/// window's live regions.
struct Listener {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Listener {
    /// Listens for an announcement saying `text`; returns once listening.
    fn start(rig: &DesktopRig, text: &str) -> Self {
        let mut command = atspi(rig, &["announced", text]);
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .expect("atspi.py runs");
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let _ = send.send(line);
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the listener starts");
        assert_eq!(first, "\"listening\"");
        Self { child, lines }
    }

    /// The announcement heard (role, politeness, what was said).
    fn heard(mut self) -> Value {
        let line = self.lines.recv_timeout(Duration::from_secs(90));
        let _ = self.child.kill();
        let _ = self.child.wait();
        serde_json::from_str(&line.expect("an announcement of the new state")).unwrap()
    }
}

/// Every text of the page, every part shown, measured against what is
/// behind it (WCAG 2.2 1.4.3: 4.5:1, 3:1 for large text); the failures,
/// and whether the dark theme is on.
const CONTRAST: &str = r#"
for (const element of document.querySelectorAll("[hidden]")) element.hidden = false;
document.getElementById("message").textContent = "Sign-in failed: the provider said no.";
document.getElementById("message").classList.add("error");
document.getElementById("keychain-warning").textContent = "The keychain is locked.";
const parse = (colour) => {
  const [r, g, b, a = 1] = colour.match(/[\d.]+/g).map(Number);
  return { r, g, b, a };
};
const luminance = ({ r, g, b }) => {
  const linear = (v) => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};
const behind = (element) => {
  for (let e = element; e; e = e.parentElement) {
    const colour = parse(getComputedStyle(e).backgroundColor);
    if (colour.a > 0) return colour;
  }
  return parse(getComputedStyle(document.documentElement).backgroundColor);
};
const failures = [];
for (const element of document.querySelectorAll("body *")) {
  const text = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const style = getComputedStyle(element);
  if (!text || style.display === "none" || style.visibility === "hidden") continue;
  const back = behind(element);
  let fore = parse(style.color);
  fore = {
    r: fore.r * fore.a + back.r * (1 - fore.a),
    g: fore.g * fore.a + back.g * (1 - fore.a),
    b: fore.b * fore.a + back.b * (1 - fore.a),
  };
  const [light, dark] = [luminance(fore), luminance(back)].sort((x, y) => y - x);
  const ratio = (light + 0.05) / (dark + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) {
    failures.push(`${element.tagName}#${element.id}.${element.className}: ${ratio.toFixed(2)}`);
  }
}
return { failures, dark: matchMedia("(prefers-color-scheme: dark)").matches };
"#;

/// At 200 % text, what does not fit across the window.
const DOUBLE_TEXT: &str = r#"
document.documentElement.style.fontSize = "200%";
const cut = [...document.querySelectorAll("button, label, p, h1, h2, summary, code")]
  .filter((e) => e.getClientRects().length && !e.closest(".visually-hidden"))
  .filter((e) => e.scrollWidth > e.clientWidth + 1)
  .map((e) => `${e.tagName}#${e.id} ${e.textContent.trim().slice(0, 40)}`);
const page = document.documentElement;
return { cut, wider: page.scrollWidth > page.clientWidth + 1 };
"#;

async fn contrast_in(theme: Option<&str>, shot: &str) {
    let rig = DesktopRig::start("http");
    let mut env = rig.env.clone();
    if let Some(theme) = theme {
        env.push(("GTK_THEME".into(), theme.into()));
    }
    let driver = Driver::start(&env);
    let client = driver.launch(&rig.show_args(&[])).await;
    status_becomes(&client, "Signed out").await;
    let measured = within("contrast", client.execute(CONTRAST, vec![])).await;
    assert_eq!(measured["dark"], theme.is_some(), "the theme did not apply");
    assert_eq!(measured["failures"], Value::Array(vec![]), "{theme:?}");
    screenshot(&client, shot).await;
    let doubled = within("200 % text", client.execute(DOUBLE_TEXT, vec![])).await;
    assert_eq!(doubled["cut"], Value::Array(vec![]), "{theme:?}");
    assert_eq!(doubled["wider"], false, "{theme:?}");
    screenshot(&client, &format!("{shot}-200-percent-text")).await;
    within("close", client.close()).await;
}

#[tokio::test]
async fn the_light_theme_meets_contrast_and_fits_200_percent_text() {
    contrast_in(None, "window-light-every-part").await;
}

#[tokio::test]
async fn the_dark_theme_meets_contrast_and_fits_200_percent_text() {
    contrast_in(Some("Adwaita:dark"), "window-dark-every-part").await;
}

/// Every control a Tab can reach, in the page's order: the page's own
/// description of each, and whether each one sits after the one before
/// as a person reads (below it, or to its right on the same line).
const TABBABLE: &str = r#"
const reachable = [...document.querySelectorAll(
  "a[href], button, input, select, textarea, summary, [tabindex]")]
  .filter((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length
    && getComputedStyle(e).visibility !== "hidden"
    // What a closed disclosure holds is not shown, nor reached by Tab.
    && !e.closest("details:not([open]) > :not(summary)"));
const out_of_order = [];
for (let i = 1; i < reachable.length; i++) {
  const [a, b] = [reachable[i - 1], reachable[i]].map((e) => e.getBoundingClientRect());
  const sameLine = Math.abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2) < 8;
  const after = sameLine ? b.left >= a.left : (b.top + b.bottom) / 2 > (a.top + a.bottom) / 2;
  if (!after) out_of_order.push(`${describe(reachable[i - 1])} → ${describe(reachable[i])}`);
}
reachable[0].focus();
return { controls: reachable.map(describe), out_of_order };
"#;

/// How [`TABBABLE`] and [`FOCUSED`] name a control: its tag, id, account
/// and label.
const DESCRIBE: &str = r#"
const describe = (e) =>
  [e.tagName.toLowerCase(), e.id, e.closest("[data-account]")?.dataset.account ?? "",
   e.getAttribute("aria-label") || e.textContent.trim()].join("|");
"#;

/// What has the focus.
const FOCUSED: &str = "return describe(document.activeElement);";

#[tokio::test]
async fn the_tab_key_follows_the_reading_order() {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};

    // The session is refreshed, and the window told, while the person
    // moves through it: a terminal asks for a renewed token then.
    let rig = DesktopRig::start("http");
    let renew = || {
        let renewal = common::output(
            common::cli(&rig.env, &["token", "--min-valid", "100000"]),
            Duration::from_secs(60),
        );
        assert!(renewal.status.success(), "{renewal:?}");
    };
    rig.configure(&rig.provider.issuer, &rig.provider.issuer, "");
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.args("--show")).await;
    status_becomes(&client, "Signed out").await;
    // Signed in, another account listed, the form open: the most controls.
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    click(&client, "#add-account summary").await;

    // Routine refreshes leave the focus where the person put it.
    let refreshed = rig.provider.refreshes();
    renew();
    renew();
    assert_eq!(rig.provider.refreshes(), refreshed + 2);
    let focused = within(
        "focused",
        client.execute(&format!("{DESCRIBE}{FOCUSED}"), vec![]),
    )
    .await;
    assert_eq!(focused, "summary|||Add account");

    let page = within(
        "tabbable",
        client.execute(&format!("{DESCRIBE}{TABBABLE}"), vec![]),
    )
    .await;
    assert_eq!(page["out_of_order"], serde_json::json!([]), "{page}");
    let controls: Vec<String> = serde_json::from_value(page["controls"].clone()).unwrap();
    assert!(controls.len() >= 10, "{controls:#?}");
    assert!(
        controls.iter().any(|c| c.contains("|home|")),
        "{controls:#?}"
    );

    let tab = char::from(fantoccini::key::Key::Tab);
    let mut walked = Vec::new();
    for step in 0..controls.len() {
        if step == controls.len() / 2 {
            renew();
        }
        let focused = within(
            "focused",
            client.execute(&format!("{DESCRIBE}{FOCUSED}"), vec![]),
        )
        .await;
        walked.push(focused.as_str().unwrap().to_owned());
        let press = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab });
        within("Tab", client.perform_actions(press)).await;
    }
    assert_eq!(walked, controls);
    within("close", client.close()).await;
}
