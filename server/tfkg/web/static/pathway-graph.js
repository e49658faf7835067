// The pathway answer as a picture: requesting jurisdiction on the left, requested on the right,
// the ranked legal bases and channels between them. A node opens that thing's page.
(function () {
  "use strict";
  const holder = document.getElementById("pathway-graph");
  const data = document.getElementById("pathway-graph-data");
  if (!holder || !data || typeof cytoscape !== "function") return;
  const elements = JSON.parse(data.textContent);
  const items = elements.filter((e) => !e.data.source && e.data.id !== "from" && e.data.id !== "to");
  const rowHeight = 56;
  holder.style.height = `${Math.max(260, items.length * rowHeight + 60)}px`; // one row per item, unscaled
  const middle = ((items.length - 1) * rowHeight) / 2;
  const position = { from: { x: 0, y: middle }, to: { x: 720, y: middle } };
  items.forEach((item, index) => { position[item.data.id] = { x: 360, y: index * rowHeight }; });
  const graph = cytoscape({
    container: holder,
    elements,
    layout: { name: "preset", positions: (node) => position[node.id()], fit: true, padding: 24 },
    userZoomingEnabled: false,
    boxSelectionEnabled: false,
    autoungrabify: true,
    style: [
      { selector: "node", style: { label: "data(label)", "text-valign": "center", "text-halign": "center", "font-size": 12, color: "#1b1b1b", shape: "round-rectangle", width: 250, height: 40, "text-wrap": "wrap", "text-max-width": 236, "background-color": "#e8eefc", "border-width": 1, "border-color": "#0b57d0" } },
      { selector: "node.jurisdiction", style: { width: 150, height: 56, "font-size": 14, "font-weight": "bold", "background-color": "#0b57d0", color: "#fff" } },
      { selector: "node.channel", style: { "background-color": "#e7f3e8", "border-color": "#1d5f24" } },
      { selector: "node.conditional", style: { "border-style": "dashed", "background-color": "#fff3d6", "border-color": "#8a4b00" } },
      { selector: "edge", style: { width: 1.5, "line-color": "#9aa9c7", "curve-style": "bezier", label: "data(label)", "font-size": 9, color: "#555", "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 1 } },
      { selector: "edge.channel", style: { "line-color": "#8fc196", "line-style": "dashed" } },
    ],
  });
  graph.on("tap", "node", (event) => {
    const href = event.target.data("href");
    if (href) window.location.href = href;
  });
  window.tfkgPathwayGraph = graph; // for the browser tests
})();
