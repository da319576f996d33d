//! The time the engine goes by. In the app it is the system's; a test
//! moves a clock of its own forward instead of waiting, so that expiry,
//! refresh ahead of it, the refresh reuse interval, expiring narrowed
//! tokens and the sign-in timeouts are tested in process, in no time.
//! Every reading and every wait of the engine goes through it.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

/// The system's clock, or one a test moves (see [`Clock::manual`]).
#[derive(Clone, Default)]
pub struct Clock {
    /// How far a test moved the clock forward; `None` for the system's.
    moved: Option<Arc<Moved>>,
}

struct Moved {
    by: Mutex<Duration>,
    /// Wakes every wait when the clock is moved, to look at it again.
    ticks: watch::Sender<()>,
}

impl Clock {
    /// The system's clock: what the app runs on.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that runs with the system's and that the test moves forward
    /// with [`Clock::advance`]; waits on it end as soon as it reaches them.
    pub fn manual() -> Self {
        Self {
            moved: Some(Arc::new(Moved {
                by: Mutex::new(Duration::ZERO),
                ticks: watch::channel(()).0,
            })),
        }
    }

    /// Moves a manual clock forward; every wait that this reaches ends.
    ///
    /// # Panics
    /// On the system's clock, which only a test would move.
    pub fn advance(&self, by: Duration) {
        let moved = self.moved.as_ref().expect("only a manual clock is moved");
        *crate::lock(&moved.by) += by;
        moved.ticks.send_replace(());
    }

    fn moved_by(&self) -> Duration {
        self.moved
            .as_ref()
            .map_or(Duration::ZERO, |moved| *crate::lock(&moved.by))
    }

    /// A point in time, for measuring how long ago something was.
    pub fn now(&self) -> Instant {
        Instant::now() + self.moved_by()
    }

    /// The time since `earlier`, a reading of this clock.
    pub fn since(&self, earlier: Instant) -> Duration {
        self.now().saturating_duration_since(earlier)
    }

    /// Seconds since the Unix epoch: what tokens' lifetimes are counted in.
    pub fn unix_now(&self) -> i64 {
        let now = SystemTime::now() + self.moved_by();
        now.duration_since(UNIX_EPOCH)
            .map(|since| since.as_secs() as i64)
            .unwrap_or_default()
    }

    /// Waits `duration` of this clock's time.
    pub async fn sleep(&self, duration: Duration) {
        let Some(moved) = &self.moved else {
            return tokio::time::sleep(duration).await;
        };
        let until = self.now() + duration;
        let mut ticks = moved.ticks.subscribe();
        loop {
            let left = until.saturating_duration_since(self.now());
            if left.is_zero() {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(left) => {}
                _ = ticks.changed() => {}
            }
        }
    }

    /// `future`'s output, unless `duration` of this clock's time passes first.
    pub async fn timeout<F: Future>(
        &self,
        duration: Duration,
        future: F,
    ) -> Result<F::Output, Elapsed> {
        tokio::select! {
            output = future => Ok(output),
            () = self.sleep(duration) => Err(Elapsed),
        }
    }
}

/// A wait on the [`Clock`] that ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_ends_the_waits_it_is_moved_past() {
        let clock = Clock::manual();
        let started = clock.now();
        let unix = clock.unix_now();
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep(Duration::from_secs(3600)).await }
        });
        let timed = tokio::spawn({
            let clock = clock.clone();
            async move {
                clock
                    .timeout(Duration::from_secs(60), std::future::pending::<()>())
                    .await
            }
        });
        tokio::task::yield_now().await;
        clock.advance(Duration::from_secs(60));
        let within = Duration::from_secs(10);
        assert_eq!(
            tokio::time::timeout(within, timed).await.unwrap().unwrap(),
            Err(Elapsed)
        );
        assert!(!sleeper.is_finished(), "an hour has not passed");
        clock.advance(Duration::from_secs(3540));
        tokio::time::timeout(within, sleeper)
            .await
            .unwrap()
            .unwrap();
        assert!(clock.since(started) >= Duration::from_secs(3600));
        assert!(clock.unix_now() >= unix + 3600);
    }

    #[tokio::test]
    async fn what_finishes_first_is_answered() {
        let clock = Clock::manual();
        let answer = clock.timeout(Duration::from_secs(1), async { 7 }).await;
        assert_eq!(answer, Ok(7));
    }
}
