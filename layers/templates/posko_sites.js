// Posko: what every site layer draws the same way, whether it draws all its sites at once
// (layers.elements.SiteLayer) or by zoom (layers.grid.GridSiteLayer, posko_grid.js): the
// tooltip of a site from its layer's columns (layers.elements.Tooltips.encoded: templates
// and columns of pre-escaped text) and its marker. Defined once per page.
window.PoskoSites = window.PoskoSites || (function() {
    function plain(text) {  // pre-escaped text back to what it says (search keys, textContent)
        return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
            .replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
    }

    // A layer's texts: `cell` (a column's value, escaped), `fill` (a template filled),
    // `lines` (a site's non-empty tooltip lines) and `tooltip` (its tooltip HTML).
    function texts(tips) {
        function cell(name, i) {
            var c = tips.columns[name];
            return c.v ? c.v[i] : c.u[c.i[i]];
        }
        function fill(template, i) {
            return template.replace(/\{([A-Za-z0-9_]+)\}/g, function(m, name) {
                return cell(name, i);
            });
        }
        function lines(i) {
            var out = [];
            for (var j = 0; j < tips.lines.length; j++) {
                var line = fill(tips.lines[j], i);
                if (line) { out.push(line); }
            }
            return out;
        }
        function tooltip(i) {
            var ls = lines(i);
            if (!ls.length) { return ''; }
            // the reference is read (textContent) by a click handler, never shown
            var ref = tips.ref ? '<span class="posko-ref" hidden>' + fill(tips.ref, i)
                + '</span>' : '';
            return '<b>' + ls[0] + '</b>' + ls.slice(1).map(function(l) {
                return '<br>' + l; }).join('') + ref;
        }
        return {tips: tips, cell: cell, fill: fill, lines: lines, tooltip: tooltip};
    }

    // Site `i` of a layer as a Leaflet layer: a circle marker on `renderer` (a canvas), or
    // an icon for a style with one; its options name it (siteId, kind, role, search key).
    function marker(text, i, at, st, kind, role, renderer) {
        var tips = text.tips;
        var meta = {siteId: plain(text.cell('id', i)), kind: kind, role: role,
                    search: tips.search ? plain(text.fill(tips.search, i)) : ''};
        var layer;
        if (st.icon) {
            layer = L.marker(at, Object.assign({
                icon: L.divIcon({html: st.icon, className: 'posko-icon',
                                 iconSize: [st.size, st.size],
                                 iconAnchor: [st.size / 2, st.size / 2]}),
                keyboard: false}, meta));
        } else {
            layer = L.circleMarker(at, Object.assign({renderer: renderer}, st, meta));
        }
        var tip = text.tooltip(i);
        if (tip) { layer.bindTooltip(tip, {direction: 'top'}); }
        return layer;
    }

    return {plain: plain, texts: texts, marker: marker};
})();
