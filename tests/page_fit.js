// The measures of tests/page_fit.py, run in the page by Playwright's page.evaluate: each
// function follows a line "//== name".

//== fitProblems
(smallest) => {
  const problems = [];
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const vw = document.documentElement.clientWidth;
  const name = el => {
    const cap = el.querySelector && el.querySelector('caption');
    const heading = el.closest('section') && el.closest('section').querySelector('h2, h3');
    const label = (cap && cap.textContent) || (heading && heading.textContent) || el.id || el.className;
    return String(label).trim().replace(/\s+/g, ' ').slice(0, 60);
  };
  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px in ${vw} px`);
  }
  const scroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return p;
    }
    return null;
  };
  for (const table of document.querySelectorAll('table')) {
    if (!table.getClientRects().length) continue;
    const box = scroller(table);
    if (box === null) {
      const column = table.parentElement.getBoundingClientRect();
      const width = table.getBoundingClientRect().width;
      if (width > column.width + 1 || table.getBoundingClientRect().right > vw + 1) {
        problems.push(`table "${name(table)}" is ${Math.round(width)} px in a ${Math.round(column.width)} px column`);
      }
    } else if (box.scrollWidth > box.clientWidth + 1) {
      const first = table.querySelector('tbody tr > :first-child');
      if (first && getComputedStyle(first).position !== 'sticky') {
        problems.push(`table "${name(table)}" scrolls sideways without its first column kept in view`);
      }
    }
  }
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || seen.has(el)) continue;
    seen.add(el);
    if (el.closest('.visually-hidden, .sr-only, [hidden], script, style, title, desc')) continue;
    if (!el.getClientRects().length) continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      if (!m) continue;
      px = px * Math.hypot(m.a, m.b);
    }
    if (px + 0.05 < smallest) {
      problems.push(`text "${node.textContent.trim().slice(0, 30)}" is ${px.toFixed(1)} px`);
    }
  }
  return problems;
}

//== fieldNames
() => {
  const found = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('code, pre, script, style, a[download], .file')) continue;
    for (const m of node.textContent.matchAll(/(?<!column )\b[a-z]+(?:_[a-z0-9]+)+\b(?![.-])/g)) {
      found.add(m[0]);
    }
  }
  return [...found];
}

//== fractionalTotals
() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const pattern = /\b\d{1,3}(?:,\d{3})+\.\d+\b/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style')) continue;
    for (const m of node.textContent.matchAll(pattern)) found.push(m[0]);
  }
  return found;
}
