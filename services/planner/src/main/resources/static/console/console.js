// Stackpilot console: renders the planner's console snapshots (pushed as server-sent events) and a
// cluster's timeline. Every text that comes from events (cluster names, reasons, actors) goes into
// the page through textContent or setAttribute, never as markup.
(function () {
  'use strict';
  var API = '../api/v1/console';
  var selected = null;      // the cluster whose timeline is open
  var selectedSig = null;   // what the last snapshot said about it, to refetch only on change
  var last = null;          // the last snapshot

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined) return;
        if (k === 'text') node.textContent = String(attrs[k]);
        else if (k === 'className') node.className = attrs[k];
        else node.setAttribute(k, String(attrs[k]));
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function cls(prefix, value) { return prefix + String(value).replace(/[^A-Z_]/g, ''); }
  function short(id) { return id && id.length > 12 ? id.slice(0, 8) + '…' : (id || ''); }
  function when(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }
  function replace(container, nodes) {
    while (container.firstChild) container.removeChild(container.firstChild);
    nodes.forEach(function (n) { container.appendChild(n); });
  }

  function clusterButton(name) {
    var b = el('button', { type: 'button', className: 'cluster', 'data-cluster': name,
      'aria-pressed': String(name === selected), text: name });
    b.addEventListener('click', function () { openTimeline(name); });
    return b;
  }

  function renderGrids(snapshot) {
    var container = document.getElementById('grids');
    if (!snapshot.stacks.length) {
      replace(container, [el('p', { className: 'empty', text: 'Nothing deployed yet.' })]);
      return;
    }
    replace(container, snapshot.stacks.map(function (grid) {
      var head = el('tr', null, [el('th', { scope: 'col', text: 'cluster' })].concat(
        grid.components.map(function (c) { return el('th', { scope: 'col', text: c }); })));
      var rows = grid.rows.map(function (row) {
        var cells = grid.components.map(function (component) {
          var cell = row.cells[component];
          if (!cell) {
            return el('td', { className: 'cell none', 'data-cluster': row.cluster,
              'data-component': component, 'data-health': 'NONE', text: 'not deployed' });
          }
          return el('td', { className: 'cell', 'data-cluster': row.cluster, 'data-component': component,
            'data-health': cell.health, title: cell.reason || '' }, [
            el('span', { className: 'health ' + cls('h-', cell.health), text: cell.health }),
            cell.chartVersion ? el('span', { className: 'version', text: cell.chartVersion }) : null,
            cell.reason ? el('span', { className: 'reason', text: cell.reason }) : null
          ]);
        });
        return el('tr', { 'data-row': row.cluster },
          [el('th', { scope: 'row' }, [clusterButton(row.cluster)])].concat(cells));
      });
      return el('div', { className: 'grid', 'data-stack': grid.stack }, [
        el('h3', { text: 'stack ' + grid.stack }),
        el('div', { className: 'scroll' }, [el('table', null, [el('thead', null, [head]), el('tbody', null, rows)])])
      ]);
    }));
  }

  function renderRollouts(snapshot) {
    var container = document.getElementById('rollout-list');
    if (!snapshot.rollouts.length) {
      replace(container, [el('p', { className: 'empty', text: 'No rollout yet.' })]);
      return;
    }
    replace(container, snapshot.rollouts.map(function (r) {
      var p = r.progress || {};
      var waves = (r.waves || []).map(function (w) {
        var gate = null;
        if (w.gate) {
          gate = el('span', { className: 'gate', 'data-gate': w.gate.decision }, [
            el('span', { text: 'gate ' }),
            el('span', { className: 'health ' + cls('g-', w.gate.decision), text: w.gate.decision }),
            el('span', { className: 'reason', text: ' ' + (w.gate.reasons || []).join('; ') })
          ]);
        }
        return el('li', { 'data-wave': w.index, 'data-state': w.state }, [
          el('span', { text: 'wave ' + w.index + ' ' + (w.name || '') + ' ' }),
          el('span', { className: 'health ' + cls('w-', w.state), text: w.state }),
          el('span', { className: 'wave-clusters', text: ' ' + w.clusters.join(', ') }),
          gate
        ]);
      });
      return el('article', { className: 'rollout', 'data-rollout': r.rolloutId, 'data-stack': r.stack,
        'data-phase': r.phase }, [
        el('header', null, [
          el('span', { className: 'stack', text: r.stack }),
          el('span', { className: 'health ' + cls('p-', r.phase), text: r.phase }),
          el('span', { className: 'id', text: r.rolloutId })
        ]),
        el('p', { className: 'meta', text: (r.actor || 'unknown actor') + ' · ' + when(r.updatedAt) +
          ' · ' + (p.stepsHealthy || 0) + '/' + (p.stepsTotal || 0) + ' steps healthy, ' +
          (p.wavesPromoted || 0) + '/' + (p.wavesTotal || 0) + ' waves promoted' }),
        r.reason ? el('p', { className: 'meta reason', text: r.reason }) : null,
        el('ol', { className: 'waves' }, waves)
      ]);
    }));
  }

  // What the snapshot says about one cluster: when it changes, its timeline has new events.
  function signature(snapshot, cluster) {
    var parts = [];
    snapshot.stacks.forEach(function (g) {
      g.rows.forEach(function (row) { if (row.cluster === cluster) parts.push(row.cells); });
    });
    snapshot.rollouts.forEach(function (r) {
      (r.waves || []).forEach(function (w) {
        if (w.clusters.indexOf(cluster) >= 0) parts.push([r.rolloutId, r.phase, w.state, w.gate]);
      });
    });
    return JSON.stringify(parts);
  }

  function render(snapshot) {
    last = snapshot;
    renderGrids(snapshot);
    renderRollouts(snapshot);
    document.body.setAttribute('data-version', snapshot.version);
    if (selected) {
      var sig = signature(snapshot, selected);
      if (sig !== selectedSig) { selectedSig = sig; loadTimeline(selected); }
    }
  }

  function openTimeline(cluster) {
    selected = cluster;
    selectedSig = last ? signature(last, cluster) : null;
    Array.prototype.forEach.call(document.querySelectorAll('button.cluster'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-cluster') === cluster));
    });
    var section = document.getElementById('timeline');
    section.hidden = false;
    section.setAttribute('data-cluster', cluster);
    document.getElementById('timeline-title').textContent = 'Timeline of ' + cluster;
    loadTimeline(cluster);
    section.scrollIntoView({ block: 'start' });
  }

  function loadTimeline(cluster) {
    var note = document.getElementById('timeline-note');
    note.textContent = 'loading…';
    fetch(API + '/clusters/' + encodeURIComponent(cluster) + '/timeline', { headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; });
      })
      .then(function (answer) {
        if (cluster !== selected) return;
        var list = document.getElementById('timeline-entries');
        if (!answer.ok) {
          note.textContent = (answer.body && answer.body.detail) || 'the timeline could not be read';
          replace(list, []);
          return;
        }
        var t = answer.body;
        note.textContent = t.entries.length + ' of ' + t.total + ' events, causes before their effects';
        replace(list, t.entries.map(function (e) {
          return el('li', { 'data-type': e.type, 'data-event': e.eventId }, [
            el('span', { className: 'at', text: when(e.at) }),
            el('span', null, [el('span', { className: 'type', text: e.type }),
              el('span', { className: 'actor', text: ' by ' + (e.actor || '?') })]),
            el('span', { className: 'text' }, [
              el('span', { text: (e.component ? e.component + ': ' : '') + (e.summary || '') }),
              e.reason ? el('span', { className: 'reason', text: 'why: ' + e.reason }) : null,
              el('span', { className: 'cause', text: 'event ' + short(e.eventId) +
                (e.causationId ? ', caused by ' + short(e.causationId) : '') +
                (e.correlationId ? ', rollout ' + short(e.correlationId) : '') })
            ])
          ]);
        }));
        document.getElementById('timeline').setAttribute('data-loaded', String(t.entries.length));
      })
      .catch(function (err) {
        if (cluster === selected) note.textContent = 'the timeline could not be read: ' + err;
      });
  }

  document.getElementById('timeline-close').addEventListener('click', function () {
    selected = null;
    document.getElementById('timeline').hidden = true;
    Array.prototype.forEach.call(document.querySelectorAll('button.cluster'), function (b) {
      b.setAttribute('aria-pressed', 'false');
    });
  });

  function connect() {
    var status = document.getElementById('status');
    var source = new EventSource(API + '/stream');
    source.addEventListener('snapshot', function (e) {
      status.setAttribute('data-state', 'live');
      status.textContent = 'live · updated ' + when(new Date().toISOString());
      render(JSON.parse(e.data));
    });
    source.onerror = function () {
      // EventSource reconnects by itself; say so rather than show stale data as live
      status.setAttribute('data-state', 'down');
      status.textContent = 'reconnecting…';
    };
  }
  connect();
}());
