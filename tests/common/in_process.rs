//! The engine and its API in this process, against a real provider, on
//! a clock the test moves forward: what depends on time (refresh ahead
//! of expiry, the refresh reuse interval, narrowed tokens' expiry) is
//! tested without waiting for it. Sign-in goes through the tests'
//! browser, as the app's does; the session is kept in memory.

use std::sync::Arc;

use pkce_tray_engine::browser::Browser;
use pkce_tray_engine::clock::Clock;
use pkce_tray_engine::config::{AccountConfig, Config};
use pkce_tray_engine::vault::MemoryVault;
use pkce_tray_engine::{Account, Engine};

use super::{browser_env, test_browser, CLIENT_ID};

/// Opens a sign-in page as the tests' browser does for the app: it signs
/// in at the provider and follows the redirect to the API.
struct TestBrowser;

impl Browser for TestBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        std::process::Command::new(test_browser())
            .arg(url)
            .envs(browser_env("http"))
            .spawn()
            .map(drop)
            .map_err(|error| error.to_string())
    }
}

/// The engine, its API on a free loopback port, and the clock they go by.
pub struct InProcess {
    pub engine: Arc<Engine>,
    pub clock: Clock,
    /// Where the API answers, as `App::url`.
    pub url: String,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl InProcess {
    /// One account, `default`, at `issuer`, not signed in yet.
    pub async fn start(issuer: &str) -> Self {
        let account = AccountConfig::new("default", issuer.parse().unwrap(), CLIENT_ID);
        let config = Config {
            port: 0,
            port_explicit: true,
            ..Config::new(vec![account])
        };
        let listeners = pkce_tray_api::bind(&config).await.expect("loopback");
        let port = listeners[0].local_addr().unwrap().port();
        let clock = Clock::manual();
        let engine = Engine::with_clock(
            config,
            port,
            Box::new(TestBrowser),
            |_| Arc::new(MemoryVault::default()),
            clock.clone(),
        );
        engine.start().await;
        let serving = tokio::spawn(pkce_tray_api::serve(
            listeners,
            engine.clone(),
            std::future::pending(),
        ));
        Self {
            url: engine.api_url(),
            engine,
            clock,
            serving,
        }
    }

    pub fn account(&self) -> Arc<Account> {
        self.engine.account("default").unwrap()
    }

    /// Signs the account in through the tests' browser.
    pub async fn sign_in(&self) {
        let account = self.account();
        tokio::time::timeout(std::time::Duration::from_secs(60), account.sign_in())
            .await
            .expect("signed in within a minute")
            .expect("signed in");
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.serving.abort();
    }
}
