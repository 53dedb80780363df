# `serve --listen` on a name that merely starts with "127." is not loopback: the name is
# resolved and every address must be a loopback one, or serving an open catalog is refused.
# Before: the text was compared, and `127.attacker.invalid` passed as loopback.
rc=0
tessera serve --listen 127.attacker.invalid:0 --no-scheduler >"$WORK/out" 2>&1 || rc=$?
cat "$WORK/out"
[ "$rc" -eq 5 ] || fail "expected exit 5 (refused in the current state), got $rc"
grep -q '127.attacker.invalid is not (or does not resolve only to) a loopback address' "$WORK/out" || fail "not refused as non-loopback"
