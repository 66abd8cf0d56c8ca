#!/usr/bin/env bash
# Start a private Dovecot IMAP server for the mailbox tests on 127.0.0.1:${DELIVERABILITY_IMAP_PORT:-55143}: its own
# config, base_dir, logs and Maildirs under .data/imap, plaintext login allowed (loopback only, no TLS), one user from a
# passwd-file. Never touches the system dovecot service. Idempotent: a running instance is restarted with a fresh config.
#
# Test user: ${DELIVERABILITY_IMAP_USER:-bounces@deliverability.test}, password ${DELIVERABILITY_IMAP_PASSWORD:-imap-test-password}
# (written to .data/imap/users). The user's mail lives in .data/imap/mail/<user>/Maildir; tests make their own folders.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${DELIVERABILITY_IMAP_PORT:-55143}"
ROOT="$PWD/.data/imap"
RUN="$ROOT/run"
USER_NAME="${DELIVERABILITY_IMAP_USER:-bounces@deliverability.test}"
PASSWORD="${DELIVERABILITY_IMAP_PASSWORD:-imap-test-password}"
if ! [ -x /usr/sbin/dovecot ] || ! [ -x /usr/lib/dovecot/imap ]; then
  echo "Installing Dovecot (dovecot-imapd) from apt..." >&2
  scripts/apt-install.sh dovecot-imapd
fi
scripts/imap-down.sh
mkdir -p "$RUN" "$ROOT/state" "$ROOT/mail"
# The mail processes run as the caller, or as "nobody" when that is root (Dovecot refuses uid 0 for mail).
# Tests place messages with IMAP APPEND, so they never need to own the Maildir files.
if [ "$(id -u)" -eq 0 ]; then uid=$(id -u nobody); gid=$(id -g nobody); else uid=$(id -u); gid=$(id -g); fi
chown "$uid:$gid" "$ROOT/mail"
printf '%s:{PLAIN}%s:%s:%s::%s/mail/%s\n' "$USER_NAME" "$PASSWORD" "$uid" "$gid" "$ROOT" "$USER_NAME" > "$ROOT/users"
chmod 640 "$ROOT/users"
chgrp dovecot "$ROOT/users" 2>/dev/null || true
cat > "$ROOT/dovecot.conf" <<CONF
# Written by scripts/imap-up.sh on every start.
base_dir = $RUN
state_dir = $ROOT/state
instance_name = deliverability-test-$PORT
log_path = $ROOT/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_privileged_group =
passdb {
  driver = passwd-file
  args = username_format=%u $ROOT/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $ROOT/users
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  inet_listener http {
    port = 0
  }
}
protocol imap {
  mail_max_userip_connections = 200
}
CONF
/usr/sbin/dovecot -c "$ROOT/dovecot.conf" -F >>"$ROOT/dovecot.out" 2>&1 &
echo $! > "$ROOT/fg.pid"
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then exit 0; fi
  kill -0 "$(cat "$ROOT/fg.pid")" 2>/dev/null || break
  sleep 0.1
done
echo "Dovecot did not listen on 127.0.0.1:$PORT; see $ROOT/dovecot.log and $ROOT/dovecot.out" >&2
cat "$ROOT/dovecot.out" >&2 || true
exit 1
