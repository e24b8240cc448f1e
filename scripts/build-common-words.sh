#!/usr/bin/env bash
# Rebuilds crates/geoparse/data/common-words.txt: English words that are common enough that a
# capitalised one at the start of a sentence is more likely the word than a place
# ("Reading", "Mobile", "Split"). A word qualifies when it is in the `word-list` dictionary
# (MIT; a word-game list, so no proper nouns) and among the 60,000 most frequent words of
# `popular-english-words` (ISC; word frequencies from Wikipedia).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent word-list@4.1.0 popular-english-words@1.0.2 >/dev/null)
for t in "$work"/*.tgz; do mkdir -p "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done
python3 - "$work" > crates/geoparse/data/common-words.txt <<'PY'
import json, sys
work = sys.argv[1]
src = open(f"{work}/popular-english-words-1.0.2/package/words.js", encoding="utf-8").read()
popular = json.loads(src[src.index("["):src.index("]") + 1].replace("'", '"'))[:60000]
dictionary = set(open(f"{work}/word-list-4.1.0/package/words.txt", encoding="utf-8").read().split())
print("\n".join(sorted({w for w in popular if w in dictionary and w.isalpha() and len(w) > 1})))
PY
wc -l crates/geoparse/data/common-words.txt
