/** The tag's only voice: one console line per bad call (`ecomtag: ct('send_ecommerce', 'purchase'): id is required`), and every step when debugging. */
export interface Log {
  error(message: string): void;
  note(message: string, ...details: unknown[]): void;
}

export const createLog = (name: string, debug: boolean): Log => {
  const write = (level: 'error' | 'debug', ...line: unknown[]) => {
    try {
      console[level](...line);
    } catch {
      // A page that broke its console still keeps its tag.
    }
  };
  return {
    error: (message) => write('error', `ecomtag: ${message}`),
    note: (message, ...details) => debug && write('debug', `ecomtag[${name}] ${message}`, ...details),
  };
};
