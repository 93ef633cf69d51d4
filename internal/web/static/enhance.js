// Distans's only JavaScript, and the pages work without it.
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
