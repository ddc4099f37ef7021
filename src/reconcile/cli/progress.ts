/**
 * Progress on stderr, never on stdout (which carries the report or the JSON). On a terminal: one bar, redrawn in
 * place, with notes printed above it. Elsewhere (CI logs, a pipe): plain lines, one per page or purchase.
 */
import { count } from '../report/table';
import type { ReconcileProgress } from '../types';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  show(progress: ReconcileProgress): void;
  /** A line of its own, above the bar if there is one. */
  note(line: string): void;
  /** Takes the bar away. */
  end(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

const describe = (progress: ReconcileProgress): string => {
  switch (progress.type) {
    case 'pages':
      return `deal journal: page ${progress.loaded} of ${progress.exact ? '' : 'at least '}${progress.total}, ${count(progress.deals, 'deal')}`;
    case 'retry':
      return `${progress.what}: ${progress.reason}; trying again in ${(progress.delayMs / 1000).toFixed(1)} s (try ${progress.attempt + 1} of ${progress.attempts})`;
    case 'sent':
      return `repair: ${progress.done} of ${progress.total} purchases answered`;
  }
};

export const createProgress = (stream: ProgressStream, name: string): Progress => {
  if (!stream.isTTY) {
    return {
      show: (progress) => stream.write(`${name}: ${describe(progress)}\n`),
      note: (line) => stream.write(`${name}: ${line}\n`),
      end: () => undefined,
    };
  }
  let bar = '';
  const draw = () => bar && stream.write(`${CLEAR_LINE}${bar}`);
  const render = (done: number, total: number, label: string) => {
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 12));
    const share = total ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * width);
    return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.round(share * 100)}% ${label}`;
  };
  return {
    show: (progress) => {
      if (progress.type === 'retry') {
        stream.write(`${CLEAR_LINE}${name}: ${describe(progress)}\n`);
        draw();
        return;
      }
      bar =
        progress.type === 'pages'
          ? render(progress.loaded, progress.total, `deal journal: ${progress.loaded}/${progress.exact ? '' : '≥'}${progress.total} pages, ${count(progress.deals, 'deal')}`)
          : render(progress.done, progress.total, `repair: ${progress.done}/${progress.total} purchases`);
      draw();
    },
    note: (line) => {
      stream.write(`${CLEAR_LINE}${name}: ${line}\n`);
      draw();
    },
    end: () => {
      if (bar) stream.write(CLEAR_LINE);
      bar = '';
    },
  };
};
