// The query workbench: YASGUI configured for tfkg. Nothing here talks to any server but this one:
// the prefix, class and property completions come from tfkg's own graph, not prefix.cc or LOV.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("workbench-config").textContent);
  const Yasqe = Yasgui.Yasqe;
  const Yasr = Yasgui.Yasr;

  // Autocompletion. Replacing the registered completers by name keeps YASQE's own token handling
  // (prefixed names expanded, suggestions written back as prefixed names) and drops its fetches.
  const prefixLines = Object.entries(config.prefixes).map(([name, iri]) => `${name}: <${iri}>`).sort();
  Yasqe.registerAutocompleter({ ...Yasqe.Autocompleters.prefixes, get: () => prefixLines, persistenceId: null });
  for (const kind of ["class", "property"]) {
    Yasqe.registerAutocompleter({ ...Yasqe.Autocompleters[kind], bulk: true, get: config.vocabulary[kind], persistenceId: null });
  }

  // IRIs of tfkg's own namespaces open this server's pages, in the same window; others, outside
  // IRIs, keep YASR's new window.
  const localHref = (iri) => {
    for (const { namespace, path } of config.local) {
      if (iri.startsWith(namespace)) return path + iri.slice(namespace.length);
    }
    return iri;
  };
  const table = Yasr.plugins.table;
  const iriLink = table.prototype.getUriLinkFromBinding;
  table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    const html = iriLink.call(this, binding, prefixes);
    const local = localHref(binding.value);
    // YASR's sanitizer writes the attribute with double quotes.
    if (local === binding.value) return html;
    return html.replace(/href=(["'])[^"']*\1/, `href="${encodeURI(local)}"`).replace(/ (target|rel)=(["'])[^"']*\2/g, "");
  };

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }], keys: [] },
    persistenceId: "tfkg-workbench",
    yasqe: { value: config.defaultQuery, prefixCcApi: null },
    yasr: { prefixes: config.prefixes, defaultPlugin: "table" },
  });

  // Names for the widget's unlabelled controls, as they appear (results come and go).
  const names = [
    [".CodeMirror textarea", "SPARQL query"],
    ["input.autocomplete", "SPARQL endpoint"],
    ["select.tableSizer", "Rows per page"],
    ["input.tableFilter", "Filter the results"],
  ];
  const label = () => {
    for (const [selector, name] of names) {
      document.querySelectorAll(`#yasgui ${selector}:not([aria-label])`).forEach((el) => el.setAttribute("aria-label", name));
    }
    // The "add tab" button is not a tab: it goes next to the tab list, not inside it (its empty
    // wrapper stays, as YASGUI inserts new tabs before it).
    document.querySelectorAll("#yasgui .tabsList button.addTab").forEach((button) => button.closest(".tabsList").after(button));
  };
  new MutationObserver(label).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  label();

  // A link in a cut-short result cell opens its page; YASR would only expand the cell.
  document.getElementById("yasgui").addEventListener("click", (event) => {
    if (event.target.closest(".yasr a.iri")) event.stopPropagation();
  }, true);

  const editor = () => yasgui.getTab().getYasqe();
  const byName = Object.fromEntries(config.examples.map((example) => [example.name, example]));
  document.getElementById("load-example").addEventListener("click", () => {
    const chosen = byName[document.getElementById("example").value];
    if (!chosen) return;
    const tab = yasgui.addTab(true, { name: chosen.title.slice(0, 40) });
    tab.setQuery(chosen.text);
    editor().focus();
  });

  // The raw-format links follow the query in the editor.
  const rawLinks = document.querySelectorAll("#raw-links a[data-format]");
  const graphFormats = new Set(["turtle", "jsonld", "ntriples", "rdfxml"]);
  const updateRawLinks = () => {
    const query = editor().getValue();
    const graph = ["CONSTRUCT", "DESCRIBE"].includes(editor().getQueryType());
    rawLinks.forEach((link) => {
      link.href = `${config.endpoint}?${new URLSearchParams({ query, format: link.dataset.format })}`;
      link.hidden = graphFormats.has(link.dataset.format) !== graph; // only the formats this query has
    });
  };
  yasgui.on("tabChange", updateRawLinks);
  yasgui.on("tabSelect", () => setTimeout(updateRawLinks));
  for (const event of ["mouseenter", "focus", "click"]) {
    rawLinks.forEach((link) => link.addEventListener(event, updateRawLinks));
  }
  updateRawLinks();
  window.tfkgWorkbench = yasgui; // for the browser tests and the curious
})();
