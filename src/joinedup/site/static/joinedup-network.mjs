// Network map details on hover and focus (progressive enhancement).
//
// Without JavaScript the map is a static picture with a table of every
// organisation's figures. With it, each organisation on the map can be
// reached with the Tab key or the pointer, and its figures are read out in
// a live region under the map.
for (const figure of document.querySelectorAll("figure#network-map, figure#network-map-focus")) {
  const map = figure.querySelector("svg");
  const nodes = map ? map.querySelectorAll("g.ju-node[data-details]") : [];
  if (!nodes.length) continue;
  // Focusable parts need a container whose role allows them.
  map.setAttribute("role", "group");
  const details = document.createElement("p");
  details.className = "govuk-body govuk-!-font-weight-bold ju-network-details";
  details.setAttribute("aria-live", "polite");
  details.textContent = "Point at or tab to an organisation on the map to see its figures.";
  map.after(details);
  for (const node of nodes) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "img");
    node.setAttribute("aria-label", node.dataset.details);
    const show = () => { details.textContent = node.dataset.details; };
    node.addEventListener("mouseenter", show);
    node.addEventListener("focus", show);
  }
}
