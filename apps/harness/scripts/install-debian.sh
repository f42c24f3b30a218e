#!/usr/bin/env bash
# Installs the real daemons that apps/harness runs (Debian 12 "bookworm", as root), idempotently:
# vsftpd, postfix, dovecot (POP3 + auth socket for postfix), INN 2, dante and tinyproxy, curl, openssl, and pure-ftpd
# and ProFTPD (proftpd-core + proftpd-mod-crypto for mod_tls) unpacked into cache directories (their packages
# conflict with vsftpd's; unpacked, no Debian service is ever installed or started).
# Quick when everything is there already: apt-get update only runs when something is missing.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "install-debian.sh: run me as root (apt-get, useradd)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
PURE_FTPD_ROOT=${NETC_PURE_FTPD_ROOT:-/var/cache/netc-harness/pure-ftpd}
PROFTPD_ROOT=${NETC_PROFTPD_ROOT:-/var/cache/netc-harness/proftpd}
PACKAGES=(
  vsftpd libpam-modules
  postfix
  dovecot-core dovecot-pop3d
  inn2
  dante-server tinyproxy # proxies (issue 9)
  curl openssl ca-certificates python3
  libsodium23 libcap2 libcrypt1 libpam0g libssl3 # for the unpacked pure-ftpd
  libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3 libacl1 libidn2-0 # for the unpacked proftpd-core
)
APT_INSTALL=(apt-get -q -o DPkg::Lock::Timeout=600 install -y --no-install-recommends)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done

updated=no
apt_update_once() {
  if [[ $updated == no ]]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    updated=yes
  fi
}

# INN's maintainer script fails when the host name has no domain: give inn.conf one, then configure again.
# It also runs newaliases, which needs a main.cf; postfix was installed with "No configuration", so give it
# an empty one (the harness runs private postfix instances with their own config directories).
fix_inn_configure() {
  if [[ -d /etc/postfix && ! -e /etc/postfix/main.cf ]]; then
    : >/etc/postfix/main.cf
  fi
  fix_inn_domain
}
fix_inn_domain() {
  local conf=/etc/news/inn.conf
  [[ -f $conf ]] || return 0
  if ! grep -Eq '^domain:[[:space:]]*[^[:space:]]' "$conf"; then
    if grep -Eq '^#?[[:space:]]*domain:' "$conf"; then
      sed -i -E 's/^#?[[:space:]]*domain:.*/domain:                     localdomain/' "$conf"
    else
      echo 'domain:                     localdomain' >>"$conf"
    fi
  fi
}

if ((${#missing[@]} > 0)); then
  echo "install-debian.sh: installing ${missing[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt_update_once
  if ! "${APT_INSTALL[@]}" "${missing[@]}"; then
    # The usual cause is inn2's postinst on a host without a domain name.
    fix_inn_configure
    dpkg --configure -a
    "${APT_INSTALL[@]}" "${missing[@]}"
  fi
fi
if ! dpkg-query -W -f='${Status}' inn2 2>/dev/null | grep -q '^install ok installed$'; then
  fix_inn_configure
  dpkg --configure -a
fi

# pure-ftpd: unpacked, not installed (Debian's pure-ftpd, vsftpd and proftpd packages conflict).
if [[ ! -x $PURE_FTPD_ROOT/usr/sbin/pure-ftpd ]]; then
  apt_update_once
  download=$(mktemp -d)
  (cd "$download" && apt-get -q -o APT::Sandbox::User=root download pure-ftpd)
  mkdir -p "$PURE_FTPD_ROOT"
  dpkg -x "$download"/pure-ftpd_*.deb "$PURE_FTPD_ROOT"
  rm -rf "$download"
fi
"$PURE_FTPD_ROOT/usr/sbin/pure-ftpd" --help >/dev/null 2>&1 || {
  # --help exits non-zero on some builds; only a missing library is fatal.
  if ldd "$PURE_FTPD_ROOT/usr/sbin/pure-ftpd" | grep -q 'not found'; then
    ldd "$PURE_FTPD_ROOT/usr/sbin/pure-ftpd" >&2
    echo "install-debian.sh: pure-ftpd is missing libraries" >&2
    exit 1
  fi
}

# proftpd-core 1.3.8 and its mod_tls (proftpd-mod-crypto): unpacked, not installed (proftpd-core conflicts
# with vsftpd: both provide ftp-server). The harness loads mod_tls.so with its own ModulePath.
if [[ ! -x $PROFTPD_ROOT/usr/sbin/proftpd || ! -f $PROFTPD_ROOT/usr/lib/proftpd/mod_tls.so ]]; then
  apt_update_once
  download=$(mktemp -d)
  (cd "$download" && apt-get -q -o APT::Sandbox::User=root download proftpd-core proftpd-mod-crypto)
  mkdir -p "$PROFTPD_ROOT"
  dpkg -x "$download"/proftpd-core_*.deb "$PROFTPD_ROOT"
  dpkg -x "$download"/proftpd-mod-crypto_*.deb "$PROFTPD_ROOT"
  rm -rf "$download"
fi
for object in "$PROFTPD_ROOT/usr/sbin/proftpd" "$PROFTPD_ROOT/usr/lib/proftpd/mod_tls.so"; do
  if ldd "$object" | grep -q 'not found'; then
    ldd "$object" >&2
    echo "install-debian.sh: $object is missing libraries" >&2
    exit 1
  fi
done

# The FTP test users log in through PAM, which wants their shell in /etc/shells.
grep -qx /bin/sh /etc/shells || echo /bin/sh >>/etc/shells

for binary in /usr/sbin/vsftpd /usr/sbin/postfix /usr/sbin/dovecot /usr/lib/news/bin/innd /usr/bin/curl /usr/bin/openssl /usr/sbin/danted /usr/bin/tinyproxy; do
  [[ -x $binary ]] || { echo "install-debian.sh: $binary is missing after install" >&2; exit 1; }
done
/usr/bin/python3 -W ignore -c 'import nntplib' 2>/dev/null || { echo "install-debian.sh: python3 lacks nntplib (needs Python <= 3.12)" >&2; exit 1; }
echo "install-debian.sh: daemons ready"
