// The login window renders the engine's status; it keeps no state of its
// own. Every change arrives as an event (no polling): "status", "avatar"
// (the user's picture, fetched by the engine) and "failure" (an action
// that did not go through).
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
  current = status;
  $("status").textContent = status.headline;

  const user = status.phase === "signed_in" ? status.user : null;
  $("initials").textContent = user ? initials(displayName(user)) : "";
  showPicture(null);
  if (user && user.picture) {
    // The engine fetches the picture: the window loads nothing remote.
    invoke("avatar").then(showPicture, () => showPicture(null));
  }
  $("email").hidden = !(user && user.email);
  $("email").textContent = (user && user.email) || "";

  const message = $("message");
  message.hidden = !status.message;
  message.textContent = status.message || "";
  message.classList.toggle("error", status.phase === "error");

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

function act(command) {
  return () => invoke(command).catch((error) => fail(error?.message ?? String(error)));
}

$("sign-in").addEventListener("click", act("sign_in"));
$("retry").addEventListener("click", act("sign_in"));
$("cancel").addEventListener("click", act("cancel_sign_in"));
$("reopen").addEventListener("click", act("reopen_sign_in"));
$("sign-out").addEventListener("click", act("sign_out"));

// Escape closes the window, as its close button does; the app stays in the tray.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") window.__TAURI__.window.getCurrentWindow().close();
});

listen("status", (event) => render(event.payload));
listen("avatar", (event) => {
  if (current?.phase === "signed_in" && current.user?.picture) showPicture(event.payload);
});
listen("failure", (event) => fail(event.payload));
invoke("status").then(render);
invoke("api_url").then((url) => ($("api-url").textContent = url));
