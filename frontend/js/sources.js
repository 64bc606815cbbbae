// The Sources page while a source is being removed: how far the rebuild has come is read again every 2 s, and the
// page is loaded again when its state changes (the rebuild starts, or is over), so the cards show what is left.

const FOLLOWED = ['waiting', 'rebuilding'];

export function followRemoval(root) {
  const card = root.getElementById('removal');
  if (!card || !FOLLOWED.includes(card.dataset.state)) {
    return;
  }
  const progress = card.querySelector('.removal-progress');
  const number = new Intl.NumberFormat('en-US');
  const tick = async () => {
    try {
      const answer = await fetch('/api/sources/removal', { headers: { Accept: 'application/json' } });
      if (answer.ok) {
        const removal = await answer.json();
        if (removal.state !== card.dataset.state) {
          window.location.reload();
          return;
        }
        if (progress) {
          progress.textContent = `${number.format(removal.linesRead)} of ${number.format(removal.linesToRead)} lines`;
        }
      }
    } catch (e) {
      // the server is busy or restarting: ask again at the next tick
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
}
