/**
 * A path and query that `new URL()` leaves exactly as they are: no dot segments (plain or `%2e`), no
 * fragment, no spaces, quotes or other characters a URL would percent-encode. The URLs this client
 * builds, and the service's nextLinks, are such; for them a URL parse (and re-serialization) can be
 * skipped without changing what is sent.
 * @internal
 */
export const plainPathAndQuery =
  /^\/(?![^]*%2[eE])(?!\.\.?(?:[/?]|$))(?:[A-Za-z0-9\-_~!$&()*+,;=:@/?%]|\.(?![./?]|$))*$/;
