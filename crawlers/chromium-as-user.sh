#!/bin/sh
# Playwright's "Chromium" when newsarc runs as root (crawlers/chromium_sandbox.py chooses it).
# Chromium's sandbox refuses root, so the real Chromium is started as an unprivileged user: the
# profile directory Playwright has just made (as root, mode 0700) is handed to that user, and
# setpriv execs Chromium with no groups and no capabilities. exec keeps the pipes (fds 3 and 4)
# Playwright talks over. Our own two flags name the user and the Chromium; every other argument
# goes to Chromium unchanged.
set -eu
user="" chromium="" profile_dir=""
for arg do
  shift
  case $arg in
    --newsarc-run-as=*) user=${arg#*=} ;;
    --newsarc-chromium=*) chromium=${arg#*=} ;;
    --user-data-dir=*) profile_dir=${arg#*=}; set -- "$@" "$arg" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
if [ -z "$user" ] || [ -z "$chromium" ] || [ -z "$profile_dir" ]; then
  echo "chromium-as-user: need --newsarc-run-as, --newsarc-chromium and --user-data-dir" >&2
  exit 2
fi
chown -R "$user:$(id -g "$user")" "$profile_dir"
export HOME="$profile_dir" XDG_CONFIG_HOME="$profile_dir/.config" XDG_CACHE_HOME="$profile_dir/.cache"
exec setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups \
  --inh-caps=-all --bounding-set=-all --no-new-privs -- "$chromium" "$@"
