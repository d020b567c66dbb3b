/** The parameters of one `WWW-Authenticate` challenge, with lower-cased names. @internal */
export interface AuthenticationChallenge {
  scheme: string;
  parameters: Record<string, string>;
}

const token = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;

/**
 * Parses a `WWW-Authenticate` header into its challenges. Tolerates what Key Vault and its proxies send:
 * quoted or bare values, any case in scheme and parameter names, several schemes in one header.
 * @internal
 */
export function parseWWWAuthenticate(header: string): AuthenticationChallenge[] {
  const challenges: AuthenticationChallenge[] = [];
  let current: AuthenticationChallenge | undefined;
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < header.length && chars.test(header.charAt(i))) i++;
  };
  while (i < header.length) {
    skip(/[\s,]/);
    token.lastIndex = i;
    const match = token.exec(header);
    if (!match) {
      i++; // not a token: skip one character rather than loop forever on garbage
      continue;
    }
    const word = match[0];
    i = token.lastIndex;
    skip(/\s/);
    if (header[i] === "=" && current) {
      i++;
      skip(/\s/);
      let value = "";
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === "\\" && i + 1 < header.length) i++;
          value += header.charAt(i);
          i++;
        }
        i++;
      } else {
        const start = i;
        while (i < header.length && header[i] !== "," && !/\s/.test(header.charAt(i))) i++;
        value = header.slice(start, i);
      }
      current.parameters[word.toLowerCase()] = value;
    } else if (header[i] === "=") {
      // A parameter before any scheme: malformed; skip the '=' signs and go on.
      while (i < header.length && header[i] === "=") i++;
    } else {
      current = { scheme: word.toLowerCase(), parameters: {} };
      challenges.push(current);
    }
  }
  return challenges;
}
