// govgraph workbench: the few behaviours htmx does not give (error messages, the network).
"use strict";

function showProblem(text) {
  const flash = document.getElementById("flash");
  if (!flash) return;
  let message = text;
  try {
    const problem = JSON.parse(text);  // the API's problem+json
    message = problem.detail || problem.title || text;
  } catch (e) { /* not JSON: show as is */ }
  flash.textContent = message;
  flash.hidden = false;
}

document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status === 401 || xhr.getResponseHeader("HX-Redirect")) return;
  showProblem(xhr.responseText);
});
document.addEventListener("htmx:sendError", () => showProblem("govgraph did not answer."));
document.addEventListener("htmx:beforeRequest", () => {
  const flash = document.getElementById("flash");
  if (flash) flash.hidden = true;
});

function drawNetwork() {
  const box = document.getElementById("network");
  const data = document.getElementById("network-elements");
  if (!box || !data || typeof cytoscape === "undefined") return;
  const cy = cytoscape({
    container: box,
    elements: JSON.parse(data.textContent),
    style: [
      { selector: "node", style: {
          "background-color": "data(colour)", label: "data(label)", "font-size": 9,
          "text-wrap": "wrap", "text-max-width": 110, width: 18, height: 18,
          "border-width": 1, "border-color": "#333" } },
      { selector: 'node[review = "accepted"]', style: { "border-width": 3 } },
      { selector: "edge", style: { width: 1.5, "line-color": "#777", "curve-style": "bezier" } },
      { selector: "edge[?negative]", style: { "line-color": "#c0392b" } },
      { selector: "edge[?gap]", style: {
          "line-style": "dashed", "line-color": "#D55E00", width: 2.5 } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000 },
  });
  cy.on("tap", "node, edge[?gap]", (event) => {
    const href = event.target.data("href");
    if (href) window.location.assign(href);
  });
  const count = document.getElementById("node-count");
  if (count) count.textContent = String(cy.nodes().length);
  box.dataset.drawn = String(cy.nodes().length);
  window.govgraphNetwork = cy;  // for the browser test and the curious
}

document.addEventListener("DOMContentLoaded", drawNetwork);
