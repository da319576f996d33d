// The login window renders the engine's status; it keeps no state of its
// own, and no words: those come with the state, in the person's language. Every change arrives as an event (no polling): "status" (the
// default account's), "accounts" (every account's), "avatar" (an
// account's picture, fetched by the engine), "preferences" (start at
// login, and whether to offer it), "failure" (an
// action that did not go through), and "add_account" (what became of the
// form's account). Two commands: "state" (all of it, at
// load) and "act" (a click, named as the tray process names it).
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

// The page's words by id, and its language, set by the window before
// this script runs.
const { words, language } = window.pkceTrayWords ?? { words: {}, language: "en" };

// A word of the page, its {names} filled in.
function t(id, args = {}) {
  return (words[id] ?? id).replace(/\{(\w+)\}/g, (whole, name) => args[name] ?? whole);
}

// The page's fixed texts in the person's language, at once; English stays
// where a word is missing.
document.documentElement.lang = language;
for (const element of document.querySelectorAll("[data-l10n]")) {
  if (words[element.dataset.l10n]) element.textContent = words[element.dataset.l10n];
}

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
let accounts = [];
// Pictures by account name: the engine fetches them and sends each as an
// "avatar" event, so the window loads nothing remote. Until then, initials.
const avatars = {};

function defaultName() {
  return accounts.find((account) => account.default)?.name;
}

// Says the state and why, once per change, as a new paragraph of the
// live region (see index.html).
function announce(text) {
  const region = $("announcer");
  if (region.textContent === text) return;
  const said = document.createElement("p");
  said.textContent = text;
  region.replaceChildren(said);
}

function render(status) {
  if (!status) return;
  const changed = current?.phase !== status.phase;
  current = status;
  $("status").textContent = status.headline;
  announce(status.message ? t("window-announced", { state: status.headline, why: status.message }) : status.headline);

  const user = status.phase === "signed_in" ? status.user : null;
  $("initials").textContent = user ? initials(displayName(user)) : "";
  showPicture(user?.picture ? avatars[defaultName()] : null);
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
  $("expiry").textContent = status.expires_at ? expiryText(status.expires_at) : "";
  $("details-expiry").textContent = $("expiry").textContent;
  $("details-expiry").hidden = !status.expires_at;

  // A new state's first control takes the focus only when the focus was
  // lost (in a section now hidden, or nowhere): a routine update, such as
  // a refresh, never pulls it away from where the person is.
  const focus = { signed_out: "sign-in", signing_in: "cancel", signed_in: "sign-out", error: "retry" }[status.phase];
  const active = document.activeElement;
  const lost = !active || active === document.body || active.closest("[hidden]");
  if (focus && changed && lost) {
    $(focus).focus();
  }
}

// The other accounts, each with its person, picture and what can be done.
function renderAccounts(list) {
  if (!list) return;
  accounts = list;
  const several = list.length > 1;
  $("account-name").hidden = !several;
  $("account-name").textContent = several ? t("window-default", { account: defaultName() }) : "";
  // Several accounts: every one in view at once, each a compact row
  // under a smaller card for the default one (style.css, body.several).
  document.body.classList.toggle("several", several);
  // The one-time offer to start at login goes below the accounts then, so
  // it never pushes one out of view.
  if (several) $("accounts").after($("offer"));
  else $("sign-out").before($("offer"));
  const uris = list.find((account) => account.default)?.redirect_uris ?? [];
  $("details").hidden = uris.length === 0;
  $("redirect-uri-list").replaceChildren(...uriItems(uris));
  const others = list.filter((account) => !account.default);
  $("accounts").hidden = others.length === 0;
  const items = others.map((account) => {
    const item = document.createElement("li");
    item.dataset.account = account.name;
    const user = account.phase === "signed_in" ? account.user : null;
    const picture = user?.picture && avatars[account.name];
    const face = document.createElement(picture ? "img" : "div");
    face.className = "account-picture";
    face.setAttribute("aria-hidden", "true");
    if (picture) {
      face.src = picture;
      face.alt = "";
    } else {
      face.textContent = user ? initials(displayName(user)) : account.name[0].toUpperCase();
    }
    const who = document.createElement("p");
    who.className = "account-who";
    const name = document.createElement("strong");
    name.textContent = account.name;
    const state = document.createElement("span");
    state.className = "account-state";
    state.textContent = account.message && account.phase !== "signed_in"
      ? `${account.headline}: ${account.message}`
      : account.headline;
    who.append(name, state);
    const actions = document.createElement("div");
    actions.className = "account-actions";
    const button = (className, text, type, label) => {
      const names = { account: account.name };
      const element = document.createElement("button");
      element.type = "button";
      element.className = className;
      element.textContent = t(text, names);
      element.setAttribute("aria-label", t(label, names));
      element.addEventListener("click", () => send({ type, account: account.name }));
      actions.append(element);
    };
    switch (account.phase) {
      case "signing_in":
        button("cancel", "window-cancel", "cancel_sign_in", "window-cancel-sign-in-to");
        break;
      case "signed_in":
        button("sign-out", "window-sign-out", "sign_out", "window-sign-out-of");
        break;
      default:
        button("sign-in", "window-sign-in", "sign_in", "window-sign-in-to");
    }
    item.append(face, who, actions, accountDetails(account));
    return item;
  });
  // A row's details stay open across updates.
  const open = new Set(
    [...document.querySelectorAll("#account-list > li > details[open]")].map((d) => d.closest("li").dataset.account),
  );
  for (const item of items) {
    if (open.has(item.dataset.account)) item.querySelector("details").open = true;
  }
  // Focus stays on the control it was on, if that account is still listed.
  const focused = document.activeElement?.closest("#account-list li");
  const refocus = focused && [focused.dataset.account, document.activeElement.className];
  $("account-list").replaceChildren(...items);
  if (refocus) {
    const row = $("account-list").querySelector(`li[data-account="${CSS.escape(refocus[0])}"]`);
    (refocus[1] ? row?.querySelector(`.${refocus[1]}`) : row?.querySelector("summary"))?.focus();
  }
  fitList();
  if (current) render(current);
}

// Up to five accounts (the default one's card and four rows) the window
// grows to show them all; beyond that the list scrolls inside the window
// below the default account's card, half a row showing that there is
// more. A row's open details scroll with it.
const LISTED_AT_ONCE = 4;
function fitList() {
  const list = $("account-list");
  const rows = [...list.children];
  const scrolls = rows.length > LISTED_AT_ONCE;
  list.classList.toggle("scrolls", scrolls);
  list.style.maxHeight = "";
  if (!scrolls) return;
  const top = rows[0].getBoundingClientRect().top;
  const next = rows[LISTED_AT_ONCE].getBoundingClientRect();
  list.style.maxHeight = `${Math.ceil(next.top + next.height / 2 - top)}px`;
}
// Larger text makes taller rows: the list takes its height again.
new ResizeObserver(() => fitList()).observe(document.documentElement);

// The rest of what can be done with an account, or known of it, one
// click away: Use as default, the token's time, where the session is
// kept, the provider's sign-out, the redirect URIs.
function accountDetails(account) {
  const names = { account: account.name };
  const details = document.createElement("details");
  details.className = "account-more";
  const summary = document.createElement("summary");
  summary.textContent = t("window-details");
  summary.setAttribute("aria-label", t("window-details-of", names));
  const actions = document.createElement("div");
  actions.className = "account-actions";
  const useAsDefault = document.createElement("button");
  useAsDefault.type = "button";
  useAsDefault.className = "use-as-default";
  useAsDefault.textContent = t("window-use-as-default", names);
  useAsDefault.setAttribute("aria-label", t("window-use-as-default-label", names));
  useAsDefault.addEventListener("click", () => send({ type: "use_as_default", account: account.name }));
  actions.append(useAsDefault);
  details.append(summary, actions);
  if (account.expires_at && account.phase === "signed_in") {
    const expiry = document.createElement("p");
    expiry.className = "hint";
    expiry.textContent = expiryText(account.expires_at);
    details.append(expiry);
  }
  // Where the session is kept: the keychain, or this run's memory only.
  if (account.phase === "signed_in") {
    const kept = document.createElement("p");
    kept.className = account.keychain_warning ? "warning kept" : "hint kept";
    kept.textContent = account.keychain_warning || t("window-kept-in-keychain");
    details.append(kept);
  }
  // A sign-out the provider did not confirm: the way to finish it there.
  if (account.provider_sign_out && account.phase === "signed_out") {
    const there = document.createElement("button");
    there.type = "button";
    there.className = "provider-sign-out";
    there.textContent = t("window-provider-sign-out");
    there.setAttribute("aria-label", t("window-provider-sign-out-of", names));
    there.addEventListener("click", () => send({ type: "sign_out_at_provider", account: account.name }));
    actions.append(there);
  }
  const heading = document.createElement("h3");
  heading.textContent = t("window-redirect-uris");
  const uris = document.createElement("ul");
  uris.className = "uri-list";
  uris.replaceChildren(...uriItems(account.redirect_uris ?? []));
  details.append(heading, uris);
  return details;
}

// Each URI as code, to copy.
function uriItems(uris) {
  return uris.map((uri) => {
    const item = document.createElement("li");
    const code = document.createElement("code");
    code.textContent = uri;
    item.append(code);
    return item;
  });
}

function expiryText(expiresAt) {
  return t("window-expiry", { time: new Date(expiresAt * 1000).toLocaleTimeString(language) });
}

// The window sized to what it shows, within the screen's work area (the
// window process clamps it), whenever that changes by more than a line's
// fraction: past the work area, the page scrolls. Once the window has
// taken a height, the page says so (data-fitted), for whoever waits on it.
let fitted = 0;
new ResizeObserver(() => {
  const height = Math.ceil(document.querySelector("main").getBoundingClientRect().height + 32);
  if (Math.abs(height - fitted) <= 8) return;
  fitted = height;
  invoke("fit", { height }).then(() => { document.body.dataset.fitted = String(height); }, () => {});
}).observe(document.querySelector("main"));

function fail(text) {
  const message = $("message");
  message.hidden = false;
  message.classList.add("error");
  message.textContent = text;
}

function renderPreferences(preferences) {
  if (!preferences) return;
  $("start-at-login").checked = preferences.start_at_login;
  $("notifications").checked = preferences.notifications;
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
$("notifications").addEventListener("change", (event) => {
  const on = event.target.checked;
  event.target.checked = !on;
  send({ type: "set_notifications", on });
});

// Escape closes the window, as its close button does; the app stays in the tray.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") window.__TAURI__.window.getCurrentWindow().close();
});

function renderAvatar({ account, data_url: dataUrl }) {
  if (dataUrl) avatars[account] = dataUrl;
  else delete avatars[account];
  renderAccounts(accounts);
}

// The form is checked by the engine (the provider's discovery document)
// before the account is kept; until it answers, the button waits.
$("add-account-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  $("add-account-submit").disabled = true;
  $("add-account-submit").textContent = t("window-checking");
  send({
    type: "add_account",
    name: form.elements.name.value.trim(),
    issuer: form.elements.issuer.value.trim(),
    client_id: form.elements.client_id.value.trim(),
  });
});

listen("status", (event) => render(event.payload));
listen("accounts", (event) => renderAccounts(event.payload));
listen("avatar", (event) => renderAvatar(event.payload));
listen("add_account", (event) => {
  const { added, message } = event.payload;
  $("add-account-submit").disabled = false;
  $("add-account-submit").textContent = t("window-add-account");
  const result = $("add-account-result");
  result.hidden = false;
  result.textContent = message;
  result.classList.toggle("error", !added);
  if (added) {
    $("add-account-form").reset();
    $("add-account").open = false;
  }
});
listen("failure", (event) => fail(event.payload));
listen("preferences", (event) => renderPreferences(event.payload));
invoke("state").then((state) => {
  $("api-url").textContent = state.api_url;
  Object.assign(avatars, state.avatars);
  renderAccounts(state.accounts);
  render(state.status);
  renderPreferences(state.preferences);
});
