// The control layer, a module of the web map of its own: who held each settlement as of the
// timeline's last day (/api/control), disputed states outlined, and the changes of hands
// within the timeline's span (/api/control/changes) ringed in the colour of the side that
// took the place. `sitrep map --control` draws the same layer in the same colours. app.js
// calls the factory once the map is loaded and `refresh` whenever the filters or the dates
// change.
'use strict';

window.sitrepModules = window.sitrepModules || [];
window.sitrepModules.push((map, page) => {
  const SIDE_COLOURS = { UA: '#1f6fd1', RU: '#d12f2f', contested: '#e0a020' };
  const colourBySide = (key) => ['match', ['get', key], 'UA', SIDE_COLOURS.UA, 'RU', SIDE_COLOURS.RU, SIDE_COLOURS.contested];
  const empty = { type: 'FeatureCollection', features: [] };
  // The layer's sources and layers are made when it is first turned on, not with the first
  // view: each source MapLibre holds is loaded (and the map redrawn) even while its layers are
  // hidden, which a first view in software WebGL pays for in frames and worker round trips.
  let made = false;
  function make() {
    if (made) return;
    made = true;
    map.addSource('control-states', { type: 'geojson', data: empty });
    map.addSource('control-changes', { type: 'geojson', data: empty });
    // Under the event layers, so events stay clickable.
    map.addLayer({ id: 'control-states', type: 'circle', source: 'control-states', layout: { visibility: 'none' },
      paint: { 'circle-radius': 5, 'circle-color': colourBySide('state'), 'circle-opacity': 0.75,
        // A disputed state (claims within it say otherwise) has a dark outline.
        'circle-stroke-width': ['case', ['get', 'disputed'], 1.5, 0], 'circle-stroke-color': '#111' } }, 'areas');
    map.addLayer({ id: 'control-changes', type: 'circle', source: 'control-changes', layout: { visibility: 'none' },
      paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-width': 2.5, 'circle-stroke-color': colourBySide('to_side') } }, 'areas');
  }
  const button = document.getElementById('toggle-control');
  let on = page.state.control;
  let asked = '';
  const point = (place, properties) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [place.lon, place.lat] }, properties });

  async function load(view) {
    const asOf = view.range ? view.range[1] : view.lastDay;
    const span = view.range ? `&from=${view.range[0]}&to=${view.range[1]}` : '';
    const key = `${asOf}|${span}`;
    if (!on || key === asked) return;
    asked = key;
    try {
      const [states, changes] = await Promise.all([
        page.api('/api/control' + (asOf ? '?as_of=' + asOf : '')),
        page.api('/api/control/changes?' + span.slice(1)),
      ]);
      map.getSource('control-states').setData({ type: 'FeatureCollection', features: states.settlements.map((s) => point(s.place, { name: s.place.name, state: s.state, disputed: s.disputed })) });
      map.getSource('control-changes').setData({ type: 'FeatureCollection', features: changes.changes.map((c) => point(c.place, { name: c.place.name, to_side: c.to_side, disputed: c.disputed })) });
      button.dataset.states = String(states.count);
      button.dataset.changes = String(changes.count);
    } catch (err) {
      asked = '';
      page.fail(err);
    }
  }

  function show(view) {
    if (!on && !made) return;
    make();
    for (const id of ['control-states', 'control-changes']) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? 'Control layer on' : 'Control layer';
    load(view);
  }

  button.addEventListener('click', () => {
    on = !on;
    page.state.control = on;
    show({ range: page.state.range, lastDay: page.state.days[page.state.days.length - 1] });
    page.saveView();
  });
  return { refresh: show };
});
