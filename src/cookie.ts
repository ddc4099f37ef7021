/** One cookie's value; throws on a malformed %-escape, which callers take as no cookie. */
export const readCookie = (cookies: string, name: string): string | undefined => {
  const match = new RegExp(`(?:^|; *)${name}=([^;]*)`).exec(cookies);
  return match ? decodeURIComponent(match[1]) : undefined;
};
