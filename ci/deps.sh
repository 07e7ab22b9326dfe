#!/bin/bash
# Install everything strata needs to build, test and benchmark on Debian 12
# (or Ubuntu).  Idempotent; quiet unless something fails.  Needs root or sudo.
set -euo pipefail
PKGS="build-essential clang cmake pkg-config git
      libapr1-dev libaprutil1-dev zlib1g-dev libbz2-dev liblzma-dev
      libzstd-dev libcunit1-dev valgrind liburing-dev libuv1-dev
      gzip bzip2 xz-utils zstd pigz bsdutils bc prometheus curl
      libisal-dev libdeflate-dev isal libdeflate-tools groff-base wrk apache2-utils python3"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=$(dpkg-query -W -f='${Status} ${Package}\n' $PKGS 2>/dev/null \
          | awk '$3 != "installed" {print $4}'; \
          for p in $PKGS; do dpkg-query -W "$p" >/dev/null 2>&1 || echo "$p"; done)
missing=$(echo "$missing" | sort -u | tr '\n' ' ')
if [ -n "${missing// /}" ]; then
  echo "ci/deps.sh: installing $missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing \
    > /tmp/strata-apt.log 2>&1 || { tail -n 30 /tmp/strata-apt.log; exit 1; }
fi
