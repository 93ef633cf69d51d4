// Distans's only JavaScript, and the pages work without it.
//
// The page of an import that is running (a <progress data-import>) reloads
// itself every two seconds without JavaScript; with it, the bar follows
// the import through the API without reloading, and the page reloads once
// when the import's status changes, to show what the check found.
//
// On a narrow screen a wide table scrolls sideways by itself (style.css).
// A keyboard reaches a scrolling table only if something in it takes focus,
// so a table that scrolls becomes focusable itself; current Chrome and
// Firefox do the same without this script.
'use strict';

function markScrollingTables() {
  for (const table of document.querySelectorAll('main table')) {
    if (table.scrollWidth > table.clientWidth) {
      table.tabIndex = 0;
    } else {
      table.removeAttribute('tabindex');
    }
  }
}

document.addEventListener('DOMContentLoaded', markScrollingTables);
window.addEventListener('resize', markScrollingTables);
// A table in a <details> has no width until the details open.
document.addEventListener('toggle', markScrollingTables, true);

function followImport() {
  const bar = document.querySelector('progress[data-import]');
  if (!bar) {
    return;
  }
  const text = document.getElementById(bar.getAttribute('aria-describedby'));
  const url = '/api/v1/imports/' + encodeURIComponent(bar.dataset.import);
  const lang = document.documentElement.lang;
  const poll = async () => {
    let imp;
    try {
      const res = await fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
      if (!res.ok) {
        throw new Error(String(res.status));
      }
      imp = await res.json();
    } catch {
      setTimeout(poll, 5000); // the server restarts or the network is down: try again later
      return;
    }
    if (imp.status !== bar.dataset.status) {
      location.reload();
      return;
    }
    if (imp.rows > 0) {
      bar.max = imp.rows;
      bar.value = imp.done;
      const percent = Math.min(100, Math.floor(imp.done * 100 / imp.rows));
      text.textContent = bar.dataset.text
        .replace('{done}', imp.done.toLocaleString(lang))
        .replace('{total}', imp.rows.toLocaleString(lang))
        .replace('{percent}', String(percent));
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}

document.addEventListener('DOMContentLoaded', followImport);

// The incident report lists what to do right now for every kind, each
// under its own disclosure; choosing the kind opens its guidance and
// closes the others, so that the person reads only what applies.
function followIncidentKind() {
  const radios = document.querySelectorAll('input[data-incident-kind]');
  const show = (kind) => {
    for (const d of document.querySelectorAll('details.guidance[data-kind]')) {
      d.open = d.dataset.kind === kind;
    }
  };
  for (const radio of radios) {
    radio.addEventListener('change', () => { if (radio.checked) show(radio.value); });
  }
}

document.addEventListener('DOMContentLoaded', followIncidentKind);
