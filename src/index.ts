import { createCore, inertCore } from './tag';
import type { Config, Tag } from './types';

export type { AccountConfig, Config, ContactInput, EcommerceParams, Method, ProductInput, Tag } from './types';

/**
 * For bundlers and SPAs: the same tag without a global. Storage and logs use `config.name` (default 'ct').
 * Where there is no window (server rendering) every call does nothing.
 */
export const createTag = (config: Config): Tag => {
  const core = typeof window === 'object' ? createCore(window, config, (config && typeof config.name === 'string' && config.name) || 'ct') : inertCore;
  const tag = ((...args: unknown[]) => core.handle(args)) as Tag;
  tag.flush = core.flush;
  return tag;
};
