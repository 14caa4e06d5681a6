// Posko: many sites on one map. Cells at low zoom, the sites in view from the zoom where few
// enough are in view, a stack marker (a click lists every site) where sites share one spot,
// and the posts' reach painted as one surface. Data arrive gzipped (base64-encoded inline, or fetched as a file); text
// in them is pre-escaped HTML (shown as HTML in tooltips, as text everywhere else). A site's
// tooltip and marker are the small map's (posko_sites.js, `PoskoSites`, inlined before).
window.PoskoGrid = window.PoskoGrid || (function() {
    var TILE = 256;

    // A payload (layers.grid.pack): 'PSK1', the head's length, the head (JSON), then the
    // typed arrays the head refers to as {$a: k}; all gzipped. Arrays are read in place.
    var TYPES = {u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, i4: Int32Array};

    function unpack(buffer) {
        var bytes = new Uint8Array(buffer);
        if (String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== 'PSK1') {
            throw new Error('not a Posko map payload');
        }
        var size = new DataView(buffer).getUint32(4, true);
        var head = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + size)));
        var start = 8 + size;
        var arrays = head.arrays.map(function(a) {
            if (a[0] === 'json') {  // texts: parsed when first read (see walk)
                return {lazy: bytes.subarray(start + a[1], start + a[1] + a[2])};
            }
            var values = new TYPES[a[0]](buffer, start + a[1], a[2]);
            if (!a[3]) { return values; }
            var scaled = new Float64Array(values.length);  // micro-degrees: as Python divides
            for (var i = 0; i < values.length; i++) { scaled[i] = values[i] / a[3]; }
            return scaled;
        });
        function walk(v) {
            if (Array.isArray(v)) {
                return v.map(function(item) {
                    var out = walk(item);
                    return out && out.lazy ? JSON.parse(new TextDecoder().decode(out.lazy)) : out;
                });
            }
            if (v && typeof v === 'object') {
                var keys = Object.keys(v);
                if (keys.length === 1 && keys[0] === '$a') { return arrays[v.$a]; }
                var out = {};
                keys.forEach(function(k) {
                    var item = walk(v[k]);
                    if (item && item.lazy) { later(out, k, item.lazy); } else { out[k] = item; }
                });
                return out;
            }
            return v;
        }
        return walk(head.body);
    }

    function later(object, key, bytes) {  // object[key]: the JSON in bytes, parsed once read
        var value;
        Object.defineProperty(object, key, {enumerable: true, get: function() {
            if (value === undefined) { value = JSON.parse(new TextDecoder().decode(bytes)); }
            return value;
        }});
    }

    function inflate(blob) {
        var stream = blob.stream().pipeThrough(new DecompressionStream('gzip'));
        return new Response(stream).arrayBuffer().then(unpack);
    }

    function decode(b64) {  // inline (the briefing): base64 text
        var bin = atob(b64);
        var bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
        return inflate(new Blob([bytes]));
    }

    function load(url) {  // published beside the page (the app): fetched, cached by name
        return fetch(url).then(function(r) {
            if (!r.ok) { throw new Error('map data ' + url + ': HTTP ' + r.status); }
            return r.blob();
        }).then(inflate);
    }

    // Web Mercator at zoom 0 (0..256): layers.grid.world_xy computes the same in numpy
    function worldX(lon) { return (lon + 180) / 360 * TILE; }
    function worldY(lat) {  // (a padded view may reach past the poles: clamped)
        var s = Math.sin(Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180);
        return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * TILE;
    }

    var plain = window.PoskoSites.plain;

    function number(n, sep) {
        return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    }

    function mix(a, b, f) {  // two '#rrggbb' colours mixed, f = 0..1 towards b
        var out = '#';
        for (var k = 1; k < 7; k += 2) {
            var x = parseInt(a.substr(k, 2), 16), y = parseInt(b.substr(k, 2), 16);
            out += ('0' + Math.round(x + (y - x) * f).toString(16)).slice(-2);
        }
        return out;
    }

    function shareColor(share, ramp) {  // ramp: three colours for 0, 0.5 and 1
        return share <= 0.5 ? mix(ramp[0], ramp[1], share * 2)
                            : mix(ramp[1], ramp[2], (share - 0.5) * 2);
    }

    // One site layer: `group` (an L.featureGroup) gets the markers or cells of the moment.
    function attach(group, d, cfg) {
        var tips = d.tips;
        var n = d.lat.length;
        var renderer = L.canvas({padding: 0.5});
        var wx = new Float64Array(n), wy = new Float64Array(n);
        for (var i = 0; i < n; i++) { wx[i] = worldX(d.lon[i]); wy[i] = worldY(d.lat[i]); }

        var text = window.PoskoSites.texts(tips);
        var cell = text.cell, fill = text.fill, lines = text.lines;
        function html(template, values) {  // a catalog template (escaped) with numbers/labels
            return template.replace(/\{([a-z]+)\}/g, function(m, k) { return values[k]; });
        }

        // spots: sites at exactly one position; a spot of several is one stack marker
        // (numbered in Python: d.spot[i], in order of first appearance)
        var spots = [];
        for (var i = 0; i < n; i++) {
            var s = d.spot[i];
            if (s === spots.length) { spots.push([]); }
            spots[s].push(i);
        }
        // spatial index: the spots of each 256-px tile at cfg.indexZoom, and its site count
        var iz = Math.pow(2, cfg.indexZoom), index = new Map();
        for (var s = 0; s < spots.length; s++) {
            var first = spots[s][0];
            var tkey = Math.floor(wx[first] * iz / TILE) * 1e6 + Math.floor(wy[first] * iz / TILE);
            var tile = index.get(tkey);
            if (!tile) { tile = {spots: [], count: 0}; index.set(tkey, tile); }
            tile.spots.push(s);
            tile.count += spots[s].length;
        }

        function tilesIn(b, limit) {  // the index tiles a view touches (null: too many)
            var x0 = Math.floor(worldX(b.getWest()) * iz / TILE);
            var x1 = Math.floor(worldX(b.getEast()) * iz / TILE);
            var y0 = Math.floor(worldY(b.getNorth()) * iz / TILE);
            var y1 = Math.floor(worldY(b.getSouth()) * iz / TILE);
            if ((x1 - x0 + 1) * (y1 - y0 + 1) > limit) { return null; }
            var out = [];
            for (var x = x0; x <= x1; x++) {
                for (var y = y0; y <= y1; y++) {
                    var tile = index.get(x * 1e6 + y);
                    if (tile) { out.push(tile); }
                }
            }
            return out;
        }

        function siteMarker(i) {
            return window.PoskoSites.marker(text, i, [d.lat[i], d.lon[i]], d.styles[d.style[i]],
                                            cfg.kind, cfg.role, renderer);
        }

        var revealed = new Map();  // sites shown on their own (picked in a list or search)
        function reveal(i) {
            var layer = revealed.get(i);
            if (!layer) {
                layer = siteMarker(i);
                revealed.set(i, layer);
                if (revealed.size > 20) {
                    var oldest = revealed.keys().next().value;
                    group.removeLayer(revealed.get(oldest));
                    revealed.delete(oldest);
                }
            }
            if (!group.hasLayer(layer)) { group.addLayer(layer); }
            if (layer.openTooltip) { layer.openTooltip(); }
            // propagated, so the group's listeners (the app's click reader) hear it
            layer.fire('click', {latlng: layer.getLatLng()}, true);
            return layer;
        }

        function openList(s, marker) {
            var members = spots[s];
            var box = document.createElement('div');
            box.className = 'posko-stack-list';
            var head = document.createElement('b');
            head.textContent = plain(html(cfg.text.stackTitle,
                {n: number(members.length, cfg.text.sep)}));
            box.appendChild(head);
            var list = document.createElement('ol');
            members.forEach(function(i) {
                var item = document.createElement('li');
                var button = document.createElement('button');
                button.type = 'button';
                button.className = 'posko-stack-item' + (cfg.uncovered && cfg.uncovered[d.style[i]]
                    ? ' uncovered' : '');
                button.setAttribute('data-site-id', plain(cell('id', i)));
                button.textContent = plain(lines(i).slice(0, 2).join(' · '));
                button.addEventListener('click', function() { reveal(i); });
                item.appendChild(button);
                list.appendChild(item);
            });
            box.appendChild(list);
            L.popup({maxWidth: 340, className: 'posko-stack-popup', autoPan: true})
                .setLatLng(marker.getLatLng()).setContent(box).openOn(group._map);
        }

        function stackMarker(s) {
            var members = spots[s];
            var gaps = 0;
            members.forEach(function(i) {
                if (cfg.uncovered && cfg.uncovered[d.style[i]]) { gaps += 1; }
            });
            var label = number(members.length, cfg.text.sep);
            var size = 22 + 4 * String(members.length).length;
            var marker = L.marker([d.lat[members[0]], d.lon[members[0]]], {
                icon: L.divIcon({
                    html: '<span>' + label + '</span>',
                    className: 'posko-stack' + (gaps ? ' uncovered' : ''),
                    iconSize: [size, size], iconAnchor: [size / 2, size / 2]}),
                keyboard: false, role: 'stack', kind: cfg.kind, count: members.length,
                siteIds: members.map(function(i) { return plain(cell('id', i)); })});
            marker.bindTooltip(html(cfg.text.stack, {n: label}), {direction: 'top'});
            marker.on('click', function() { openList(s, marker); });
            return marker;
        }

        var markers = new Map();  // spot -> its marker, made when first in view
        function spotMarker(s) {
            var layer = markers.get(s);
            if (!layer) {
                layer = spots[s].length > 1 && cfg.role === 'site' ? stackMarker(s)
                                                                    : siteMarker(spots[s][0]);
                markers.set(s, layer);
            }
            return layer;
        }

        // bins per zoom: layers.grid.cell_summary computes the same in numpy
        var binCache = new Map();
        function bins(z) {
            if (binCache.has(z)) { return binCache.get(z); }
            var scale = Math.pow(2, z) / cfg.cellPx, out = new Map();
            for (var i = 0; i < n; i++) {
                var cx = Math.floor(wx[i] * scale), cy = Math.floor(wy[i] * scale);
                var key = cx * 1e7 + cy;
                var b = out.get(key);
                if (!b) {
                    b = {cx: cx, cy: cy, count: 0, uncovered: 0, worst: -1, sx: 0, sy: 0};
                    out.set(key, b);
                }
                b.count += 1;
                b.sx += wx[i];
                b.sy += wy[i];
                var st = d.style[i];
                if (cfg.uncovered && cfg.uncovered[st]) { b.uncovered += 1; }
                if (cfg.risk && cfg.risk[st] > b.worst) { b.worst = cfg.risk[st]; }
                // the partner map: sites per risk class (layers.grid.risk_cell_summary)
                if (cfg.riskCounts) {
                    b.risks = b.risks || cfg.riskColors.map(function() { return 0; });
                    b.risks[cfg.risk[st]] += 1;
                }
            }
            if (binCache.size > 6) { binCache.clear(); }
            binCache.set(z, out);
            return out;
        }

        function cellTip(b) {
            var t = cfg.text;
            var out = '<b>' + html(t.count, {n: number(b.count, t.sep)}) + '</b>';
            if (cfg.uncovered) {
                var share = Math.round(1000 * b.uncovered / b.count) / 10;
                out += '<br>' + html(t.uncovered, {n: number(b.uncovered, t.sep),
                    share: String(share).replace('.', t.decimal) + t.percent});
            }
            if (cfg.riskCounts) {
                b.risks.forEach(function(c, r) {
                    if (c) { out += '<br>' + html(t.riskCount, {n: number(c, t.sep), risk: t.risks[r]}); }
                });
                return out + '<br>' + t.zoom;
            }
            if (b.worst >= 0) { out += '<br>' + html(t.worst, {risk: t.risks[b.worst]}); }
            return out + '<br>' + t.zoom;
        }

        function cellLayer(b, z) {
            var map = group._map, px = cfg.cellPx;
            var sw = map.unproject(L.point(b.cx * px, (b.cy + 1) * px), z);
            var ne = map.unproject(L.point((b.cx + 1) * px, b.cy * px), z);
            var common = {renderer: renderer, role: 'cell', kind: cfg.kind, count: b.count,
                          uncovered: b.uncovered, worst: b.worst, cell: [b.cx, b.cy]};
            if (cfg.riskCounts) { common.risks = b.risks.slice(); }
            var layer;
            if (cfg.uncovered) {
                layer = L.rectangle([sw, ne], Object.assign({
                    color: b.worst >= 0 ? cfg.riskColors[b.worst] : '#607d8b', weight: 1.5,
                    fillColor: shareColor(b.uncovered / b.count, cfg.ramp),
                    fillOpacity: 0.55}, common));
            } else {
                var at = map.unproject(L.point(b.sx / b.count * Math.pow(2, z),
                                               b.sy / b.count * Math.pow(2, z)), z);
                layer = L.circleMarker(at, Object.assign({
                    radius: Math.min(12, 4 + Math.log2(b.count)), color: '#ffffff', weight: 1,
                    fillColor: cfg.color, fillOpacity: 0.9}, common));
            }
            if (cfg.riskCounts && b.worst >= 0) {  // filled in its gravest class's colour
                layer.setStyle({fillColor: cfg.riskColors[b.worst]});
            }
            layer.bindTooltip(cellTip(b), {sticky: true});
            layer.on('click', function() { map.fitBounds(L.latLngBounds(sw, ne)); });
            return layer;
        }

        // a highlight (the halos of uncovered TPS) draws its sites only while the layer of
        // the sites it highlights draws them one by one, never around cells
        function leadInCells(map) {
            var leads = map._poskoLeads || {};
            var lead = cfg.role === 'highlight' ? leads[cfg.kind] : null;
            if (!lead || !lead._map) { return false; }
            return lead.poskoMode !== 'sites';
        }
        function leadDrawn(e) {
            if (cfg.role === 'highlight' && e.kind === cfg.kind) { update(); }
        }

        var shown = new Set();  // what the group holds now (besides revealed sites)
        function show(wanted) {
            shown.forEach(function(layer) {
                if (!wanted.has(layer)) { group.removeLayer(layer); }
            });
            wanted.forEach(function(layer) {
                if (shown.has(layer)) { return; }
                group.addLayer(layer);
                // a stack's click opens its list and a cell's zooms in: neither picks a
                // site, so neither reaches the group's listeners (the app reads a click
                // there as the pick of the site its tooltip names); a site in a list does
                var role = layer.options.role;
                if (role === 'stack' || role === 'cell') { layer.removeEventParent(group); }
            });
            shown = wanted;
        }

        function update() {
            var map = group._map;
            if (!map) { return; }
            var z = map.getZoom(), view = map.getBounds(), near = view.pad(0.25);
            var tiles = z >= cfg.minDetailZoom ? tilesIn(near, 4096) : null;
            var inView = 0;
            (tiles || []).forEach(function(tile) { inView += tile.count; });
            group.poskoNear = tiles ? inView : null;  // sites near the view (by index tile)
            var wanted = new Set();
            if (cfg.role === 'site') {
                map._poskoLeads = map._poskoLeads || {};
                map._poskoLeads[cfg.kind] = group;
            }
            if (tiles && inView <= cfg.detailLimit && !leadInCells(map)) {
                group.poskoMode = 'sites';
                tiles.forEach(function(tile) {
                    tile.spots.forEach(function(s) {
                        var first = spots[s][0];
                        if (near.contains([d.lat[first], d.lon[first]])) {
                            wanted.add(spotMarker(s));
                        }
                    });
                });
                if (markers.size > 20000) { markers.clear(); }
            } else {
                group.poskoMode = 'cells';
                if (cfg.cells) {
                    var cz = Math.floor(z);
                    bins(cz).forEach(function(b) {
                        var west = b.cx * cfg.cellPx / Math.pow(2, cz);
                        var north = b.cy * cfg.cellPx / Math.pow(2, cz);
                        var size = cfg.cellPx / Math.pow(2, cz);
                        var inside = west + size >= worldX(near.getWest())
                            && west <= worldX(near.getEast())
                            && north + size >= worldY(near.getNorth())
                            && north <= worldY(near.getSouth());
                        if (inside) { wanted.add(cellLayer(b, cz)); }
                    });
                }
            }
            show(wanted);
            group.fire('posko:drawn');
            if (cfg.role === 'site') { map.fire('posko:drawn', {kind: cfg.kind}); }
        }

        // every site, drawn or not, for the search control
        var records = null;
        group.poskoRecords = function(out) {
            if (!tips.search) { return; }
            if (!records) {
                records = [];
                for (var i = 0; i < n; i++) {
                    var at = L.latLng(d.lat[i], d.lon[i]);
                    at.layer = {poskoReveal: reveal.bind(null, i)};
                    records.push([plain(fill(tips.search, i)), at]);
                }
            }
            records.forEach(function(r) { out[r[0]] = r[1]; });
        };
        group.poskoBins = function(z) {  // for tests and tools: every cell at zoom z
            return Array.from(bins(z).values()).map(function(b) {
                var out = {cx: b.cx, cy: b.cy, count: b.count, uncovered: b.uncovered,
                           worst: b.worst};
                if (b.risks) { out.risks = b.risks.slice(); }
                return out;
            });
        };
        group.poskoReveal = function(siteId) {
            for (var i = 0; i < n; i++) {
                if (plain(cell('id', i)) === siteId) { return reveal(i); }
            }
            return null;
        };
        group.poskoCount = n;
        group.poskoKind = cfg.kind;
        group.poskoRole = cfg.role;
        var hooked = null;  // the map whose moves redraw this layer
        function unhook() {
            if (hooked) { hooked.off('moveend', update).off('posko:drawn', leadDrawn); }
            hooked = null;
        }
        function hook() {
            unhook();
            hooked = group._map;
            if (hooked) { hooked.on('moveend', update).on('posko:drawn', leadDrawn); update(); }
        }
        group.on('add', hook);
        group.on('remove', unhook);
        hook();
        group.poskoReady = true;
    }

    // The posts' reach: every disc filled in one colour on a canvas of its own, shown
    // translucent (overlaps do not darken); from `outlineZoom`, each post's ring outlined.
    var Surface = L.Layer.extend({
        initialize: function(d, cfg) { this._d = d; this._cfg = cfg; },
        onAdd: function(map) {
            this._canvas = L.DomUtil.create('canvas', 'posko-coverage leaflet-zoom-hide');
            this._canvas.style.pointerEvents = 'none';
            this._canvas.style.position = 'absolute';
            map.getPane(this._cfg.pane || 'overlayPane').appendChild(this._canvas);
            map.on('moveend resize', this._draw, this);
            this._draw();
        },
        onRemove: function(map) {
            map.off('moveend resize', this._draw, this);
            L.DomUtil.remove(this._canvas);
        },
        _draw: function() {
            var map = this._map, d = this._d, cfg = this._cfg, size = map.getSize();
            var canvas = this._canvas;
            L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
            canvas.width = size.x;
            canvas.height = size.y;
            var off = document.createElement('canvas');
            off.width = size.x;
            off.height = size.y;
            var ctx = off.getContext('2d'), z = map.getZoom(), drawn = [];
            ctx.fillStyle = cfg.color;
            for (var i = 0; i < d.lat.length; i++) {
                var p = map.latLngToContainerPoint([d.lat[i], d.lon[i]]);
                var perPx = 40075016.686 * Math.cos(d.lat[i] * Math.PI / 180)
                    / (TILE * Math.pow(2, z));
                var r = Math.max(1, d.radius[i] / perPx);
                if (p.x + r < 0 || p.y + r < 0 || p.x - r > size.x || p.y - r > size.y) {
                    continue;
                }
                ctx.beginPath();
                ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
                ctx.fill();
                drawn.push([p, r, i]);
            }
            var out = canvas.getContext('2d');
            out.globalAlpha = cfg.opacity;
            out.drawImage(off, 0, 0);
            out.globalAlpha = 1;
            if (z >= cfg.outlineZoom) {
                out.lineWidth = 1.5;
                drawn.forEach(function(c) {
                    out.strokeStyle = cfg.colors[d.style[c[2]]];
                    out.beginPath();
                    out.arc(c[0].x, c[0].y, c[1], 0, 2 * Math.PI);
                    out.stroke();
                });
            }
            this.drawnCount = drawn.length;
        }
    });

    return {decode: decode, load: load, attach: attach, Surface: Surface, worldX: worldX, worldY: worldY};
})();
