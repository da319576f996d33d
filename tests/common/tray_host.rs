//! A StatusNotifierItem host over D-Bus, as a desktop's panel is: it
//! reads the tray's icon and menu, and clicks its entries.

use std::time::{Duration, Instant};

/// The app's tray icon as a tray host sees it: a StatusNotifierItem and
/// its dbusmenu on the test's session bus.
pub struct TrayHost {
    connection: zbus::blocking::Connection,
    item: String,
}

/// One line of the tray menu.
#[derive(Debug)]
pub struct MenuLine {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
    /// A check item's state (dbusmenu `toggle-state`); `None` otherwise.
    pub checked: Option<bool>,
}

type Layout = (
    i32,
    std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    Vec<zbus::zvariant::OwnedValue>,
);

/// The StatusNotifierItem tooltip: icon name, pixmaps, title, text.
type ToolTip = (String, Vec<(i32, i32, Vec<u8>)>, String, String);

impl TrayHost {
    /// Waits for the app's item on the bus at `address`.
    pub fn find(address: &str) -> Self {
        let connection = zbus::blocking::connection::Builder::address(address)
            .unwrap()
            .build()
            .unwrap();
        let bus = zbus::blocking::fdo::DBusProxy::new(&connection).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let names = bus.list_names().unwrap();
            if let Some(item) = names
                .iter()
                .find(|name| name.starts_with("org.kde.StatusNotifierItem-"))
            {
                return Self {
                    item: item.to_string(),
                    connection,
                };
            }
            assert!(Instant::now() < deadline, "no tray item on the bus in 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn proxy(&self, path: &'static str, interface: &'static str) -> zbus::blocking::Proxy<'_> {
        zbus::blocking::Proxy::new(&self.connection, self.item.as_str(), path, interface).unwrap()
    }

    /// The menu's lines, separators left out.
    pub fn menu(&self) -> Vec<MenuLine> {
        let menu = self.proxy("/MenuBar", "com.canonical.dbusmenu");
        let (_revision, (_, _, children)): (u32, Layout) = menu
            .call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .unwrap();
        children
            .into_iter()
            .filter_map(|child| {
                let (id, properties, _): Layout = child.try_into().unwrap();
                let label = properties.get("label")?;
                let label = String::try_from(label.try_clone().unwrap()).unwrap();
                let enabled = properties
                    .get("enabled")
                    .map(|e| bool::try_from(e.try_clone().unwrap()).unwrap())
                    .unwrap_or(true);
                let checked = properties
                    .get("toggle-state")
                    .map(|s| i32::try_from(s.try_clone().unwrap()).unwrap() == 1);
                Some(MenuLine {
                    id,
                    label,
                    enabled,
                    checked,
                })
            })
            .collect()
    }

    /// Whether the check item that says `label` is checked.
    pub fn check(&self, label: &str) -> Option<bool> {
        self.menu()
            .into_iter()
            .find(|line| line.label == label)
            .and_then(|line| line.checked)
    }

    /// Clicks the menu line that says `label`; it must be enabled.
    pub fn click(&self, label: &str) {
        let line = self
            .menu()
            .into_iter()
            .find(|line| line.label == label)
            .unwrap_or_else(|| panic!("no menu line {label:?}"));
        assert!(line.enabled, "{label:?} is greyed out");
        let menu = self.proxy("/MenuBar", "com.canonical.dbusmenu");
        let _: () = menu
            .call(
                "Event",
                &(line.id, "clicked", zbus::zvariant::Value::from(0i32), 0u32),
            )
            .unwrap();
    }

    /// The icon's pixels (ARGB), as a tray host draws them.
    pub fn icon(&self) -> Vec<u8> {
        let item = self.proxy("/StatusNotifierItem", "org.kde.StatusNotifierItem");
        let pixmaps: Vec<(i32, i32, Vec<u8>)> = item.get_property("IconPixmap").unwrap();
        pixmaps
            .into_iter()
            .next()
            .map(|(_, _, data)| data)
            .unwrap_or_default()
    }

    /// The tooltip's title: the app and who is signed in.
    pub fn tooltip(&self) -> String {
        let item = self.proxy("/StatusNotifierItem", "org.kde.StatusNotifierItem");
        let (_, _, title, _): ToolTip = item.get_property("ToolTip").unwrap();
        title
    }

    /// Waits until some line of the menu says `expected`.
    pub fn shows(&self, expected: &str) {
        self.wait_until(&format!("a line {expected:?}"), |menu| {
            menu.iter().any(|line| line.label == expected)
        });
    }

    /// Waits until the menu's first line says `expected`.
    pub fn status_becomes(&self, expected: &str) {
        self.wait_until(&format!("{expected:?} first"), |menu| {
            menu.first().is_some_and(|line| line.label == expected)
        });
    }

    fn wait_until(&self, what: &str, done: impl Fn(&[MenuLine]) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let menu = self.menu();
            if done(&menu) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the tray stayed at {menu:?}, expected {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
