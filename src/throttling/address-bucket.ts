import { isIP } from 'node:net';

/**
 * What a per-address limit counts a client address as. An IPv6 client usually holds a whole /64
 * and could rotate through it, so an IPv6 address counts as its /64 (`2001:db8:1:2::/64`), written
 * one way however the address was (RFC 5952 §4). An IPv4-mapped address (`::ffff:192.0.2.1`, how a
 * dual-stack socket shows an IPv4 peer) is that IPv4 address, and the IPv6 loopback stays `::1`.
 */
export function addressBucket(address: string): string {
  // A zone id (`fe80::1%eth0`) names an interface of ours, not a client.
  const bare = address.split('%')[0];
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return address;
  const hextets = hextetsOf(bare);
  if (hextets.every((hextet, index) => hextet === (index === 7 ? 1 : 0))) return '::1';
  if (hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff) {
    return [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join('.');
  }
  // The last four hextets are zero in a /64, so the longest run of zeros, the one `::` stands for,
  // is the one that ends the address.
  const network = hextets.slice(0, 4);
  while (network.length > 0 && network[network.length - 1] === 0) network.pop();
  return `${network.map((hextet) => hextet.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address. */
function hextetsOf(address: string): number[] {
  // The URL parser writes an IPv6 host in its canonical form (lower case, an IPv4 tail as hex), which
  // leaves only `::` to expand.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head, tail] = canonical.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
