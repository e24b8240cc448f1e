// sitrep's web map. Plain script, no libraries, nothing fetched but this server's own API.
//
// Every text that comes from a report reaches the page as a text node (`el` below appends
// strings with `append`, which never parses markup), never through innerHTML.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const state = { events: [], view: null, box: null, palette: new Map(), days: [], selected: null };

/** An HTML element with attributes and children; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** An SVG element with attributes. */
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

/** The projection of crates/map/src/view.rs (`View::project`), repeated exactly. */
function project(view, lat, lon) {
  const [minLat, minLon, maxLat] = view.bbox;
  const shrink = Math.max(Math.cos(((minLat + maxLat) / 2) * Math.PI / 180), 0.1);
  const scale = view.height / Math.max(maxLat - minLat, 1e-6);
  return [(lon - minLon) * shrink * scale, (maxLat - lat) * scale];
}

/** Marker radius for an event told `n` times (`marker_radius` in crates/map/src/svg.rs). */
const radius = (n) => 4 + 3 * Math.sqrt(Math.max(n, 1));

const label = (s) => (s || '').replace(/_/g, ' ');
const sourcesText = (n) => `${n} source${n === 1 ? '' : 's'}`;

/** SVG path data of an outline whose rings are delta-encoded hundredths of a degree. */
function pathData(view, outline) {
  let d = '';
  for (const ring of outline.rings) {
    let lon = 0, lat = 0;
    for (let i = 0; i + 1 < ring.length; i += 2) {
      lon += ring[i];
      lat += ring[i + 1];
      const [x, y] = project(view, lat / 100, lon / 100);
      d += (i === 0 ? 'M' : 'L') + x.toFixed(1) + ',' + y.toFixed(1);
    }
    d += 'Z';
  }
  return d;
}

function drawBase(atlas) {
  const map = document.getElementById('map');
  const view = atlas.view;
  state.view = view;
  map.setAttribute('viewBox', `0 0 ${view.width} ${view.height}`);
  const countries = svg('g');
  for (const c of atlas.countries) {
    const p = svg('path', { d: pathData(view, c), class: 'country' });
    const title = svg('title');
    title.textContent = c.name;
    p.append(title);
    countries.append(p);
  }
  const admin1 = svg('g');
  const areaNames = svg('g', { class: 'area-names' });
  for (const a of atlas.admin1) {
    admin1.append(svg('path', { d: pathData(view, a), class: 'admin1' }));
    // Named at the middle of its bounding box.
    const [x, y] = project(view, (a.bbox[0] + a.bbox[2]) / 2, (a.bbox[1] + a.bbox[3]) / 2);
    if (x > 0 && x < view.width && y > 0 && y < view.height) {
      const t = svg('text', { x: x.toFixed(1), y: y.toFixed(1) });
      t.textContent = a.name;
      areaNames.append(t);
    }
  }
  map.append(countries, admin1, areaNames, svg('g', { id: 'markers' }), svg('g', { id: 'labels' }));
  for (const { type, colour } of atlas.palette) state.palette.set(type, colour);
  const legend = document.getElementById('legend');
  for (const [type, colour] of state.palette) {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = colour;
    legend.append(el('div', {}, swatch, label(type)));
  }
  document.getElementById('provenance').textContent = 'Outlines: ' + atlas.provenance + '. Places: GeoNames (CC BY 4.0).';
  enableZoom(map, view);
}

/** Map units per screen pixel at the current zoom, so that markers keep their size on screen. */
function unitsPerPixel() {
  const rect = document.getElementById('map').getBoundingClientRect();
  const [, , w, h] = state.box;
  return Math.max(w / Math.max(rect.width, 1), h / Math.max(rect.height, 1));
}

/** Wheel to zoom, drag to pan, by changing the viewBox. */
function enableZoom(map, view) {
  state.box = [0, 0, view.width, view.height];
  let box = state.box;
  const apply = () => {
    state.box = box;
    map.setAttribute('viewBox', box.join(' '));
    drawMarkers();
  };
  map.addEventListener('wheel', (e) => {
    e.preventDefault();
    const rect = map.getBoundingClientRect();
    const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
    const k = e.deltaY < 0 ? 0.8 : 1.25;
    const [x, y, w, h] = box;
    box = [x + fx * w * (1 - k), y + fy * h * (1 - k), w * k, h * k];
    apply();
  }, { passive: false });
  let drag = null;
  map.addEventListener('mousedown', (e) => { drag = { x: e.clientX, y: e.clientY, box: box.slice() }; });
  window.addEventListener('mouseup', () => { drag = null; });
  window.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const rect = map.getBoundingClientRect();
    const [x, y, w, h] = drag.box;
    box = [x - ((e.clientX - drag.x) * w) / rect.width, y - ((e.clientY - drag.y) * h) / rect.height, w, h];
    apply();
  });
}

function inRange(e) {
  if (!state.days.length || !e.date_from) return true;
  const from = state.days[document.getElementById('from').value];
  const to = state.days[document.getElementById('to').value];
  return e.date_to >= from && e.date_from <= to;
}

function drawMarkers() {
  const markers = document.getElementById('markers');
  const labels = document.getElementById('labels');
  markers.replaceChildren();
  labels.replaceChildren();
  const shown = state.events.filter((e) => e.lat !== null && e.lon !== null && inRange(e));
  shown.sort((a, b) => b.sources.length - a.sources.length);
  const named = new Set();
  const k = unitsPerPixel();
  // Subdivision names keep their size on screen, as markers do.
  document.querySelector('#map .area-names').setAttribute('font-size', (11 * k).toFixed(2));
  for (const e of shown) {
    const [x, y] = project(state.view, e.lat, e.lon);
    const r = radius(e.sources.length) * k;
    const c = svg('circle', { class: 'event', cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(2), fill: state.palette.get(e.event_type) || '#7f7f7f', 'data-id': e.id });
    if (state.selected === e.id) c.classList.add('selected');
    const title = svg('title');
    title.textContent = `${label(e.event_type)} — ${e.place_name || ''} (${sourcesText(e.sources.length)})`;
    c.append(title);
    c.addEventListener('click', () => selectEvent(e.id));
    markers.append(c);
    if (e.place_name && !named.has(e.place_name) && named.size < 40) {
      named.add(e.place_name);
      const t = svg('text', { class: 'label', x: (x + r + 2 * k).toFixed(1), y: (y + 4 * k).toFixed(1), 'font-size': (12 * k).toFixed(2), 'stroke-width': (3 * k).toFixed(2) });
      t.textContent = e.place_name;
      labels.append(t);
    }
  }
  const undated = state.events.filter((e) => !e.date_from).length;
  const unplaced = state.events.filter((e) => e.lat === null).length;
  document.getElementById('summary').textContent =
    `${shown.length} of ${state.events.length} events on the map` +
    (undated ? ` · ${undated} undated (always shown)` : '') + (unplaced ? ` · ${unplaced} without a place` : '');
}

function buildTimeline() {
  const days = new Set();
  for (const e of state.events) if (e.date_from) { days.add(e.date_from); days.add(e.date_to); }
  state.days = [...days].sort();
  const from = document.getElementById('from'), to = document.getElementById('to');
  const last = Math.max(state.days.length - 1, 0);
  for (const input of [from, to]) input.max = String(last);
  from.value = '0';
  to.value = String(last);
  const update = () => {
    if (Number(from.value) > Number(to.value)) from.value = to.value;
    document.getElementById('range-label').textContent = state.days.length ? `${state.days[from.value]} – ${state.days[to.value]}` : 'no dated events';
    drawHistogram();
    drawMarkers();
  };
  from.addEventListener('input', update);
  to.addEventListener('input', update);
  update();
}

function drawHistogram() {
  const hist = document.getElementById('histogram');
  hist.replaceChildren();
  const n = state.days.length;
  if (!n) return;
  const counts = new Array(n).fill(0);
  for (const e of state.events) {
    const i = state.days.indexOf(e.date_to);
    if (i >= 0) counts[i] += 1;
  }
  const max = Math.max(...counts, 1);
  hist.setAttribute('viewBox', `0 0 ${n} 1`);
  const lo = Number(document.getElementById('from').value), hi = Number(document.getElementById('to').value);
  counts.forEach((c, i) => {
    const bar = svg('rect', { x: i + 0.1, width: 0.8, y: 1 - c / max, height: c / max });
    if (i < lo || i > hi) bar.classList.add('out');
    const title = svg('title');
    title.textContent = `${state.days[i]}: ${c} events`;
    bar.append(title);
    hist.append(bar);
  });
}

function showTab(name) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === name);
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.id === 'tab-' + name);
}

function reportLink(id, text) {
  const a = el('a', { 'data-report': id }, text);
  a.addEventListener('click', () => openReport(id));
  return a;
}

function certaintyBadge(certainty) {
  return el('span', { class: 'certainty ' + certainty }, certainty);
}

function selectEvent(id) {
  state.selected = id;
  const e = state.events.find((x) => x.id === id);
  drawMarkers();
  const tab = document.getElementById('tab-event');
  const dates = e.date_from ? (e.date_from === e.date_to ? e.date_from : `${e.date_from} – ${e.date_to}`) : 'date unknown';
  const actor = e.actor ? `${e.actor}${e.side ? ' (' + e.side + ')' : ''}` : 'actor unknown';
  const sources = el('ol', { class: 'sources' });
  for (const s of e.sources) {
    sources.append(el('li', {},
      el('blockquote', {}, s.evidence),
      el('div', {}, (s.claimant || 'the report itself') + ' ', certaintyBadge(s.certainty), ' · ', reportLink(s.report_id, s.outlet ? `${s.outlet}: ${s.report}` : s.report))));
  }
  // Markers of events at the same point lie on top of each other: list the others here.
  const here = state.events.filter((x) => x.id !== e.id && x.lat !== null && x.lat === e.lat && x.lon === e.lon);
  const others = here.length ? el('ul', {}, ...here.map((x) => {
    const a = el('a', { 'data-event': x.id }, `${label(x.event_type)} · ${x.date_to || 'undated'} · ${sourcesText(x.sources.length)}`);
    a.addEventListener('click', () => selectEvent(x.id));
    return el('li', {}, a);
  })) : null;
  tab.replaceChildren(
    el('h2', { id: 'event-title' }, `${label(e.event_type)} — ${e.place_name || 'place unknown'}`),
    el('p', { class: 'meta' }, `${dates} · ${actor} · PLOVER ${e.plover}` + (e.precision ? ` · precision ${e.precision}` : '')),
    el('h3', {}, `Sources (${e.sources.length})`),
    sources,
    here.length ? el('h3', {}, 'Also at this place') : null,
    others);
  showTab('event');
}

async function showDisagreements() {
  const tab = document.getElementById('tab-disagreements');
  const { disagreements } = await api('/api/disagreements');
  tab.replaceChildren(el('h2', {}, 'Figures that sources state differently'));
  if (!disagreements.length) tab.append(el('p', { class: 'hint' }, 'No disagreements in the stored reports.'));
  for (const d of disagreements) {
    const table = el('table', {},
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

async function showReports() {
  const tab = document.getElementById('tab-reports');
  const { reports } = await api('/api/reports');
  const list = el('table', {}, el('tr', {}, el('th', {}, 'report'), el('th', {}, 'outlet'), el('th', {}, 'published'), el('th', {}, 'events'), el('th', {}, 'claims')));
  for (const r of reports) {
    list.append(el('tr', {}, el('td', {}, reportLink(r.id, r.title || r.doc_id)), el('td', {}, r.source || ''), el('td', {}, r.published || ''), el('td', {}, String(r.events)), el('td', {}, String(r.claims))));
  }
  tab.replaceChildren(el('h2', {}, `Reports (${reports.length})`), list);
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

async function main() {
  for (const b of document.querySelectorAll('#tabs button')) {
    b.addEventListener('click', () => {
      showTab(b.dataset.tab);
      if (b.dataset.tab === 'disagreements') showDisagreements().catch(fail);
      if (b.dataset.tab === 'reports') showReports().catch(fail);
    });
  }
  state.events = (await api('/api/events')).events;
  // Fit the map to events placed more precisely than a country when there are any, as
  // `render_svg` does: a country's centre far from the fighting would shrink everything else.
  let located = state.events.filter((e) => e.lat !== null && e.lon !== null);
  if (located.some((e) => e.precision < 6)) located = located.filter((e) => e.precision < 6);
  let query = '';
  if (located.length) {
    const lats = located.map((e) => e.lat), lons = located.map((e) => e.lon);
    query = `?bbox=${Math.min(...lats)},${Math.min(...lons)},${Math.max(...lats)},${Math.max(...lons)}`;
  }
  drawBase(await api('/api/atlas' + query));
  buildTimeline();
  window.addEventListener('resize', drawMarkers);
  document.body.dataset.ready = 'true';
}

function fail(err) {
  document.getElementById('summary').textContent = 'error: ' + err.message;
}

main().catch(fail);
