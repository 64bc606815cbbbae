// Search results: a whole row opens its message (the Message-ID cell stays the keyboard-reachable link).

export function linkRows(root) {
  root.querySelectorAll('table.results tr[data-href]').forEach((row) => {
    row.addEventListener('click', (event) => {
      if (event.target.closest('a')) {
        return;
      }
      const href = row.dataset.href;
      if (href && href.startsWith('/') && !href.startsWith('//')) {
        window.location.assign(href);
      }
    });
  });
}
