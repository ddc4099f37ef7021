import type { Product } from '../call/event';
import { cents } from '../fields';

/**
 * What one unit costs after its discount, in whole cents: seed 002's cart table gives `discount` per unit, and
 * seed 001 counts it in each item's cost. A discount over the price makes the unit free, never negative. Only
 * priced products reach eSputnik (requirements.ts).
 */
export const paidCents = (product: Product): number => cents(Math.max(0, product.price! - (product.discount || 0)));
