// The login window renders the engine's status; it keeps no state of its
// own. Every change arrives as an event (no polling): "status", "avatar"
// (the user's picture, fetched by the engine), "preferences" (start at
// login, and whether to offer it) and "failure" (an action that did not
// go through). Two commands: "state" (all of it, at load) and "act" (a
// click, named as the tray process names it).
"use strict";

const { invoke } = window.__TAURI__.core;
const { listen } = window.__TAURI__.event;

const $ = (id) => document.getElementById(id);
const SECTIONS = {
  signed_out: "signed-out",
  signing_in: "signing-in",
  signed_in: "signed-in",
  error: "failed",
};

function displayName(user) {
  return user.name || user.email || user.sub;
}

function initials(name) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0].toUpperCase())
    .join("");
}

function showPicture(dataUrl) {
  $("avatar").hidden = !dataUrl;
  $("initials").hidden = Boolean(dataUrl);
  if (dataUrl) $("avatar").src = dataUrl;
}

let current = null;

function render(status) {
  if (!status) return;
  const previous = current;
  current = status;
  $("status").textContent = status.headline;

  const user = status.phase === "signed_in" ? status.user : null;
  $("initials").textContent = user ? initials(displayName(user)) : "";
  // The engine fetches the picture and sends it as an "avatar" event: the
  // window loads nothing remote. Until then, the initials.
  const samePicture = Boolean(user?.picture) && previous?.phase === "signed_in" &&
    previous.user?.picture === user.picture;
  if (!samePicture) showPicture(null);
  $("email").hidden = !(user && user.email);
  $("email").textContent = (user && user.email) || "";

  const message = $("message");
  message.hidden = !status.message;
  message.textContent = status.message || "";
  message.classList.toggle("error", status.phase === "error");

  // A sign-out the provider did not confirm: the way to finish it there.
  $("provider-sign-out").hidden = !status.provider_sign_out;

  const warning = $("keychain-warning");
  warning.hidden = !status.keychain_warning;
  warning.textContent = status.keychain_warning || "";

  for (const [phase, id] of Object.entries(SECTIONS)) {
    $(id).hidden = phase !== status.phase;
  }
  $("expiry").textContent = status.expires_at
    ? `Session renews automatically (token valid until ${new Date(status.expires_at * 1000).toLocaleTimeString()}).`
    : "";

  const focus = { signed_out: "sign-in", signing_in: "cancel", signed_in: "sign-out", error: "retry" }[status.phase];
  if (focus && !document.activeElement?.closest("section:not([hidden])")) {
    $(focus).focus();
  }
}

function fail(text) {
  const message = $("message");
  message.hidden = false;
  message.classList.add("error");
  message.textContent = text;
}

function renderPreferences(preferences) {
  if (!preferences) return;
  $("start-at-login").checked = preferences.start_at_login;
  if (preferences.offer) $("offer").hidden = false;
  if (preferences.start_at_login) $("offer").hidden = true;
}

function send(click) {
  return invoke("act", { click }).catch((error) => fail(error?.message ?? String(error)));
}

function act(type) {
  return () => send({ type });
}

$("sign-in").addEventListener("click", act("sign_in"));
$("retry").addEventListener("click", act("sign_in"));
$("cancel").addEventListener("click", act("cancel_sign_in"));
$("reopen").addEventListener("click", act("reopen_sign_in"));
$("sign-out").addEventListener("click", act("sign_out"));
$("provider-sign-out").addEventListener("click", act("sign_out_at_provider"));
// The box shows what the app reports back, not what was clicked.
$("start-at-login").addEventListener("change", (event) => {
  const on = event.target.checked;
  event.target.checked = !on;
  send({ type: "set_start_at_login", on });
});

// Escape closes the window, as its close button does; the app stays in the tray.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") window.__TAURI__.window.getCurrentWindow().close();
});

listen("status", (event) => render(event.payload));
function renderAvatar(dataUrl) {
  if (current?.phase === "signed_in" && current.user?.picture) showPicture(dataUrl);
}

listen("avatar", (event) => renderAvatar(event.payload));
listen("failure", (event) => fail(event.payload));
listen("preferences", (event) => renderPreferences(event.payload));
invoke("state").then((state) => {
  $("api-url").textContent = state.api_url;
  render(state.status);
  renderAvatar(state.avatar);
  renderPreferences(state.preferences);
});
