//! Notifications through the freedesktop notification service on the
//! session bus, with zbus as the tray uses it: no toolkit in this process.
//! The service is asked for at each notice until one answers (it may start
//! after the tray); its absence is logged once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use zbus::zvariant::Value;

use crate::desktop::notices::Notice;
use crate::desktop::{queue, Action, Actions};
use pkce_tray_engine::lock;

/// How long the service may take to answer a call.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// The action keys of **Sign in**: the button, and a click on the notice
/// itself (the spec's "default"), which some servers offer alone.
const SIGN_IN_KEYS: [&str; 2] = ["default", "sign-in"];

#[zbus::proxy(
    interface = "org.freedesktop.Notifications",
    default_service = "org.freedesktop.Notifications",
    default_path = "/org/freedesktop/Notifications"
)]
trait Notifications {
    fn get_capabilities(&self) -> zbus::Result<Vec<String>>;

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: &str,
        replaces_id: u32,
        app_icon: &str,
        summary: &str,
        body: &str,
        actions: &[&str],
        hints: HashMap<&str, Value<'_>>,
        expire_timeout: i32,
    ) -> zbus::Result<u32>;

    #[zbus(signal)]
    fn action_invoked(&self, id: u32, action_key: String) -> zbus::Result<()>;

    #[zbus(signal)]
    fn notification_closed(&self, id: u32, reason: u32) -> zbus::Result<()>;
}

/// The desktop's notification service, once one answered.
pub struct Notifier {
    actions: Actions,
    service: tokio::sync::Mutex<Option<Service>>,
    missing_said: std::sync::atomic::AtomicBool,
}

struct Service {
    proxy: NotificationsProxy<'static>,
    /// Whether the body is read as markup, so it must be escaped.
    markup: bool,
    /// The notices on screen that offer **Sign in**, by id.
    offering: Arc<Mutex<HashMap<u32, String>>>,
}

impl Notifier {
    /// Clicks on **Sign in** go to `actions`.
    pub fn new(actions: Actions) -> Self {
        Self {
            actions,
            service: tokio::sync::Mutex::new(None),
            missing_said: Default::default(),
        }
    }

    /// Shows a notice; without a service, goes on without it.
    pub async fn show(&self, notice: &Notice) {
        let mut service = self.service.lock().await;
        if service.is_none() {
            match tokio::time::timeout(ANSWER_WITHIN, Service::connect(self.actions.clone())).await
            {
                Ok(Ok(connected)) => *service = Some(connected),
                Ok(Err(error)) => return self.missing(&error.to_string()),
                Err(_) => return self.missing("it did not answer"),
            }
        }
        let Some(connected) = service.as_ref() else {
            return;
        };
        match tokio::time::timeout(ANSWER_WITHIN, connected.show(notice)).await {
            Ok(Ok(())) => tracing::info!("notified: {}", notice.summary),
            Ok(Err(error)) => {
                tracing::warn!("the notification was not shown: {error}");
                // Asked for again next time: it may have gone and come back.
                *service = None;
            }
            Err(_) => tracing::warn!("the notification service did not answer"),
        }
    }

    fn missing(&self, why: &str) {
        if !self
            .missing_said
            .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            tracing::warn!("no notification service ({why}); going on without notifications");
        }
    }
}

impl Service {
    async fn connect(actions: Actions) -> zbus::Result<Self> {
        let connection = zbus::Connection::session().await?;
        let proxy = NotificationsProxy::new(&connection).await?;
        let markup = proxy
            .get_capabilities()
            .await?
            .iter()
            .any(|capability| capability == "body-markup");
        let offering: Arc<Mutex<HashMap<u32, String>>> = Default::default();
        let mut invoked = proxy.receive_action_invoked().await?;
        let mut closed = proxy.receive_notification_closed().await?;
        let clicked = offering.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    Some(signal) = invoked.next() => {
                        let Ok(args) = signal.args() else { continue };
                        if !SIGN_IN_KEYS.contains(&args.action_key.as_str()) {
                            continue;
                        }
                        if let Some(account) = lock(&clicked).remove(&args.id) {
                            tracing::info!("a notice's Sign in was clicked");
                            queue(&actions, Action::SignIn(Some(account)));
                        }
                    }
                    Some(signal) = closed.next() => {
                        if let Ok(args) = signal.args() {
                            lock(&clicked).remove(&args.id);
                        }
                    }
                    else => break,
                }
            }
        });
        Ok(Self {
            proxy,
            markup,
            offering,
        })
    }

    async fn show(&self, notice: &Notice) -> zbus::Result<()> {
        let body = if self.markup {
            escape(&notice.body)
        } else {
            notice.body.clone()
        };
        let label = pkce_tray_i18n::words().get("notice-sign-in");
        let actions: Vec<&str> = if notice.sign_in {
            SIGN_IN_KEYS
                .iter()
                .flat_map(|key| [*key, label.as_str()])
                .collect()
        } else {
            Vec::new()
        };
        let hints = HashMap::from([
            ("desktop-entry", Value::from("pkce-tray")),
            ("urgency", Value::U8(1)),
        ]);
        let id = self
            .proxy
            .notify(
                "pkce-tray",
                0,
                "pkce-tray",
                &notice.summary,
                &body,
                &actions,
                hints,
                -1,
            )
            .await?;
        if notice.sign_in {
            lock(&self.offering).insert(id, notice.account.clone());
        }
        Ok(())
    }
}

/// The body as text under the spec's markup: what the provider wrote
/// cannot become a link or a tag.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">&</a>"),
            "&lt;a href=\"x\"&gt;&amp;&lt;/a&gt;"
        );
    }
}
