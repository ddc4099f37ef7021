import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from '../../src/esputnik/uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => vi.restoreAllMocks());

describe('uuid', () => {
  it('is a version 4 id, different every time', () => {
    const ids = Array.from({ length: 2000 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    [0x00, '10000000-1000-4000-8000-100000000000'],
    [0xff, 'efffffff-efff-4fff-bfff-efffffffffff'],
  ])('turns random bytes all %i into %s: each digit takes one byte, the variant two bits of it', (byte, id) => {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => {
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(byte);
      return array;
    });
    expect(uuid()).toBe(id);
  });

  it('asks for randomness once per id: every call costs about a localStorage write', () => {
    const random = vi.spyOn(crypto, 'getRandomValues');
    uuid();
    expect(random).toHaveBeenCalledTimes(1);
  });
});
