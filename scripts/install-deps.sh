#!/bin/sh
# install-deps.sh -- build and test dependencies of gosched-repl on Debian 12.
#
# Idempotent: when every package is already installed the apt work is skipped,
# so a second run takes well under a second (plus the Go toolchain check).
# Run as root, or as a user with sudo.
#
# Go itself is NOT installed here: Go 1.26.8 is expected at /usr/local/go.
# golang-1.19-go is installed on purpose: a test uses it as an unsupported Go
# whose runtime the overlay does not fit.
set -eu

PKGS="gcc make pkg-config liblua5.4-dev libcjson-dev libreadline-dev libcriterion-dev tmux man-db golang-1.19-go"

# Packages that are not installed (dpkg-query prints "install ok installed" for installed ones).
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages already installed"
else
	echo "install-deps: installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-deps: not root and sudo is not available; install as root:$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update
	# shellcheck disable=SC2086 # $PKGS is a word list on purpose
	$SUDO apt-get install -y --no-install-recommends $PKGS
fi

# Go 1.26.8 lives at /usr/local/go; make sure `go` resolves to it if PATH lacks it.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	PATH="/usr/local/go/bin:$PATH"
	export PATH
fi
if command -v go >/dev/null 2>&1; then
	echo "install-deps: $(go version)"
	# Pre-fetch Go 1.27.3 (through the module proxy) for the second-toolchain
	# tests; not fatal when offline.
	if v=$(GOTOOLCHAIN=go1.27.3 go version 2>&1); then
		echo "install-deps: $v"
	else
		echo "install-deps: warning: could not fetch Go 1.27.3 (tests using it will be skipped or fail):" >&2
		echo "$v" | tail -n 3 >&2
	fi
else
	echo "install-deps: warning: go not found (expected Go 1.26.8 at /usr/local/go)" >&2
fi
exit 0
