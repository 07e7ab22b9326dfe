#!/bin/sh
# Make a corpus of real files for the compression bench, as on this machine:
# a quarter each of man pages (troff, decompressed), C headers, Debian
# changelogs (decompressed) and shared libraries, in sorted order.
#   bench/corpus.sh OUT [MiB]     (default 32 MiB; prints OUT's size)
# Parts a machine lacks are filled by the others.
set -eu
out=$1
mib=${2:-32}
part=$((mib * 1048576 / 4))
tmp=$out.part
: > "$out"
take() {   # take BYTES from stdin into the corpus
  head -c "$1" > "$tmp" || true
  cat "$tmp" >> "$out"
}
{ find /usr/share/man/man1 /usr/share/man/man3 -name '*.gz' 2>/dev/null | sort \
    | xargs -r zcat 2>/dev/null || true; } | take "$part"
{ find /usr/include -name '*.h' 2>/dev/null | sort | xargs -r cat 2>/dev/null \
    || true; } | take "$part"
{ find /usr/share/doc -name 'changelog*.gz' 2>/dev/null | sort \
    | xargs -r zcat 2>/dev/null || true; } | take "$part"
have=$(wc -c < "$out")
{ find /usr/lib/x86_64-linux-gnu /usr/lib -maxdepth 1 -name '*.so*' -type f \
    2>/dev/null | sort | xargs -r cat 2>/dev/null || true; } \
    | take $((mib * 1048576 - have))
rm -f "$tmp"
wc -c < "$out"
