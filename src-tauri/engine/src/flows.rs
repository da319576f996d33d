//! Sign-in attempts in progress: each one waits, by its `state`, for the
//! provider's answer. Bounded, expiring, single use, one waiter per state.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

use super::clock::Clock;
use super::message::Message;
use super::pkce::{CodeChallenge, CodeVerifier, Nonce, State};
use super::secret::AuthorizationCode;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error(
        "no sign-in attempt is waiting for this state; it is unknown, expired or already used"
    )]
    UnknownState,
    #[error("a request is already waiting for the answer to this sign-in attempt")]
    AlreadyWaiting,
    #[error("this answer came back to another account's redirect URI, not to the one its sign-in used; it is refused, and the sign-in still waits")]
    WrongCallback,
    #[error("code_challenge does not match the challenge issued for this state")]
    ChallengeMismatch,
    #[error("the sign-in attempt was cleared before the provider answered")]
    Cleared,
    #[error(
        "{MAX_WAITING} sign-ins already wait on the browser; finish or cancel one, then try again"
    )]
    TooManyWaiting,
    #[error("the provider did not answer within {} seconds", .0.as_secs())]
    TimedOut(Duration),
    #[error("the provider answered {error}: {description}")]
    Provider { error: String, description: String },
}

impl FlowError {
    /// What a person is told.
    pub fn said(&self) -> Message {
        match self {
            Self::UnknownState => Message::new("error-unknown-state"),
            Self::AlreadyWaiting => Message::new("error-already-waiting"),
            Self::WrongCallback => Message::new("error-wrong-callback"),
            Self::ChallengeMismatch => Message::new("error-challenge-mismatch"),
            Self::Cleared => Message::new("error-cleared"),
            Self::TooManyWaiting => {
                Message::new("error-too-many-waiting").count("count", MAX_WAITING as u64)
            }
            // The person waited in the browser: in minutes.
            Self::TimedOut(after) => Message::new("error-browser-timed-out")
                .count("minutes", after.as_secs().div_ceil(60)),
            Self::Provider { error, description } if error == "access_denied" => {
                Message::new("error-cancelled").with("description", description)
            }
            Self::Provider { error, description } => Message::new("error-provider-answered")
                .with("error", error)
                .with("description", description),
        }
    }
}

/// What the provider sent back to the redirect URI.
pub type Answer = Result<AuthorizationCode, FlowError>;

/// Clients' attempts that may wait on the browser at once: each opened a
/// browser tab, and a flood of them must neither bury the person in tabs
/// nor push out the app's own sign-in.
pub const MAX_WAITING: usize = 8;

struct Flow {
    state: State,
    nonce: Nonce,
    challenge: Option<CodeChallenge>,
    created: Instant,
    waiter: Option<oneshot::Sender<Answer>>,
    /// The app's own sign-in (the window's, the tray's): never evicted,
    /// never counted against the clients' cap.
    own: bool,
    /// Whose sign-in this is and what it asked for, once someone waits on it.
    asked: Option<Asked>,
}

/// What an attempt asked the provider for, and for which account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// The account's name.
    pub account: String,
    /// The scopes of the authorization request, one space apart: the scope
    /// a token answer that leaves `scope` out was granted (RFC 6749 §5.1).
    pub scope: String,
}

impl Flow {
    fn is_waited_for(&self) -> bool {
        self.waiter.as_ref().is_some_and(|w| !w.is_closed())
    }

    /// An attempt lives until its time is up, and while someone waits on it.
    fn is_live(&self, ttl: Duration, now: Instant) -> bool {
        now.saturating_duration_since(self.created) < ttl || self.is_waited_for()
    }
}

struct Issued {
    code_hash: [u8; 32],
    redeemed: Redeemed,
    created: Instant,
}

/// What the engine knows of a code it saw come back: the attempt's nonce,
/// to check the ID token against, and what it asked for.
pub struct Redeemed {
    pub nonce: Nonce,
    pub asked: Asked,
}

#[derive(Default)]
struct Inner {
    flows: VecDeque<Flow>,
    issued: VecDeque<Issued>,
}

/// The registry of attempts, shared by every front door.
pub struct Flows {
    inner: Mutex<Inner>,
    ttl: Duration,
    cap: usize,
    clock: Clock,
}

/// A ticket to the answer of one attempt.
pub struct Waiter {
    receiver: oneshot::Receiver<Answer>,
    clock: Clock,
}

impl Waiter {
    /// Waits for the answer, at most `timeout`. The attempt stays pending after
    /// a timeout, so a client may wait for it again.
    pub async fn answer(self, timeout: Duration) -> Answer {
        match self.clock.timeout(timeout, self.receiver).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(FlowError::Cleared),
            Err(_) => Err(FlowError::TimedOut(timeout)),
        }
    }
}

/// Constant-time state comparison (RFC 9700 §4.7): no timing tells an
/// attacker how much of a guessed state is right.
fn same_state(a: &State, b: &str) -> bool {
    a.as_str().as_bytes().ct_eq(b.as_bytes()).into()
}

fn code_hash(code: &AuthorizationCode) -> [u8; 32] {
    Sha256::digest(code.secret().as_bytes()).into()
}

impl Flows {
    /// `ttl`: how long an attempt nobody waits on is kept; `cap`: how
    /// many are; `clock`: what both are measured by.
    pub fn new(ttl: Duration, cap: usize, clock: Clock) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(Inner::default()),
            ttl,
            cap: cap.max(1),
            clock,
        })
    }

    /// Locks the registry after dropping expired attempts. Attempts are
    /// kept oldest first, so expiry looks at the front only: a flood of
    /// challenges costs no scan (an expired one behind an attempt still
    /// waited on is skipped by every lookup, and leaves when it reaches the
    /// front).
    fn lock(&self) -> MutexGuard<'_, Inner> {
        let mut inner = super::lock(&self.inner);
        let now = self.clock.now();
        while inner
            .flows
            .front()
            .is_some_and(|f| !f.is_live(self.ttl, now))
        {
            inner.flows.pop_front();
        }
        while inner
            .issued
            .front()
            .is_some_and(|i| now.saturating_duration_since(i.created) >= self.ttl)
        {
            inner.issued.pop_front();
        }
        inner
    }

    /// Makes room for one more attempt: the oldest one nobody waits for goes
    /// first, so a loop of challenges cannot push out a sign-in in progress.
    fn make_room(&self, inner: &mut Inner) {
        while inner.flows.len() >= self.cap {
            let victim = inner
                .flows
                .iter()
                .position(|f| !f.is_waited_for() && !f.own)
                .or_else(|| inner.flows.iter().position(|f| !f.own))
                .unwrap_or(0);
            inner.flows.remove(victim);
        }
    }

    /// Registers an attempt whose PKCE pair the engine made (getChallenge).
    pub fn register(&self, state: State, nonce: Nonce, verifier: &CodeVerifier) {
        self.add(state, nonce, verifier, false);
    }

    /// Registers the app's own sign-in, which API traffic cannot push out.
    pub fn register_own(&self, state: State, nonce: Nonce, verifier: &CodeVerifier) {
        self.add(state, nonce, verifier, true);
    }

    fn add(&self, state: State, nonce: Nonce, verifier: &CodeVerifier, own: bool) {
        let mut inner = self.lock();
        self.make_room(&mut inner);
        inner.flows.push_back(Flow {
            state,
            nonce,
            challenge: Some(verifier.challenge()),
            created: self.clock.now(),
            waiter: None,
            own,
            asked: None,
        });
    }

    /// Whether another client's attempt may wait on the browser now.
    fn room_to_wait(inner: &Inner) -> Result<(), FlowError> {
        let waiting = inner
            .flows
            .iter()
            .filter(|f| !f.own && f.is_waited_for())
            .count();
        if waiting >= MAX_WAITING {
            return Err(FlowError::TooManyWaiting);
        }
        Ok(())
    }

    /// Waits on `state`, for what `asked` says. An attempt the engine did not
    /// issue (a client that made its own PKCE pair) is registered here; one
    /// it issued must be sent with the challenge it was given.
    pub fn wait_for(
        &self,
        state: &State,
        nonce: &Nonce,
        challenge: &CodeChallenge,
        asked: Asked,
    ) -> Result<Waiter, FlowError> {
        let mut inner = self.lock();
        let (sender, receiver) = oneshot::channel();
        let now = self.clock.now();
        if let Some(flow) = inner
            .flows
            .iter_mut()
            .find(|f| same_state(&f.state, state.as_str()) && f.is_live(self.ttl, now))
        {
            if flow.is_waited_for() {
                return Err(FlowError::AlreadyWaiting);
            }
            if flow.challenge.as_ref().is_some_and(|c| c != challenge) {
                return Err(FlowError::ChallengeMismatch);
            }
            let own = flow.own;
            if !own {
                Self::room_to_wait(&inner)?;
            }
            let flow = inner
                .flows
                .iter_mut()
                .find(|f| same_state(&f.state, state.as_str()))
                .expect("found above, under the same lock");
            flow.nonce = nonce.clone();
            flow.waiter = Some(sender);
            flow.asked = Some(asked);
        } else {
            Self::room_to_wait(&inner)?;
            self.make_room(&mut inner);
            inner.flows.push_back(Flow {
                state: state.clone(),
                nonce: nonce.clone(),
                challenge: Some(challenge.clone()),
                created: self.clock.now(),
                waiter: Some(sender),
                own: false,
                asked: Some(asked),
            });
        }
        Ok(Waiter {
            receiver,
            clock: self.clock.clone(),
        })
    }

    /// Whether an attempt waits on `state`: checked before anything else, so
    /// an unknown state is reported as such.
    pub fn is_waiting(&self, state: &str) -> bool {
        self.lock()
            .flows
            .iter()
            .any(|f| same_state(&f.state, state) && f.is_waited_for())
    }

    /// The account of the attempt waiting on `state`, if one does.
    pub fn account_waiting(&self, state: &str) -> Option<String> {
        self.lock()
            .flows
            .iter()
            .find(|f| same_state(&f.state, state) && f.is_waited_for())
            .and_then(|f| f.asked.as_ref())
            .map(|asked| asked.account.clone())
    }

    /// Hands the provider's answer to the attempt waiting on `state`. The
    /// attempt is used up; an unknown state changes nothing.
    pub fn answer(&self, state: &str, answer: Answer) -> Result<(), FlowError> {
        let mut inner = self.lock();
        let index = inner
            .flows
            .iter()
            .position(|f| same_state(&f.state, state) && f.is_waited_for())
            .ok_or(FlowError::UnknownState)?;
        let flow = inner.flows.remove(index).expect("index from position");
        if let (Ok(code), Some(asked)) = (&answer, flow.asked) {
            inner.issued.push_back(Issued {
                code_hash: code_hash(code),
                redeemed: Redeemed {
                    nonce: flow.nonce,
                    asked,
                },
                created: self.clock.now(),
            });
            if inner.issued.len() > self.cap {
                inner.issued.pop_front();
            }
        }
        if let Some(waiter) = flow.waiter {
            // The waiter may have just given up; the answer is then dropped,
            // as it would be after a timeout.
            let _ = waiter.send(answer);
        }
        Ok(())
    }

    /// The attempt that produced `code`, if the engine saw it, so the
    /// token exchange can check the ID token against its nonce.
    pub fn redeem(&self, code: &AuthorizationCode) -> Option<Redeemed> {
        let hash = code_hash(code);
        let mut inner = self.lock();
        let index = inner
            .issued
            .iter()
            .position(|i| bool::from(i.code_hash.ct_eq(&hash)))?;
        inner.issued.remove(index).map(|i| i.redeemed)
    }

    /// Abandons one attempt; its waiter returns at once.
    pub fn cancel(&self, state: &State) {
        self.lock()
            .flows
            .retain(|f| !same_state(&f.state, state.as_str()));
    }

    /// Abandons every attempt; every waiter returns at once. Codes already
    /// issued keep their nonce, so their ID tokens are still checked.
    pub fn clear(&self) {
        self.lock().flows.clear();
    }

    #[cfg(test)]
    fn pending(&self) -> usize {
        self.lock().flows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(flows: &Flows) -> (State, Nonce, CodeVerifier) {
        let (state, nonce, verifier) = (
            State::generate(),
            Nonce::generate(),
            CodeVerifier::generate(),
        );
        flows.register(state.clone(), nonce.clone(), &verifier);
        (state, nonce, verifier)
    }

    fn asked() -> Asked {
        Asked {
            account: "a".into(),
            scope: "openid".into(),
        }
    }

    fn code(value: &str) -> AuthorizationCode {
        AuthorizationCode::new(value.to_owned())
    }

    #[tokio::test]
    async fn a_flood_of_clients_neither_buries_the_browser_nor_pushes_out_the_apps_sign_in() {
        let flows = Flows::new(Duration::from_secs(60), 16, Clock::system());
        let (own_state, own_nonce, own_verifier) = (
            State::generate(),
            Nonce::generate(),
            CodeVerifier::generate(),
        );
        flows.register_own(own_state.clone(), own_nonce.clone(), &own_verifier);
        let mut waiters = Vec::new();
        for _ in 0..MAX_WAITING {
            let (state, nonce, verifier) = attempt(&flows);
            waiters.push(
                flows
                    .wait_for(&state, &nonce, &verifier.challenge(), asked())
                    .unwrap(),
            );
        }
        let (state, nonce, verifier) = attempt(&flows);
        assert_eq!(
            flows
                .wait_for(&state, &nonce, &verifier.challenge(), asked())
                .err(),
            Some(FlowError::TooManyWaiting)
        );
        // A client's own PKCE pair is refused alike.
        let (other, other_nonce) = (State::generate(), Nonce::generate());
        assert_eq!(
            flows
                .wait_for(
                    &other,
                    &other_nonce,
                    &CodeVerifier::generate().challenge(),
                    asked()
                )
                .err(),
            Some(FlowError::TooManyWaiting)
        );
        // Many more challenges: the registry is full, and the app's own
        // attempt stays, and may still be waited on.
        for _ in 0..64 {
            attempt(&flows);
        }
        let own = flows
            .wait_for(&own_state, &own_nonce, &own_verifier.challenge(), asked())
            .unwrap();
        flows.answer(own_state.as_str(), Ok(code("own"))).unwrap();
        assert_eq!(
            own.answer(Duration::from_secs(1)).await.unwrap().secret(),
            "own"
        );
        // A client that gives up makes room for another.
        waiters.pop();
        let (state, nonce, verifier) = attempt(&flows);
        assert!(flows
            .wait_for(&state, &nonce, &verifier.challenge(), asked())
            .is_ok());
    }

    #[tokio::test]
    async fn the_answer_reaches_the_waiter_once() {
        let flows = Flows::new(Duration::from_secs(60), 8, Clock::system());
        let (state, nonce, verifier) = attempt(&flows);
        let waiter = flows
            .wait_for(&state, &nonce, &verifier.challenge(), asked())
            .unwrap();
        flows.answer(state.as_str(), Ok(code("abc"))).unwrap();
        let got = waiter.answer(Duration::from_secs(1)).await.unwrap();
        assert_eq!(got.secret(), "abc");
        assert_eq!(
            flows.answer(state.as_str(), Ok(code("again"))),
            Err(FlowError::UnknownState)
        );
        assert!(flows.redeem(&code("abc")).is_some());
        assert!(flows.redeem(&code("abc")).is_none(), "single use");
    }

    #[tokio::test]
    async fn a_forged_state_leaves_the_genuine_attempt_alone() {
        let flows = Flows::new(Duration::from_secs(60), 8, Clock::system());
        let (state, nonce, verifier) = attempt(&flows);
        let waiter = flows
            .wait_for(&state, &nonce, &verifier.challenge(), asked())
            .unwrap();
        assert_eq!(
            flows.answer("forged", Ok(code("x"))),
            Err(FlowError::UnknownState)
        );
        assert_eq!(
            flows.answer("", Ok(code("x"))),
            Err(FlowError::UnknownState)
        );
        flows.answer(state.as_str(), Ok(code("real"))).unwrap();
        assert_eq!(
            waiter
                .answer(Duration::from_secs(1))
                .await
                .unwrap()
                .secret(),
            "real"
        );
    }

    #[test]
    fn one_waiter_per_state_and_the_issued_challenge_only() {
        let flows = Flows::new(Duration::from_secs(60), 8, Clock::system());
        let (state, nonce, verifier) = attempt(&flows);
        let other = CodeVerifier::generate().challenge();
        assert_eq!(
            flows.wait_for(&state, &nonce, &other, asked()).err(),
            Some(FlowError::ChallengeMismatch)
        );
        let _first = flows
            .wait_for(&state, &nonce, &verifier.challenge(), asked())
            .unwrap();
        assert_eq!(
            flows
                .wait_for(&state, &nonce, &verifier.challenge(), asked())
                .err(),
            Some(FlowError::AlreadyWaiting)
        );
    }

    #[tokio::test]
    async fn clear_releases_waiters_and_timeouts_keep_the_attempt() {
        let flows = Flows::new(Duration::from_secs(60), 8, Clock::system());
        let (state, nonce, verifier) = attempt(&flows);
        let waiter = flows
            .wait_for(&state, &nonce, &verifier.challenge(), asked())
            .unwrap();
        assert!(matches!(
            waiter.answer(Duration::from_millis(10)).await,
            Err(FlowError::TimedOut(_))
        ));
        let waiter = flows
            .wait_for(&state, &nonce, &verifier.challenge(), asked())
            .expect("a timed-out attempt can be waited on again");
        flows.clear();
        assert_eq!(
            waiter.answer(Duration::from_secs(1)).await.err(),
            Some(FlowError::Cleared)
        );
        assert_eq!(flows.pending(), 0);
    }

    #[test]
    fn the_registry_is_bounded_and_spares_attempts_in_progress() {
        let flows = Flows::new(Duration::from_secs(60), 4, Clock::system());
        let (state, nonce, verifier) = attempt(&flows);
        let _waiter = flows
            .wait_for(&state, &nonce, &verifier.challenge(), asked())
            .unwrap();
        for _ in 0..1000 {
            attempt(&flows);
        }
        assert_eq!(flows.pending(), 4);
        assert!(flows.answer(state.as_str(), Ok(code("kept"))).is_ok());
    }

    #[tokio::test]
    async fn attempts_nobody_waits_on_expire_and_a_wait_ends_at_its_timeout() {
        let clock = Clock::manual();
        let flows = Flows::new(Duration::from_secs(600), 4, clock.clone());
        let (forgotten, _, _) = attempt(&flows);
        let (waited, nonce, verifier) = attempt(&flows);
        let waiter = flows
            .wait_for(&waited, &nonce, &verifier.challenge(), asked())
            .unwrap();
        let answer = tokio::spawn(waiter.answer(Duration::from_secs(300)));
        tokio::task::yield_now().await;
        clock.advance(Duration::from_secs(300));
        let answer = tokio::time::timeout(Duration::from_secs(10), answer)
            .await
            .expect("the wait ends when the clock reaches its timeout")
            .unwrap();
        assert_eq!(answer, Err(FlowError::TimedOut(Duration::from_secs(300))));
        clock.advance(Duration::from_secs(300));
        assert_eq!(
            flows.answer(forgotten.as_str(), Ok(code("late"))),
            Err(FlowError::UnknownState)
        );
    }
}
