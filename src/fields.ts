/**
 * An amount in whole cents, rounded half up as it is written in decimal: 1.005 is 101 cents and 0.1 × 3 is 30,
 * whatever binary floating point makes of them (15 significant digits are exact in a double).
 */
export const cents = (amount: number): number => Math.round(+(amount * 100).toPrecision(15));

/** eSputnik's string amounts: to the cent, so that no amount is written in exponent notation ("1e-7"). */
export const money = (amount: number): string => '' + cents(amount) / 100;
