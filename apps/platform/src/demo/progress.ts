/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise
 * (CI logs). Small enough that a dependency would cost more than it gives.
 */
export interface Progress {
  tick(count?: number): void;
  done(): void;
}

export function progressBar(label: string, total: number, stream: { write(text: string): unknown; isTTY?: boolean } = process.stderr): Progress {
  const width = 30;
  const started = performance.now();
  let current = 0;
  let lastDecile = -1;
  let lastDraw = 0;
  const draw = () => {
    const fraction = total === 0 ? 1 : current / total;
    const seconds = (performance.now() - started) / 1000;
    const text = `${label.padEnd(10)} [${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${current}/${total} ${seconds.toFixed(1)} s`;
    if (stream.isTTY) {
      stream.write(`\r${text}`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      stream.write(`${text}\n`);
    }
  };
  draw();
  return {
    tick(count = 1) {
      current = Math.min(total, current + count);
      const now = performance.now();
      if (now - lastDraw > 100 || current === total) {
        lastDraw = now;
        draw();
      }
    },
    done() {
      draw();
      if (stream.isTTY) stream.write('\n');
    },
  };
}
