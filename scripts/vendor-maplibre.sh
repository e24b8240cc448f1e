#!/bin/sh
# Vendors MapLibre GL JS into crates/serve/web/vendor/ from the npm registry: only the
# CSP build (script and worker, so the page's content security policy needs no blob: or
# eval), its style sheet and its licence. The server embeds these files. Run from the
# repository root; needs npm. The tarball's sha256 is checked.
set -eu
VERSION=5.24.1
SHA256=b84d7fdf7fba5922fd3fff9a92733936c7a03b99165afc6c84f41c311bdbfa9d
OUT=crates/serve/web/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "maplibre-gl@$VERSION" >/dev/null)
echo "$SHA256  $tmp/maplibre-gl-$VERSION.tgz" | sha256sum -c -
tar xzf "$tmp/maplibre-gl-$VERSION.tgz" -C "$tmp"
mkdir -p "$OUT"
for f in maplibre-gl-csp.js maplibre-gl-csp-worker.js maplibre-gl.css LICENSE.txt; do
    cp "$tmp/package/dist/$f" "$OUT/$f"
done
echo "maplibre-gl $VERSION (BSD-3-Clause) vendored into $OUT"
