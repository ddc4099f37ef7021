/**
 * What a repair sent, beside the orders file: `<orders>.reconcile-journal.jsonl`, one JSON line per send,
 * `{"id", "sentAt", "status": "sent" | "failed"}` (a failure adds its reason). Lines are only ever appended, one
 * as soon as each answer arrives. An order with a `sent` line is not sent again while Calltouch does not list it
 * yet; a failed one stays missing and goes again next run. The file is the only one the reconcile writes.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { ReconcileError } from '../errors';

export interface JournalLine {
  id: string;
  sentAt: string;
  status: 'sent' | 'failed';
  reason?: string;
}

export const journalPathFor = (ordersPath: string): string => `${ordersPath}.reconcile-journal.jsonl`;

/** Ids sent before, with when (the first time). A line that does not parse (a run cut short mid-line) is skipped. */
export const readSent = async (path: string): Promise<Map<string, string>> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new Map();
    // Without it, what was sent before would be sent again.
    throw new ReconcileError('input', [`the journal ${path} cannot be read (${code ?? (error as Error).message})`]);
  }
  const sent = new Map<string, string>();
  for (const line of text.split('\n')) {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const { id, sentAt, status } = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<JournalLine>;
    if (status === 'sent' && typeof id === 'string' && typeof sentAt === 'string' && !sent.has(id)) sent.set(id, sentAt);
  }
  return sent;
};

/** Why the journal cannot be appended to, or null when it can (it is created, empty, if it was not there). */
export const writable = async (path: string): Promise<string | null> => {
  try {
    await appendFile(path, '', 'utf8');
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
};

export const appendLine = (path: string, line: JournalLine): Promise<void> => appendFile(path, `${JSON.stringify(line)}\n`, 'utf8');
