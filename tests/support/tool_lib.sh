# tool_lib.sh -- what the tests/tool_*.sh scripts share; sourced, not run.
#   . "$(dirname "$0")/support/tool_lib.sh"
#   tool_setup NAME "$@"    S: the strata tool (absolute), a fresh temp
#                           folder as the working directory, removed at exit
#                           (after tool_cleanup_hook, if the script defines it)
#   check NAME CMD...       ok if CMD succeeds, else a counted failure
#   ok / fail / skip NAME   one line each; fail counts
#   have PROG               PROG is on the PATH
#   lines FILE / size FILE  line and byte counts
#   tool_finish             the summary line; exit 1 if any check failed

tool_setup() {
    tool_name=$1
    S=${2:?usage: sh $tool_name.sh PATH-TO-STRATA}
    case $S in /*) ;; *) S=$(pwd)/$S ;; esac
    [ -x "$S" ] || { echo "not executable: $S"; exit 1; }
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$tool_name.XXXXXX") || exit 1
    trap tool_cleanup EXIT
    trap 'exit 1' INT TERM
    cd "$tmp" || exit 1
    failures=0
}

tool_cleanup() {
    command -v tool_cleanup_hook >/dev/null 2>&1 && tool_cleanup_hook
    cd / && chmod -R u+w "$tmp" 2>/dev/null
    rm -rf "$tmp"
}

ok()    { echo "ok   - $1"; }
fail()  { echo "FAIL - $1"; failures=$((failures + 1)); }
skip()  { echo "skip - $1"; }
check() {
    name=$1; shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}
have()  { command -v "$1" >/dev/null 2>&1; }
lines() { wc -l < "$1" | tr -d ' '; }
size()  { wc -c < "$1" | tr -d ' '; }

tool_finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
