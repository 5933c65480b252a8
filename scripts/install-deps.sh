#!/bin/sh
# Install the Debian packages gema needs to build, test and benchmark.
# Only what is missing is installed; run as root or with sudo available.
set -eu

PKGS="build-essential pkg-config
libutf8proc-dev libxxhash-dev zlib1g-dev libzstd-dev libstemmer-dev libcjson-dev
libcmocka-dev clang lld libclang-rt-dev time zstd"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
